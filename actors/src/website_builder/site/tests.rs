//! Builds whole sites in both themes and languages and reads the output back as a crawler would.

pub(super) mod fixture;
pub(crate) mod markup;
mod output;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use markup::{Element, parse};

use super::*;

fn built(language: Language, theme: Theme) -> (tempfile::TempDir, SiteSpec, BuildManifest) {
    let spec = fixture::site(language, theme, 20);
    let dir = tempfile::tempdir().unwrap();
    let manifest = build(&spec, &dir.path().join("out")).unwrap();
    (dir, spec, manifest)
}

fn read(dir: &tempfile::TempDir, path: &str) -> String {
    fs::read_to_string(dir.path().join("out").join(path)).unwrap()
}

fn named<'a>(elements: &'a [Element], name: &str) -> Vec<&'a Element> {
    elements.iter().filter(|e| e.name == name).collect()
}

fn page_files(manifest: &BuildManifest) -> Vec<String> {
    manifest
        .files
        .iter()
        .filter(|f| f.path.ends_with("index.html"))
        .map(|f| f.path.clone())
        .collect()
}

fn json_ld(elements: &[Element]) -> Vec<serde_json::Value> {
    elements
        .iter()
        .filter(|e| e.name == "script" && e.attr("type") == Some("application/ld+json"))
        .map(|e| serde_json::from_str(&e.inner).unwrap())
        .collect()
}

fn types(graph: &serde_json::Value) -> BTreeSet<String> {
    graph["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["@type"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_page_is_well_formed_with_the_required_tags_in_both_themes_and_languages() {
    for theme in Theme::ALL {
        for language in [Language::En, Language::De] {
            let (dir, spec, manifest) = built(language, theme);
            let pages = page_files(&manifest);
            assert_eq!(pages.len(), 22, "20 pages plus imprint and privacy");
            for path in &pages {
                let html = read(&dir, path);
                let at = format!("{theme}/{language}/{path}");
                assert!(html.starts_with("<!doctype html>"), "{at}");
                let els = parse(&html, false).unwrap_or_else(|e| panic!("{at}: {e}"));
                let root = &named(&els, "html")[0];
                assert_eq!(root.attr("lang"), Some(language.as_str()), "{at}");
                let titles = named(&els, "title");
                assert_eq!(titles.len(), 1, "{at}");
                assert!(!titles[0].text().trim().is_empty(), "{at}");
                let meta = |name: &str| {
                    els.iter()
                        .filter(|e| e.name == "meta" && e.attr("name") == Some(name))
                        .count()
                };
                assert_eq!(meta("description"), 1, "{at}");
                let canonical: Vec<_> = els
                    .iter()
                    .filter(|e| e.name == "link" && e.attr("rel") == Some("canonical"))
                    .collect();
                assert_eq!(canonical.len(), 1, "{at}");
                let expected = format!(
                    "https://kitchen.example/{}",
                    path.trim_end_matches("index.html")
                );
                assert_eq!(canonical[0].attr("href"), Some(expected.as_str()), "{at}");
                assert_eq!(named(&els, "h1").len(), 1, "{at}");
                let graphs = json_ld(&els);
                assert_eq!(graphs.len(), 1, "{at}");
                assert!(
                    types(&graphs[0]).iter().any(|t| t.ends_with("Page")),
                    "{at}"
                );
                let beacons: Vec<_> = named(&els, "script")
                    .into_iter()
                    .filter(|e| {
                        e.attr("src")
                            .is_some_and(|s| s.starts_with("/assets/beacon."))
                    })
                    .collect();
                assert_eq!(beacons.len(), 1, "{at}");
                assert_eq!(beacons[0].attr("data-site"), Some("kitchen-gear"), "{at}");
                if language == Language::De {
                    let impressum = els.iter().any(|e| {
                        e.name == "a"
                            && e.attr("href") == Some("/impressum/")
                            && e.text() == "Impressum"
                    });
                    assert!(impressum, "{at} links no Impressum");
                }
            }
            let page_count = spec.pages.len();
            assert_eq!(page_count, 20);
        }
    }
}

#[test]
fn monetised_and_ai_pages_carry_disclosure_and_marking() {
    for (language, label) in [(Language::En, "Disclosure:"), (Language::De, "Anzeige:")] {
        let (dir, spec, _) = built(language, Theme::Clean);
        for page in spec.pages.iter().filter(|p| p.kind == PageKind::Article) {
            let html = read(&dir, &format!("{}index.html", page_path(page)));
            let els = parse(&html, false).unwrap();
            let disclosure = els
                .iter()
                .any(|e| e.attr("class") == Some("disclosure") && e.text().starts_with(label));
            assert_eq!(disclosure, page.monetised, "{}", page.id);
            let meta = els.iter().any(|e| {
                e.name == "meta"
                    && e.attr("name") == Some("ai-generated")
                    && e.attr("content") == Some("true")
            });
            let note = els.iter().any(|e| e.attr("class") == Some("ai-note"));
            let graph = &json_ld(&els)[0];
            let marked = graph["@graph"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["digitalSourceType"] == AI_SOURCE_TYPE);
            assert_eq!(meta, page.ai_generated, "{}", page.id);
            assert_eq!(note, page.ai_generated, "{}", page.id);
            assert_eq!(marked, page.ai_generated, "{}", page.id);
            if page.monetised {
                let offers: Vec<_> = els
                    .iter()
                    .filter(|e| {
                        e.name == "a"
                            && e.attr("href")
                                .is_some_and(|h| h.starts_with("https://shop.example"))
                    })
                    .collect();
                assert!(!offers.is_empty(), "{}", page.id);
                for link in offers {
                    assert_eq!(link.attr("rel"), Some(SPONSORED_REL), "{}", page.id);
                }
            }
        }
    }
}

#[test]
fn structured_data_names_article_product_review_breadcrumbs_and_faq() {
    let (dir, spec, _) = built(Language::En, Theme::Magazine);
    let page = spec
        .pages
        .iter()
        .find(|p| p.monetised && !p.faq.is_empty())
        .unwrap();
    let els = parse(
        &read(&dir, &format!("{}index.html", page_path(page))),
        false,
    )
    .unwrap();
    let graph = &json_ld(&els)[0];
    let found = types(graph);
    for wanted in ["WebPage", "Article", "Product", "BreadcrumbList", "FAQPage"] {
        assert!(found.contains(wanted), "{wanted} missing from {found:?}");
    }
    let product = graph["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["@type"] == "Product")
        .unwrap();
    assert_eq!(product["offers"]["price"], "129.99");
    assert_eq!(product["offers"]["priceCurrency"], "EUR");
    assert_eq!(product["review"]["reviewRating"]["ratingValue"], "4.5");
    assert_eq!(product["isBasedOn"], "awin feed 2025-01-01");
    let crumbs = graph["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["@type"] == "BreadcrumbList")
        .unwrap();
    assert_eq!(crumbs["itemListElement"].as_array().unwrap().len(), 3);
    let raw = els
        .iter()
        .find(|e| e.attr("type") == Some("application/ld+json"))
        .unwrap();
    assert!(!raw.inner.contains('<'), "`<` must be escaped in JSON-LD");
}

#[test]
fn translated_pages_list_hreflang_alternates_including_themselves() {
    let (dir, spec, _) = built(Language::En, Theme::Clean);
    let page = spec
        .pages
        .iter()
        .find(|p| !p.translations.is_empty())
        .unwrap();
    let els = parse(
        &read(&dir, &format!("{}index.html", page_path(page))),
        false,
    )
    .unwrap();
    let alternates: Vec<(String, String)> = els
        .iter()
        .filter(|e| e.name == "link" && e.attr("hreflang").is_some())
        .map(|e| {
            (
                e.attr("hreflang").unwrap().to_owned(),
                e.attr("href").unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        alternates,
        vec![
            (
                "de".to_owned(),
                "https://other.example/review-0/".to_owned()
            ),
            (
                "en".to_owned(),
                "https://kitchen.example/blenders/review-0/".to_owned()
            ),
        ]
    );
}
