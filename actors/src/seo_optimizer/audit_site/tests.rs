//! `audit_site` against a real store and sites folder: a copied article is a near-duplicate and
//! fails the gate, a too-long meta description is fixed in a new build, the audited build stays
//! byte for byte, and a re-run reuses the fixed build.

use crate::intelligence::data::article_doc;
use chrono::{TimeZone, Utc};
use empire_schema::clock::new_id;
use empire_schema::models::{SiteBuild, SitePage, Website, WrittenPage};
use empire_schema::types::{Language, PageKind as StoredKind};
use serde_json::json;

use super::*;
use crate::monetization::monetise_site::tests::support::{Env, env, page, website};
use crate::seo_optimizer::site_audit::DuplicateIndex;
use crate::seo_optimizer::site_audit::{CheckId, main_text};
use crate::website_builder::site::{LegalSettings, PageKind, PageSpec, SiteSpec, Theme};
use crate::website_builder::sites::SiteSettings;

const ARTICLE: &str = "# The garden hose test\n\n\
Our team tested twelve garden hoses over a whole summer in three different gardens. \
Every hose was left in the sun, dragged over gravel and stored on a reel each evening.\n\n\
## Kinks and flow\n\n\
The lighter models kinked as soon as they were pulled around a corner, while the rubber \
hoses kept their shape and delivered an even flow to the sprinkler at the far end of the lawn.\n\n\
## Fittings\n\n\
Brass fittings survived every drop onto the patio; the plastic ones cracked after a few weeks \
and started to leak at the tap, which wasted water and soaked the shoes of whoever stood nearby.\n\n\
## Our verdict\n\n\
Buy a rubber hose with brass fittings, keep it on a reel out of the sun, and drain it before \
the first frost so that it lasts for many seasons without splitting.\n";

const OTHER: &str = "# Choosing a lawn sprinkler\n\n\
Oscillating sprinklers suit rectangular lawns, impact sprinklers reach far across large plots, \
and a simple spike sprinkler is enough for a small bed of flowers next to the terrace.\n";

fn long_description() -> String {
    "A very long description of lawn sprinklers that goes on and on about oscillating, impact \
     and spike sprinklers, their coverage, their water use, their price and how to set them up \
     for a small or large lawn in spring."
        .into()
}

fn kind(stored: StoredKind) -> PageKind {
    match stored {
        StoredKind::Home => PageKind::Home,
        StoredKind::Category => PageKind::Category,
        StoredKind::Article => PageKind::Article,
        StoredKind::Imprint => PageKind::Imprint,
        StoredKind::Privacy => PageKind::Privacy,
    }
}

/// The site's written pages as the builder would take them.
fn spec(env: &Env, site: &Website, pages: &[SitePage]) -> SiteSpec {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap();
    SiteSpec {
        slug: site.slug.clone(),
        name: site.name.clone(),
        base_url: env.services.sites.base_url(&site.slug, None),
        language: site.language,
        theme: Theme::Clean,
        settings: LegalSettings {
            owner_name: "Erika Muster".into(),
            address_lines: vec!["Hauptstr. 1".into(), "10115 Berlin".into()],
            email: "hello@garden.example".into(),
            ..LegalSettings::default()
        },
        images: Default::default(),
        analytics_url: None,
        pages: pages
            .iter()
            .map(|p| PageSpec {
                id: p.id.clone(),
                slug: p.slug.clone(),
                kind: kind(p.kind),
                title: p.title.clone(),
                meta_description: p.meta_description.clone(),
                markdown: p.markdown.clone(),
                category: None,
                published_at: at,
                updated_at: at,
                products: Vec::new(),
                faq: Vec::new(),
                translations: Vec::new(),
                ai_generated: p.ai_generated,
                monetised: false,
            })
            .collect(),
    }
}

/// Builds the site's pages as a new build and records it.
async fn build(env: &Env, site: &Website) -> (BuildId, Files) {
    let pages = SitePage::all(env.db(), &site.id).await.unwrap();
    let spec = spec(env, site, &pages);
    let id = BuildId::parse(&new_id()).unwrap();
    let manifest = env.services.sites.store.build(&spec, &id).unwrap();
    SiteBuild::create(
        env.db(),
        id.as_str(),
        &site.id,
        pages.len() as i64,
        manifest.files.len() as i64,
        manifest.total_bytes() as i64,
    )
    .await
    .unwrap();
    let files = env
        .services
        .sites
        .store
        .read_files(&site.slug, &id)
        .unwrap();
    (id, files)
}

/// Another site that published the article first, with its page's signature stored.
async fn original_site(env: &Env) {
    let db = env.db();
    let site = website(db, "garden-first", "garden", Language::En).await;
    page(
        db,
        &site.id,
        "",
        StoredKind::Home,
        "# Garden\n\nTools for the garden.",
        json!([]),
    )
    .await;
    let article = page(
        db,
        &site.id,
        "hose-review",
        StoredKind::Article,
        ARTICLE,
        json!([]),
    )
    .await;
    let (_, files) = build(env, &site).await;
    let html = String::from_utf8(files["hose-review/index.html"].clone()).unwrap();
    let index = DuplicateIndex::new(SeoSettings::default().duplicates()).unwrap();
    let signature = index.signature(&main_text(&html));
    let written = WrittenPage {
        title: article.title.clone(),
        meta_description: article.meta_description.clone(),
        markdown: article.markdown.clone(),
        products: json!([]),
        faq: json!([]),
        ai_generated: true,
        signature: Some(serde_json::to_value(signature).unwrap()),
    };
    assert!(
        SitePage::write(db, &article.id, written, article_doc)
            .await
            .unwrap()
    );
}

async fn audit_of(env: &Env, website_id: &str, build_id: &str) -> Output {
    let input = json!({ "website_id": website_id, "build_id": build_id });
    serde_json::from_value(run(env.services.clone(), input).await.unwrap()).unwrap()
}

fn meta_description(html: &str) -> String {
    let start = html.find("<meta name=\"description\" content=\"").unwrap() + 34;
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copied_article_fails_and_a_long_description_is_fixed_in_a_new_build() {
    let env = env(SiteSettings::default()).await;
    original_site(&env).await;
    let db = env.db();
    let site = website(db, "garden-copy", "garden", Language::En).await;
    page(
        db,
        &site.id,
        "",
        StoredKind::Home,
        "# Garden hoses\n\nHoses and sprinklers.",
        json!([]),
    )
    .await;
    let copied = page(
        db,
        &site.id,
        "hose-test",
        StoredKind::Article,
        ARTICLE,
        json!([]),
    )
    .await;
    let long = page(
        db,
        &site.id,
        "sprinklers",
        StoredKind::Article,
        OTHER,
        json!([]),
    )
    .await;
    SitePage::write(
        db,
        &long.id,
        WrittenPage {
            title: long.title.clone(),
            meta_description: long_description(),
            markdown: long.markdown.clone(),
            products: json!([]),
            faq: json!([]),
            ai_generated: true,
            signature: None,
        },
        article_doc,
    )
    .await
    .unwrap();
    let (original, before) = build(&env, &site).await;
    let manifest_before = env
        .services
        .sites
        .store
        .manifest(&site.slug, &original)
        .unwrap();

    let output = audit_of(&env, &site.id, original.as_str()).await;
    assert!(!output.passed);
    assert_ne!(output.build_id, original.as_str());
    assert_eq!(output.fixed_from.as_deref(), Some(original.as_str()));
    let copy_failure = output
        .failures
        .iter()
        .find(|f| f.page == copied.id)
        .unwrap();
    assert!(
        copy_failure.url.ends_with("/sites/garden-copy/hose-test/"),
        "{}",
        copy_failure.url
    );
    assert!(
        copy_failure
            .checks
            .iter()
            .any(|c| c.id == CheckId::NearDuplicate),
        "{copy_failure:?}"
    );
    let long_failure = output.failures.iter().find(|f| f.page == long.id);
    assert!(long_failure.is_none_or(|f| {
        f.checks
            .iter()
            .all(|c| c.id != CheckId::NearDuplicate && c.id != CheckId::MetaDescriptionLength)
    }));

    // The audited build is untouched; the fixed copy has the cut description.
    let store = &env.services.sites.store;
    assert_eq!(store.read_files(&site.slug, &original).unwrap(), before);
    assert_eq!(
        store.manifest(&site.slug, &original).unwrap(),
        manifest_before
    );
    let fixed_id = BuildId::parse(&output.build_id).unwrap();
    let fixed = store.read_files(&site.slug, &fixed_id).unwrap();
    let old = meta_description(std::str::from_utf8(&before["sprinklers/index.html"]).unwrap());
    let new = meta_description(std::str::from_utf8(&fixed["sprinklers/index.html"]).unwrap());
    assert!(
        old.chars().count() > 160 && new.chars().count() <= 160,
        "{old} / {new}"
    );
    assert!(
        old.starts_with(new.trim_end_matches('…').trim_end()),
        "{new}"
    );

    let rows = SiteBuild::get(db, &site.id, fixed_id.as_str())
        .await
        .unwrap();
    assert_eq!(rows.gate_passed, Some(false));
    assert_eq!(
        rows.report.0["failures"],
        serde_json::to_value(&output.failures).unwrap()
    );
    let audited = SiteBuild::get(db, &site.id, original.as_str())
        .await
        .unwrap();
    assert_eq!(audited.report.0[FIXED_BUILD], output.build_id);
    let audit = SitePage::get(db, &site.id, &copied.id)
        .await
        .unwrap()
        .audit
        .unwrap()
        .0;
    assert_eq!(
        (audit["build_id"].as_str(), audit["passed"].as_bool()),
        (Some(output.build_id.as_str()), Some(false))
    );

    // A re-run of the same step completes the same fixed build instead of making another.
    let again = audit_of(&env, &site.id, original.as_str()).await;
    assert_eq!(again.build_id, output.build_id);
    assert_eq!(store.builds(&site.slug).unwrap().len(), 2);
    // Auditing the fixed build finds nothing more to fix.
    let fixed_again = audit_of(&env, &site.id, fixed_id.as_str()).await;
    assert_eq!(
        (fixed_again.build_id.as_str(), fixed_again.fixed_pages),
        (fixed_id.as_str(), 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_other_site_the_article_is_no_near_duplicate() {
    let env = env(SiteSettings::default()).await;
    let db = env.db();
    let site = website(db, "garden-alone", "garden", Language::En).await;
    page(
        db,
        &site.id,
        "",
        StoredKind::Home,
        "# Garden hoses\n\nHoses and sprinklers.",
        json!([]),
    )
    .await;
    let article = page(
        db,
        &site.id,
        "hose-test",
        StoredKind::Article,
        ARTICLE,
        json!([]),
    )
    .await;
    let (id, _) = build(&env, &site).await;
    let output = audit_of(&env, &site.id, id.as_str()).await;
    let failure = output.failures.iter().find(|f| f.page == article.id);
    assert!(
        failure.is_none_or(|f| f.checks.iter().all(|c| c.id != CheckId::NearDuplicate)),
        "{failure:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_sites_and_builds_are_refused() {
    let env = env(SiteSettings::default()).await;
    let input = json!({ "website_id": "nope", "build_id": "b1" });
    let error = run(env.services.clone(), input).await.unwrap_err();
    assert_eq!(error, KindError::Failed("unknown website nope".into()));
    let site = website(env.db(), "garden-empty", "garden", Language::En).await;
    let input = json!({ "website_id": site.id, "build_id": "b1" });
    let error = run(env.services.clone(), input).await.unwrap_err();
    assert!(
        matches!(&error, KindError::Failed(m) if m.starts_with("unknown build b1")),
        "{error:?}"
    );
    for input in [
        json!({ "website_id": site.id }),
        json!({ "website_id": site.id, "build_id": "../x" }),
    ] {
        let error = run(env.services.clone(), input).await.unwrap_err();
        assert!(matches!(error, KindError::InvalidInput(_)), "{error:?}");
    }
}
