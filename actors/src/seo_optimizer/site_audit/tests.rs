//! Tests of the page audit, the site audit and the gate on the fixture site.

use super::fixtures::{ROBOTS, Spec, assets, good_specs, page_reports, site_report, sitemap};
use super::*;

fn check(report: &PageReport, id: CheckId) -> &CheckResult {
    report
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {:#?}", report.checks))
}

#[test]
fn the_good_site_passes_every_check() {
    let specs = good_specs();
    for report in page_reports(&specs, ROBOTS, &assets()) {
        assert!(
            report.failed.is_empty(),
            "{}: {:#?}",
            report.page,
            report.checks
        );
        assert_eq!(report.score, 100);
        assert!(report.stats.readability.is_some_and(|r| r > 50.0));
    }
    let site = site_report(&specs, &sitemap(&specs), ROBOTS);
    assert!(site.checks.iter().all(|c| c.passed), "{:#?}", site.checks);
    for (page, checks) in &site.pages {
        assert!(checks.iter().all(|c| c.passed), "{page}: {checks:#?}");
    }
}

#[test]
fn every_check_id_round_trips_and_every_rule_id_is_known() {
    for id in CheckId::ALL {
        assert_eq!(id.as_str().parse::<CheckId>().unwrap(), *id);
        assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
    }
    let facts = crate::seo_optimizer::page_facts::gather("<p>x</p>");
    for rule in crate::seo_optimizer::audit_page::rules::evaluate(&facts, "x") {
        assert!(rule.id.parse::<CheckId>().is_ok(), "{}", rule.id);
    }
}

/// Each page check fails when the fixture breaks what it checks, and names the problem.
#[test]
fn each_page_check_fails_on_its_broken_fixture() {
    type Mutation = fn(&mut Spec);
    let cases: Vec<(CheckId, Mutation)> = vec![
        (CheckId::TitlePresent, |s| s.title.clear()),
        (CheckId::TitleLength, |s| s.title = "Garden hose".into()),
        (CheckId::MetaDescriptionPresent, |s| s.description.clear()),
        (CheckId::MetaDescriptionLength, |s| {
            s.description = "garden hose ".repeat(20)
        }),
        (CheckId::SingleH1, |s| {
            s.body_extra = "<h1>Garden hose again</h1>".into()
        }),
        (CheckId::KeywordInTitle, |s| {
            s.title = "Watering Tools Guide: Tested Picks for Every Home".into()
        }),
        (CheckId::KeywordInH1, |s| s.h1 = "Watering".into()),
        (CheckId::KeywordInFirstParagraph, |s| {
            s.intro = "We tested a lot.".into()
        }),
        (CheckId::KeywordInMetaDescription, |s| {
            s.description =
                "A guide to watering tools: sizes, care and prices, so you can pick the right one."
                    .into()
        }),
        (CheckId::ImagesHaveAlt, |s| {
            s.images = "<img src=\"/img/photo.jpg\">".into()
        }),
        (CheckId::HasLinks, |s| s.links.clear()),
        (CheckId::HasSubheadings, |s| s.h2 = None),
        (CheckId::ContentLength, |s| s.paragraphs.truncate(2)),
        (CheckId::HtmlLang, |s| s.lang.clear()),
        (CheckId::Canonical, |s| s.canonical = Some("/a/".into())),
        (CheckId::Viewport, |s| s.viewport = false),
        (CheckId::HeadingOrder, |s| {
            s.body_extra = "<h4>Skipped a level</h4>".into()
        }),
        (CheckId::KeyphraseDensity, |s| {
            s.body_extra = format!("<p>{}</p>", "Garden hose. ".repeat(40))
        }),
        (CheckId::Readability, |s| {
            s.paragraphs = vec!["Notwithstanding considerable institutional incomprehensibility, contemporary manufacturers systematically overcomplicate irrigation accessories, necessitating extraordinarily comprehensive evaluations encompassing durability, ergonomics, compatibility and environmental sustainability considerations".repeat(3); 4]
        }),
        (CheckId::LinkText, |s| {
            s.links.push(("/b/".into(), "Click here".into()))
        }),
        (CheckId::CrawlableAnchors, |s| {
            s.body_extra = "<a href=\"javascript:void(0)\">Open the menu</a>".into()
        }),
        (CheckId::InternalLinks, |s| {
            s.links = vec![("https://other.example/".into(), "Another shop".into())]
        }),
        (CheckId::BrokenLinks, |s| {
            s.links.push(("/missing/".into(), "A missing guide".into()))
        }),
        (CheckId::ExternalLinksNoopener, |s| {
            s.body_extra =
                "<a href=\"https://other.example/x\" target=\"_blank\">Another shop</a>".into()
        }),
        (CheckId::CanonicalValid, |s| {
            s.canonical = Some("https://other.example/a/".into())
        }),
        (CheckId::Hreflang, |s| {
            s.head_extra =
                "<link rel=\"alternate\" hreflang=\"en-UK\" href=\"https://example.com/a/\">".into()
        }),
        (CheckId::StructuredData, |s| {
            s.head_extra = r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"Hose"}</script>"#.into()
        }),
        (CheckId::IsCrawlable, |s| {
            s.head_extra = "<meta name=\"robots\" content=\"noindex, follow\">".into()
        }),
    ];
    for (id, mutate) in cases {
        let mut specs = good_specs();
        mutate(&mut specs[1]);
        let reports = page_reports(&specs, ROBOTS, &assets());
        let result = check(&reports[1], id);
        assert!(!result.passed, "{id} passed: {}", result.message);
        assert!(reports[1].score < 100);
        assert!(!result.message.is_empty());
        assert!(reports[1].failed.contains(&id));
    }
}

#[test]
fn robots_txt_can_block_a_page() {
    let specs = good_specs();
    let reports = page_reports(&specs, "User-agent: *\nDisallow: /a/\n", &assets());
    assert!(!check(&reports[1], CheckId::RobotsAllowed).passed);
    assert!(check(&reports[2], CheckId::RobotsAllowed).passed);
}

#[test]
fn page_weight_counts_local_assets_against_the_budget() {
    let specs = good_specs();
    let reports = page_reports(&specs, ROBOTS, &assets());
    assert!(check(&reports[1], CheckId::PageWeight).passed);
    assert_eq!(reports[1].stats.asset_bytes, 80_000);
    let mut heavy = assets();
    heavy.insert("/img/photo.jpg".into(), 2_000_000);
    let reports = page_reports(&specs, ROBOTS, &heavy);
    let weight = check(&reports[1], CheckId::PageWeight);
    assert!(!weight.passed);
    assert!(weight.message.contains("budget"), "{}", weight.message);
}

#[test]
fn reciprocal_self_referencing_hreflang_passes_and_one_sided_fails() {
    let alternates = "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.com/a/\"><link rel=\"alternate\" hreflang=\"de\" href=\"https://example.com/b/\"><link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.com/a/\">";
    let mut specs = good_specs();
    specs[1].head_extra = alternates.into();
    specs[2].head_extra = alternates.into();
    let reports = page_reports(&specs, ROBOTS, &assets());
    assert!(
        check(&reports[1], CheckId::Hreflang).passed,
        "{}",
        check(&reports[1], CheckId::Hreflang).message
    );
    assert!(check(&reports[2], CheckId::Hreflang).passed);

    specs[2].head_extra.clear();
    let reports = page_reports(&specs, ROBOTS, &assets());
    let hreflang = check(&reports[1], CheckId::Hreflang);
    assert!(!hreflang.passed);
    assert!(
        hreflang.message.contains("does not link back"),
        "{}",
        hreflang.message
    );
}

#[test]
fn legal_pages_and_pages_without_keyphrase_skip_keyphrase_checks() {
    let mut specs = good_specs();
    specs[3].kind = PageKind::Legal;
    specs[3].paragraphs.truncate(1);
    specs[2].keyphrase = None;
    let reports = page_reports(&specs, ROBOTS, &assets());
    for report in &reports[2..] {
        assert!(report.checks.iter().all(|c| !c.id.needs_keyphrase()));
        assert!(report.failed.is_empty(), "{:#?}", report.checks);
    }
    let site = site_report(&specs, &sitemap(&specs), ROBOTS);
    let legal = &site.pages[&PageId("c".into())];
    assert!(legal.iter().all(|c| c.passed), "{legal:#?}");
}

fn site_check<'a>(report: &'a SiteReport, page: &str, id: CheckId) -> &'a CheckResult {
    report.pages[&PageId(page.into())]
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no {id} for {page}"))
}

#[test]
fn the_site_audit_finds_orphans_duplicate_titles_thin_pages_and_sitemap_gaps() {
    let mut specs = good_specs();
    // c: nobody links to it.
    specs[0].links.retain(|(path, _)| path != "/c/");
    // b: same title and description as a.
    specs[2].title = specs[1].title.clone();
    specs[2].description = specs[1].description.clone();
    // d: thin, and left out of the sitemap.
    let mut thin = Spec::article("d", "/d/", "desk lamp", 9);
    thin.paragraphs.truncate(1);
    specs[0]
        .links
        .push(("/d/".into(), "Our desk lamp guide".into()));
    let sitemap_xml = sitemap(&specs[..4]).replace(
        "</urlset>",
        "<url><loc>https://example.com/gone/</loc></url></urlset>",
    );
    specs.push(thin);

    let report = site_report(&specs, &sitemap_xml, ROBOTS);
    let failed = |page: &str, id| !site_check(&report, page, id).passed;
    assert!(failed("c", CheckId::OrphanPage));
    assert!(!failed("home", CheckId::OrphanPage), "home is exempt");
    assert!(!failed("a", CheckId::OrphanPage));
    assert!(failed("a", CheckId::DuplicateTitle) && failed("b", CheckId::DuplicateTitle));
    assert!(failed("a", CheckId::DuplicateDescription));
    assert!(!failed("c", CheckId::DuplicateTitle));
    assert!(failed("d", CheckId::ThinPage));
    assert!(!failed("a", CheckId::ThinPage));
    assert!(failed("d", CheckId::InSitemap));
    assert!(!failed("a", CheckId::InSitemap));
    let extra = report
        .checks
        .iter()
        .find(|c| c.id == CheckId::SitemapExtraUrls)
        .unwrap();
    assert!(
        !extra.passed && extra.message.contains("/gone/"),
        "{}",
        extra.message
    );
    assert!(
        site_check(&report, "d", CheckId::ThinPage)
            .message
            .contains("at least 300")
    );
}

#[test]
fn invalid_robots_txt_and_sitemap_fail_the_site_checks() {
    let specs = good_specs();
    let report = site_report(&specs, "<html></html>", "Disallow: /\nnonsense\n");
    let failed: Vec<CheckId> = report
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.id)
        .collect();
    assert_eq!(failed, [CheckId::RobotsTxtValid, CheckId::SitemapValid]);
}

#[test]
fn pages_copied_within_the_site_are_near_duplicates() {
    let mut specs = good_specs();
    specs[2].paragraphs = specs[1].paragraphs.clone();
    let report = site_report(&specs, &sitemap(&specs), ROBOTS);
    assert!(!site_check(&report, "a", CheckId::NearDuplicate).passed);
    assert!(!site_check(&report, "b", CheckId::NearDuplicate).passed);
    assert!(site_check(&report, "c", CheckId::NearDuplicate).passed);
    assert_eq!(report.near_duplicates.len(), 2);
}
