//! Spec assembly from rows: settings, defaults, which pages are built, and links in the output.

use chrono::NaiveDate;
use empire_schema::json::Json;
use empire_schema::models::website::NewWebsite;
use empire_schema::types::{Language, WebsiteStatus};
use serde_json::json;

use super::*;
use crate::website_builder::site::{SPONSORED_REL, render_site};

pub(super) fn website(language: Language, settings: Value) -> Website {
    Website::row(NewWebsite {
        slug: "garden".into(),
        name: "Garden Tools".into(),
        niche: "garden".into(),
        domain: None,
        language,
        status: WebsiteStatus::Building,
        settings,
    })
}

pub(super) fn page(id: &str, slug: &str, kind: &str, markdown: &str) -> SitePage {
    let at = NaiveDate::from_ymd_opt(2026, 3, 1)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .unwrap();
    SitePage {
        id: id.into(),
        website_id: "w".into(),
        slug: slug.into(),
        kind: kind.parse().unwrap(),
        article_type: None,
        keyword: "garden shears".into(),
        category: None,
        title: format!("Title of {id}"),
        meta_description: format!("What {id} says about garden tools."),
        markdown: markdown.into(),
        products: Json(json!([])),
        faq: Json(json!([])),
        position: 0,
        ai_generated: true,
        monetised: false,
        written: true,
        signature: None,
        audit: None,
        edited_at: None,
        created_at: at,
        updated_at: at,
    }
}

fn pages() -> Vec<SitePage> {
    let mut article = page(
        "a1",
        "best-shears",
        "article",
        "---\ntitle: Best shears\n---\n## Acme Shears\n\nThe Acme Shears cut well. Acme Shears again.\n",
    );
    article.category = Some("tools".into());
    article.products = Json(json!([
        {"name": "Acme Shears", "price_minor": 1999, "currency": "EUR", "source": "awin feed"}
    ]));
    let mut unwritten = page("a2", "later", "article", "");
    unwritten.written = false;
    unwritten.meta_description = String::new();
    vec![
        page("home", "", "home", "Welcome to the garden.\n"),
        page("c1", "tools", "category", "All the tools.\n"),
        article,
        unwritten,
    ]
}

fn offers() -> BTreeMap<String, Vec<OfferLink>> {
    BTreeMap::from([(
        "a1".to_owned(),
        vec![OfferLink {
            name: "Acme Shears".into(),
            url: "http://127.0.0.1:8080/go/code123".into(),
        }],
    )])
}

#[test]
fn settings_give_the_theme_and_legal_details_with_defaults() {
    let site = website(Language::En, json!({"pages": 5, "theme": "magazine"}));
    let spec = site_spec(
        &site,
        &pages(),
        &offers(),
        "https://x.example/".into(),
        &LegalSettings::default(),
    )
    .unwrap();
    assert_eq!(spec.theme, Theme::Magazine);
    assert_eq!(spec.settings.owner_name, "Garden Tools");
    assert_eq!(spec.settings.email, "info@garden.invalid");
    assert_eq!(spec.language, Language::En);

    let de = website(
        Language::De,
        json!({"legal": {"owner_name": "Beispiel GmbH", "address_lines": ["Weg 1", "10115 Berlin"], "email": "kontakt@beispiel.de"}}),
    );
    let spec = site_spec(
        &de,
        &pages(),
        &offers(),
        "https://x.example/".into(),
        &LegalSettings::default(),
    )
    .unwrap();
    assert_eq!(spec.theme, Theme::Clean);
    assert_eq!(spec.settings.owner_name, "Beispiel GmbH");
    assert_eq!(spec.settings.address_lines.len(), 2);
    assert_eq!(spec.settings.email, "kontakt@beispiel.de");

    // A site without legal details takes the operator's, field by field.
    let operator = LegalSettings {
        owner_name: "Muster Medien GmbH".into(),
        address_lines: vec!["Hauptstr. 1".into(), "10115 Berlin".into()],
        vat_id: Some("DE123456789".into()),
        ..LegalSettings::default()
    };
    let bare = website(
        Language::De,
        json!({"legal": {"email": "post@garten.example"}}),
    );
    let spec = site_spec(
        &bare,
        &pages(),
        &offers(),
        "https://x.example/".into(),
        &operator,
    )
    .unwrap();
    assert_eq!(spec.settings.owner_name, "Muster Medien GmbH");
    assert_eq!(spec.settings.address_lines, operator.address_lines);
    assert_eq!(spec.settings.email, "post@garten.example");
    assert_eq!(spec.settings.vat_id.as_deref(), Some("DE123456789"));

    let bad = website(Language::En, json!({"theme": "neon"}));
    assert_eq!(
        site_spec(
            &bad,
            &pages(),
            &offers(),
            "https://x.example/".into(),
            &LegalSettings::default()
        )
        .unwrap_err(),
        SpecError::UnknownTheme("neon".into())
    );
}

#[test]
fn written_pages_are_built_with_links_products_and_the_monetised_flag() {
    let site = website(Language::En, json!({}));
    let spec = site_spec(
        &site,
        &pages(),
        &offers(),
        "https://x.example/".into(),
        &LegalSettings::default(),
    )
    .unwrap();
    let ids: Vec<&str> = spec.pages.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["home", "c1", "a1"], "the unwritten page waits");
    let article = &spec.pages[2];
    assert!(article.monetised);
    assert!(!spec.pages[0].monetised);
    assert_eq!(article.kind, PageKind::Article);
    assert!(article.ai_generated);
    assert!(
        article.markdown.contains(
            "## Acme Shears\n\nThe [Acme Shears](http://127.0.0.1:8080/go/code123) cut well. Acme Shears again."
        ),
        "{}",
        article.markdown
    );
    assert_eq!(
        article.products[0].offer_url.as_deref(),
        Some("http://127.0.0.1:8080/go/code123")
    );
}

#[test]
fn the_built_page_carries_a_sponsored_link_and_the_disclosure() {
    let site = website(Language::En, json!({}));
    let spec = site_spec(
        &site,
        &pages(),
        &offers(),
        "https://x.example/".into(),
        &LegalSettings::default(),
    )
    .unwrap();
    let files = render_site(&spec).unwrap();
    let html = String::from_utf8(files["tools/best-shears/index.html"].clone()).unwrap();
    assert!(
        html.contains(&format!(
            "<a href=\"http://127.0.0.1:8080/go/code123\" rel=\"{SPONSORED_REL}\">Acme Shears</a>"
        )),
        "{html}"
    );
    assert!(html.contains("affiliate links"), "{html}");
    let home = String::from_utf8(files["index.html"].clone()).unwrap();
    assert!(!home.contains("rel=\"sponsored"), "{home}");
}

#[test]
fn unreadable_page_json_names_the_page() {
    let site = website(Language::En, json!({}));
    let mut rows = pages();
    rows[2].faq = Json(json!({"not": "a list"}));
    let err = site_spec(
        &site,
        &rows,
        &offers(),
        "https://x.example/".into(),
        &LegalSettings::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, SpecError::Page { ref page, field: "faq", .. } if page == "a1"),
        "{err}"
    );
}
