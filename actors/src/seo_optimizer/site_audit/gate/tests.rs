//! Tests of the publish gate, and the timing run over 1,000 pages.

use super::*;
use crate::seo_optimizer::site_audit::fixtures::{
    ROBOTS, Spec, assets, good_specs, inputs, page_reports, site_report, sitemap, website,
};
use crate::seo_optimizer::site_audit::{
    AuditSettings, PageKind, SiteContext, audit_pages, audit_site,
};

#[test]
fn the_gate_passes_a_good_site_and_lists_failures_per_page() {
    let specs = good_specs();
    let settings = GateSettings::default();
    let decision = gate(
        &site_report(&specs, &sitemap(&specs), ROBOTS),
        &page_reports(&specs, ROBOTS, &assets()),
        &settings,
    );
    assert!(decision.passed, "{decision:#?}");
    assert!(decision.failures.is_empty());

    let mut specs = good_specs();
    specs[1]
        .links
        .push(("/missing/".into(), "A missing guide".into()));
    specs[3].title.clear();
    specs[3].description.clear();
    specs[3].h1.clear();
    specs[3].body_extra = "<h1>One</h1><h1>Two</h1>".into();
    let decision = gate(
        &site_report(&specs, &sitemap(&specs), ROBOTS),
        &page_reports(&specs, ROBOTS, &assets()),
        &settings,
    );
    assert!(!decision.passed);
    let pages: Vec<&str> = decision
        .failures
        .iter()
        .map(|f| f.page.0.as_str())
        .collect();
    assert_eq!(pages, ["a", "c"]);
    // a scores well but has a broken link, which blocks on its own.
    assert!(decision.failures[0].score >= settings.min_page_score);
    assert_eq!(decision.failures[0].failed, [CheckId::BrokenLinks]);
    assert!(decision.failures[1].score < settings.min_page_score);
    for id in [
        CheckId::TitlePresent,
        CheckId::MetaDescriptionPresent,
        CheckId::SingleH1,
    ] {
        assert!(decision.failures[1].failed.contains(&id), "{id}");
    }
}

#[test]
fn the_gate_blocks_near_duplicates_above_the_limit_and_site_failures() {
    let mut specs = good_specs();
    specs[2].paragraphs = specs[1].paragraphs.clone();
    let site = site_report(&specs, &sitemap(&specs), "junk line\n");
    let pages = page_reports(&specs, ROBOTS, &assets());
    let decision = gate(&site, &pages, &GateSettings::default());
    assert!(!decision.passed);
    assert_eq!(decision.site_failures, [CheckId::RobotsTxtValid]);
    let pages_failed: Vec<&str> = decision
        .failures
        .iter()
        .map(|f| f.page.0.as_str())
        .collect();
    assert_eq!(pages_failed, ["a", "b"]);
    assert!(
        decision
            .failures
            .iter()
            .all(|f| f.failed.contains(&CheckId::NearDuplicate))
    );

    let lenient = GateSettings {
        max_duplicate_similarity: 1.0,
        min_page_score: 0,
        blocking: Vec::new(),
    };
    assert!(gate(&site, &pages, &lenient).passed);
}

/// Audits 1,000 generated pages (ten sites of 100) and prints the time; the target is
/// under a second. Run with `cargo test --release -- --ignored --nocapture audit_1000`.
#[test]
#[ignore]
fn audit_1000_pages_timing() {
    let sites: Vec<Vec<Spec>> = (0..10u64)
        .map(|site| {
            let mut specs: Vec<Spec> = (0..100u64)
                .map(|i| {
                    let kp = format!("topic{site}x{i} gadget");
                    Spec::article(&format!("p{i}"), &format!("/p{i}/"), &kp, site * 1000 + i)
                })
                .collect();
            specs[0].path = "/".into();
            specs[0].kind = PageKind::Home;
            for (i, spec) in specs.iter_mut().enumerate().skip(1) {
                let next = (i + 1) % 100;
                let path = if next == 0 {
                    "/".to_owned()
                } else {
                    format!("/p{next}/")
                };
                spec.links.push((path, format!("Our guide number {next}")));
            }
            specs[0].links = vec![("/p1/".into(), "Our first guide".into())];
            specs
        })
        .collect();
    let assets = assets();
    let start = std::time::Instant::now();
    let mut failed = 0;
    let mut phases = [std::time::Duration::ZERO; 3];
    for specs in &sites {
        let pages = inputs(specs);
        let phase = std::time::Instant::now();
        let site = SiteContext::new(website(), &pages, ROBOTS, &assets);
        phases[0] += phase.elapsed();
        let phase = std::time::Instant::now();
        let reports = audit_pages(&site, &AuditSettings::default());
        phases[1] += phase.elapsed();
        let phase = std::time::Instant::now();
        let report = audit_site(&site, &sitemap(specs), None, &AuditSettings::default()).unwrap();
        phases[2] += phase.elapsed();
        let decision = gate(&report, &reports, &GateSettings::default());
        if let Some(first) = decision.failures.first() {
            println!("first failure: {first:?}");
        }
        failed += decision.failures.len();
    }
    println!(
        "audited 1000 pages in {:?} ({failed} failing); scan {:?}, page checks {:?}, site checks {:?}",
        start.elapsed(),
        phases[0],
        phases[1],
        phases[2]
    );
    assert_eq!(failed, 0);
}
