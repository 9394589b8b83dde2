//! The site's files beyond its pages: sitemaps, robots.txt and the feed, hashed assets, and
//! builds that are deterministic and refuse bad specs or a used folder.

use super::*;

#[test]
fn sitemap_robots_and_feed_cover_the_site() {
    let (dir, spec, manifest) = built(Language::De, Theme::Clean);
    let els = parse(&read(&dir, "sitemap.xml"), true).unwrap();
    assert_eq!(named(&els, "urlset").len(), 1);
    let urls = named(&els, "url");
    assert!(urls.iter().all(|u| u.parents == ["urlset"]));
    let locs: BTreeSet<String> = named(&els, "loc")
        .iter()
        .inspect(|l| assert_eq!(l.parents, ["urlset", "url"]))
        .map(|l| l.text())
        .collect();
    let lastmods = named(&els, "lastmod");
    assert_eq!(lastmods.len(), urls.len());
    assert!(
        lastmods
            .iter()
            .all(|l| chrono::DateTime::parse_from_rfc3339(&l.text()).is_ok())
    );
    let pages: BTreeSet<String> = page_files(&manifest)
        .iter()
        .map(|p| {
            format!(
                "https://kitchen.example/{}",
                p.trim_end_matches("index.html")
            )
        })
        .collect();
    assert_eq!(locs, pages);
    assert!(read(&dir, "robots.txt").contains("Sitemap: https://kitchen.example/sitemap.xml\n"));
    let feed = parse(&read(&dir, "feed.xml"), true).unwrap();
    let articles = spec
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Article)
        .count();
    assert_eq!(named(&feed, "item").len(), articles);
    assert!(
        named(&feed, "pubdate")
            .iter()
            .all(|d| chrono::DateTime::parse_from_rfc2822(&d.text()).is_ok())
    );
}

#[test]
fn a_large_site_gets_a_sitemap_index() {
    let urls: Vec<SitemapUrl> = (0..5)
        .map(|i| SitemapUrl {
            loc: format!("https://x.example/p{i}/"),
            lastmod: chrono::DateTime::UNIX_EPOCH,
        })
        .collect();
    let files = sitemaps("https://x.example/", &urls, 2);
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        names,
        [
            "sitemap-1.xml",
            "sitemap-2.xml",
            "sitemap-3.xml",
            "sitemap.xml"
        ]
    );
    let index = parse(&files[3].1, true).unwrap();
    let locs: Vec<String> = named(&index, "loc")
        .iter()
        .inspect(|l| assert_eq!(l.parents, ["sitemapindex", "sitemap"]))
        .map(|l| l.text())
        .collect();
    assert_eq!(locs[2], "https://x.example/sitemap-3.xml");
    let total: usize = files[..3]
        .iter()
        .map(|(_, xml)| named(&parse(xml, true).unwrap(), "url").len())
        .sum();
    assert_eq!(total, 5);
}

#[test]
fn llm_script_is_stripped_but_the_theme_beacon_stays() {
    let (dir, spec, _) = built(Language::En, Theme::Clean);
    let evil = spec
        .pages
        .iter()
        .find(|p| p.id == fixture::EVIL_ID)
        .unwrap();
    let html = read(&dir, &format!("{}index.html", page_path(evil)));
    assert!(!html.contains("alert('llm')"), "{html}");
    assert!(!html.contains("onerror"));
    assert!(!html.contains("javascript:"));
    let els = parse(&html, false).unwrap();
    let scripts = named(&els, "script");
    assert_eq!(scripts.len(), 2, "only JSON-LD and the beacon");
    assert!(
        scripts
            .iter()
            .any(|s| s.attr("src").is_some_and(|s| s.contains("beacon.")))
    );
    let beacon = manifest_path(&dir, "assets/beacon.");
    let js = read(&dir, &beacon);
    assert!(js.contains(r#"navigator.sendBeacon(s.getAttribute("data-endpoint") || "/t/e""#));
    let beacon_tag = scripts
        .iter()
        .find(|s| s.attr("src").is_some_and(|s| s.contains("beacon.")))
        .unwrap();
    assert_eq!(
        beacon_tag.attr("data-endpoint"),
        Some("/t/e"),
        "the fixture sets no endpoint"
    );
    assert!(!js.contains("cookie"));
}

fn manifest_path(dir: &tempfile::TempDir, prefix: &str) -> String {
    let found = BuildManifest::of_dir(&dir.path().join("out")).unwrap();
    found
        .files
        .into_iter()
        .find(|f| f.path.starts_with(prefix))
        .unwrap()
        .path
}

#[test]
fn asset_names_carry_their_content_hash() {
    let (dir, _, manifest) = built(Language::En, Theme::Clean);
    let (other, _, _) = built(Language::En, Theme::Magazine);
    let css = manifest
        .files
        .iter()
        .find(|f| f.path.ends_with(".css"))
        .unwrap();
    assert_eq!(css.path, format!("assets/site.{}.css", &css.sha256[..8]));
    assert_ne!(
        manifest_path(&dir, "assets/site."),
        manifest_path(&other, "assets/site.")
    );
}

#[test]
fn the_same_spec_builds_byte_identical_sites() {
    let spec = fixture::site(Language::De, Theme::Magazine, 20);
    let dir = tempfile::tempdir().unwrap();
    let first = build(&spec, &dir.path().join("a")).unwrap();
    let second = build(&spec, &dir.path().join("b")).unwrap();
    assert_eq!(first, second);
    assert_eq!(BuildManifest::of_dir(&dir.path().join("a")).unwrap(), first);
    let mut changed = spec.clone();
    changed.pages[5].title.push_str(" (2)");
    assert_ne!(build(&changed, &dir.path().join("c")).unwrap(), first);
}

#[test]
fn bad_specs_name_their_fields_and_write_nothing() {
    let mut spec = fixture::site(Language::De, Theme::Clean, 6);
    spec.slug = "Bad Slug".into();
    spec.settings.address_lines.clear();
    spec.pages[4].category = Some("missing".into());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let Err(BuildError::Invalid(errors)) = build(&spec, &out) else {
        panic!("accepted a bad spec");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["slug", "settings.address_lines", "pages[4].category"]
    );
    assert!(!out.exists());
}

#[test]
fn a_used_output_folder_is_refused() {
    let spec = fixture::site(Language::En, Theme::Clean, 5);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("stale.html"), "old").unwrap();
    assert!(matches!(
        build(&spec, dir.path()),
        Err(BuildError::OutDirNotEmpty(_))
    ));
}

#[test]
#[ignore = "benchmark: prints the time to build a 100-page site"]
fn bench_build_100_pages() {
    let spec = fixture::site(Language::De, Theme::Magazine, 100);
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let manifest = build(&spec, &dir.path().join("out")).unwrap();
    let elapsed = started.elapsed();
    println!(
        "built {} files ({} bytes) for 100 pages in {elapsed:?}",
        manifest.files.len(),
        manifest.total_bytes()
    );
    assert!(Path::new(&dir.path().join("out/index.html")).exists());
}
