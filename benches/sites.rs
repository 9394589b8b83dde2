//! The website factory's CPU work, each next to a bare baseline in the same run:
//! - `sites/build_100_pages`: rendering and writing a 100-page site, against writing the same
//!   files' bytes into a fresh folder (`sites/write_same_files`, the file system's floor);
//! - `sites/audit_1000_pages`: the site audit of 1,000 built pages (every page and site check,
//!   near-duplicates among them), against scanning them once (`sites/scan_1000_pages`).
//!
//! `cargo bench --bench sites`; criterion prints medians. The targets are under 1 s
//! each on this machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use empire_actors::seo_optimizer::site_audit::{
    AssetSizes, AuditSettings, DuplicateConfig, DuplicateIndex, PageId, PageInput,
    PageKind as AuditKind, SiteContext, WebsiteId, audit_pages, audit_site,
};
use empire_actors::website_builder::site::{
    self, Language, LegalSettings, PageKind, PageSpec, SiteSpec, Theme,
};
use url::Url;

const BASE_URL: &str = "https://garden.example/";

const WORDS: &[&str] = &[
    "garden",
    "shears",
    "blade",
    "steel",
    "handle",
    "grip",
    "pruning",
    "branch",
    "hedge",
    "rose",
    "spring",
    "cut",
    "clean",
    "sharp",
    "light",
    "heavy",
    "comfort",
    "test",
    "price",
    "value",
    "season",
    "soil",
    "leaf",
    "stem",
    "tool",
    "care",
    "oil",
    "rust",
    "lock",
    "spring-loaded",
    "bypass",
    "anvil",
    "ratchet",
    "reach",
    "thick",
    "thin",
    "wood",
    "green",
    "dry",
    "fresh",
];

/// A deterministic paragraph of `words` words, varied by `seed`.
fn paragraph(seed: usize, words: usize) -> String {
    let mut text: Vec<&str> = (0..words)
        .map(|i| WORDS[(seed * 31 + i * 7 + i * i) % WORDS.len()])
        .collect();
    if let Some(first) = text.first_mut() {
        *first = "Good";
    }
    format!("{}.", text.join(" "))
}

/// An article of about 800 words: an introduction, five sections with two paragraphs and a
/// list each, and a link to the next article.
fn article_markdown(n: usize, pages: usize) -> String {
    let mut markdown = format!("{}\n\n", paragraph(n, 60));
    for section in 0..5 {
        markdown.push_str(&format!("## Garden shears part {section} for page {n}\n\n"));
        markdown.push_str(&format!("{}\n\n", paragraph(n + section, 70)));
        markdown.push_str(&format!("{}\n\n", paragraph(n * 3 + section, 70)));
        markdown.push_str("- sharp steel blade\n- soft grip handle\n- safety lock\n\n");
    }
    let next = (n + 1) % pages;
    markdown.push_str(&format!(
        "Read the [guide to shears number {next}](/article-{next}/) next.\n"
    ));
    markdown
}

fn page(id: String, slug: String, kind: PageKind, title: String, markdown: String) -> PageSpec {
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    PageSpec {
        id,
        slug,
        kind,
        meta_description: format!("{title}: tested by hand, with prices and the best picks."),
        title,
        markdown,
        category: (kind == PageKind::Article).then(|| "shears".to_owned()),
        published_at: at,
        updated_at: at,
        products: Vec::new(),
        faq: Vec::new(),
        translations: Vec::new(),
        ai_generated: true,
        monetised: false,
    }
}

/// A site of `articles` articles, a home page and one category.
fn spec(articles: usize) -> SiteSpec {
    let mut pages = vec![
        page(
            "home".into(),
            String::new(),
            PageKind::Home,
            "Garden Tools".into(),
            paragraph(0, 120),
        ),
        page(
            "c1".into(),
            "shears".into(),
            PageKind::Category,
            "Shears".into(),
            paragraph(1, 120),
        ),
    ];
    pages.extend((0..articles).map(|n| {
        page(
            format!("a{n}"),
            format!("article-{n}"),
            PageKind::Article,
            format!("Garden shears guide number {n}"),
            article_markdown(n, articles),
        )
    }));
    SiteSpec {
        slug: "garden".into(),
        name: "Garden Tools".into(),
        base_url: BASE_URL.into(),
        language: Language::En,
        theme: Theme::Clean,
        settings: LegalSettings {
            owner_name: "Garden Tools".into(),
            address_lines: vec!["1 Main St".into()],
            email: "info@garden.invalid".into(),
            ..LegalSettings::default()
        },
        pages,
        images: Default::default(),
        analytics_url: None,
    }
}

fn write_files(files: &BTreeMap<String, Vec<u8>>, root: &Path) {
    for (path, bytes) in files {
        let target = root.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

/// What the audit reads of a build, as the `audit_site` kind prepares it.
struct Audited {
    pages: Vec<PageInput>,
    robots: String,
    sitemap: String,
    assets: AssetSizes,
}

fn audited(files: &BTreeMap<String, Vec<u8>>) -> Audited {
    let base = Url::parse(BASE_URL).unwrap();
    let text = |path: &str| String::from_utf8_lossy(&files[path]).into_owned();
    let pages = files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| {
            let folder = path.strip_suffix("index.html").unwrap_or(path);
            let kind = match folder {
                "" => AuditKind::Home,
                "shears/" => AuditKind::Category,
                folder if folder.starts_with("article-") => AuditKind::Article,
                _ => AuditKind::Legal,
            };
            PageInput {
                id: PageId(path.clone()),
                url: base.join(folder).unwrap().into(),
                kind,
                language: Language::En,
                keyphrase: (kind == AuditKind::Article).then(|| "garden shears".to_owned()),
                html: String::from_utf8_lossy(bytes).into_owned(),
            }
        })
        .collect();
    Audited {
        pages,
        robots: text("robots.txt"),
        sitemap: text("sitemap.xml"),
        assets: files
            .iter()
            .filter(|(path, _)| !path.ends_with(".html"))
            .map(|(path, bytes)| (format!("/{path}"), bytes.len() as u64))
            .collect(),
    }
}

fn build_benches(c: &mut Criterion) {
    let spec = spec(97);
    let files = site::render_site(&spec).unwrap();
    let html_pages = files.keys().filter(|path| path.ends_with(".html")).count();
    println!("a {html_pages}-page build: {} files", files.len());

    let mut group = c.benchmark_group("sites");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("build_100_pages", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |out| site::build(&spec, &out.path().join("build")).unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("write_same_files", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |out| write_files(&files, &out.path().join("build")),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn audit_benches(c: &mut Criterion) {
    let audited = audited(&site::render_site(&spec(997)).unwrap());
    println!("auditing {} pages", audited.pages.len());
    let settings = AuditSettings::default();
    let others = DuplicateIndex::new(DuplicateConfig::default()).unwrap();
    let website = || WebsiteId("garden".into());

    let mut group = c.benchmark_group("sites");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("audit_1000_pages", |b| {
        b.iter(|| {
            let context =
                SiteContext::new(website(), &audited.pages, &audited.robots, &audited.assets);
            let pages = audit_pages(&context, &settings);
            let site = audit_site(&context, &audited.sitemap, Some(&others), &settings).unwrap();
            (pages, site)
        })
    });
    group.bench_function("scan_1000_pages", |b| {
        b.iter(|| SiteContext::new(website(), &audited.pages, &audited.robots, &audited.assets))
    });
    group.finish();
}

criterion_group!(benches, build_benches, audit_benches);
criterion_main!(benches);
