//! Unit tests of the automatic fixes.

use super::*;
use crate::seo_optimizer::site_audit::fixtures::{
    ROBOTS, Spec, assets, good_specs, inputs, website,
};
use crate::seo_optimizer::site_audit::scan::scan;
use crate::seo_optimizer::site_audit::{AuditSettings, SiteContext, audit_pages};

fn broken_spec() -> Spec {
    let mut spec = good_specs().remove(1);
    spec.description = format!(
        "{} {}",
        spec.description,
        "It also covers fittings, reels, nozzles and storage tips for small and large gardens alike, with prices."
    );
    spec.images = "<figure><img src=\"/img/photo.jpg\"><figcaption>A green garden hose</figcaption></figure><img src=\"/img/red-garden-hose.3f2a9c1b.jpg\" alt=\"\">".into();
    spec.canonical = None;
    spec.viewport = false;
    spec.lang.clear();
    spec.body_extra = "<h1 class=\"x\">Second heading</h1><p>See <a href=\"https://other.example/hose\" target=\"_blank\" rel=\"sponsored\">the hose at Other Shop</a>.</p>".into();
    spec
}

fn failed_after(html: String) -> Vec<CheckId> {
    let mut specs = good_specs();
    let mut pages = inputs(&specs);
    pages[1].html = html;
    specs.truncate(0);
    let assets = assets();
    let site = SiteContext::new(website(), &pages, ROBOTS, &assets);
    audit_pages(&site, &AuditSettings::default())
        .remove(1)
        .failed
}

#[test]
fn fixes_make_the_targeted_checks_pass_without_changing_prose() {
    let spec = broken_spec();
    let before = failed_after(spec.html());
    let targeted = [
        CheckId::MetaDescriptionLength,
        CheckId::ImagesHaveAlt,
        CheckId::Canonical,
        CheckId::SingleH1,
        CheckId::ExternalLinksNoopener,
        CheckId::HtmlLang,
        CheckId::Viewport,
    ];
    for id in targeted {
        assert!(before.contains(&id), "{id} should fail before: {before:?}");
    }
    let context = FixContext::new(spec.url(), Language::En);
    let (fixed, applied) = fix_page(&spec.html(), &context);
    let kinds: Vec<FixKind> = applied.iter().map(|f| f.kind).collect();
    assert_eq!(kinds.iter().filter(|k| **k == FixKind::AddedAlt).count(), 2);
    for id in targeted {
        assert!(applied.iter().any(|f| f.check == id), "no fix for {id}");
    }
    let after = failed_after(fixed.clone());
    for id in targeted {
        assert!(!after.contains(&id), "{id} still fails: {after:?}");
    }
    assert!(fixed.contains("alt=\"A green garden hose\""), "{fixed}");
    assert!(fixed.contains("alt=\"Red garden hose\""), "{fixed}");
    assert!(fixed.contains("<link rel=\"canonical\" href=\"https://example.com/a/\">"));
    assert!(fixed.contains("rel=\"sponsored noopener\""));
    assert!(fixed.contains("<h2 class=\"x\">Second heading</h2>"));
    assert_eq!(scan(&fixed).main_text, scan(&spec.html()).main_text);
}

#[test]
fn fixes_are_idempotent_and_leave_a_good_page_alone() {
    let spec = broken_spec();
    let context = FixContext::new(spec.url(), Language::En);
    let (once, _) = fix_page(&spec.html(), &context);
    let (twice, applied) = fix_page(&once, &context);
    assert_eq!(twice, once);
    assert!(applied.is_empty(), "{applied:?}");

    let good = good_specs().remove(1).html();
    let (same, applied) = fix_page(&good, &context);
    assert_eq!(same, good);
    assert!(applied.is_empty(), "{applied:?}");
}

#[test]
fn descriptions_are_cut_at_a_word_boundary() {
    assert_eq!(truncate("short", 160), None);
    assert_eq!(
        truncate("one two three four", 12).as_deref(),
        Some("one two…")
    );
    assert_eq!(truncate("one two, three", 10).as_deref(), Some("one two…"));
    let cut = truncate(&"word ".repeat(50), 160).unwrap();
    assert!(cut.chars().count() <= 160 && cut.ends_with("word…"));
}

#[test]
fn a_relative_canonical_becomes_absolute() {
    let html = "<html lang=\"en\"><head><meta name=\"viewport\" content=\"x\"><link rel=\"canonical\" href=\"/a/\"></head><body></body></html>";
    let (fixed, applied) = fix_page(
        html,
        &FixContext::new("https://example.com/a/", Language::En),
    );
    assert_eq!(applied.len(), 1);
    assert_eq!(applied[0].kind, FixKind::MadeCanonicalAbsolute);
    assert!(fixed.contains("<link rel=\"canonical\" href=\"https://example.com/a/\">"));
}
