//! `/go/{code}`: a known code records the click and redirects to the stored tracking link; an
//! unknown or malformed code is a 404, never a redirect.

use chrono::NaiveDateTime;
use empire_actors::monetization::link_code;
use empire_schema::models::{
    Click, Link, NewOffer, NewWebsite, Offer, PlannedPage, SitePage, Website,
};
use empire_schema::types::{Language, Network, PageKind};
use empire_schema::{Db, WebsiteStatus};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::client::checked;
use crate::helpers::{TestApp, backends, spawn_app};

const TARGET: &str = "https://www.awin1.com/cread.php?awinmid=1001&awinaffid=234567&clickref=CODE&ued=https%3A%2F%2Fshop.example%2Fgrinder";

/// A site with one page and one offer, and the page's link to it.
pub(crate) async fn link(db: &Db) -> Link {
    let site = Website::create(
        db,
        NewWebsite {
            slug: "coffee-corner".into(),
            name: "Coffee Corner".into(),
            niche: "coffee".into(),
            domain: None,
            language: Language::En,
            status: WebsiteStatus::Published,
            settings: json!({}),
        },
    )
    .await
    .unwrap();
    let planned = PlannedPage {
        slug: "grinders".into(),
        kind: PageKind::Article,
        article_type: None,
        keyword: "coffee grinder".into(),
        category: None,
        title: "Coffee grinders".into(),
        position: 0,
    };
    SitePage::plan(db, &site.id, vec![planned]).await.unwrap();
    let page = SitePage::all(db, &site.id).await.unwrap().remove(0);
    let offer = NewOffer {
        network: Network::Awin,
        niche: "coffee".into(),
        name: "Acme Grinder".into(),
        url: "https://shop.example/grinder".into(),
        advertiser_id: Some("1001".into()),
        product_id: None,
        price_cents: Some(4_999),
        currency: Some("EUR".into()),
    };
    Offer::upsert_many(db, vec![offer]).await.unwrap();
    let offer = Offer::active_for_niche(db, "coffee")
        .await
        .unwrap()
        .remove(0);
    let code = link_code::new_code();
    let target = TARGET.replace("CODE", &code);
    Link::get_or_create(db, code, &site.id, &page.id, &offer.id, target)
        .await
        .unwrap()
}

/// GET without following redirects, checked against `/openapi.json` like every answer.
async fn go(app: &TestApp, code: &str, referrer: Option<&str>) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = client.get(app.url(&format!("/go/{code}")));
    if let Some(referrer) = referrer {
        request = request.header(reqwest::header::REFERER, referrer);
    }
    checked(&Method::GET, request.send().await.unwrap()).await
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response.headers()[name].to_str().unwrap()
}

async fn clicks(db: &Db, website_id: &str) -> Vec<Click> {
    let since = NaiveDateTime::default();
    Click::for_website_since(db, website_id, since)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_code_records_the_click_and_redirects_to_the_tracking_link() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let link = link(&app.db).await;
        let referrer = "https://coffee.example/grinders/";
        let response = go(&app, &link.code, Some(referrer)).await;
        assert_eq!(response.status(), 302);
        assert_eq!(header(&response, "location"), link.target_url);
        assert!(link.target_url.contains(&format!("clickref={}", link.code)));
        assert_eq!(header(&response, "cache-control"), "no-store");
        assert_eq!(header(&response, "referrer-policy"), "no-referrer");
        assert!(header(&response, "x-robots-tag").contains("noindex"));

        let recorded = clicks(&app.db, &link.website_id).await;
        assert_eq!(recorded.len(), 1);
        let click = &recorded[0];
        assert_eq!(
            (
                click.code.as_str(),
                click.page_id.as_str(),
                click.offer_id.as_str()
            ),
            (
                link.code.as_str(),
                link.page_id.as_str(),
                link.offer_id.as_str()
            )
        );
        assert_eq!(click.referrer.as_deref(), Some(referrer));

        // A second click is a second row; an overlong referrer is cut to 512 characters.
        let long = format!("https://coffee.example/?q={}", "x".repeat(1_000));
        assert_eq!(go(&app, &link.code, Some(&long)).await.status(), 302);
        assert_eq!(go(&app, &link.code, None).await.status(), 302);
        let recorded = clicks(&app.db, &link.website_id).await;
        assert_eq!(recorded.len(), 3);
        let referrers: Vec<Option<usize>> = recorded
            .iter()
            .map(|c| c.referrer.as_ref().map(|r| r.chars().count()))
            .collect();
        assert!(
            referrers.contains(&Some(512)) && referrers.contains(&None),
            "{referrers:?}"
        );

        let metrics = app.get("/metrics").await.text().await.unwrap();
        assert!(
            metrics.contains(r#"link_clicks_total{outcome="redirected"}"#),
            "{metrics}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_or_malformed_codes_are_not_found_and_never_redirect() {
    let app = spawn_app(crate::helpers::TestBackend::Sqlite).await;
    let link = link(&app.db).await;
    let unknown = link_code::new_code();
    for code in [
        unknown.as_str(),
        "short",
        "https%3A%2F%2Fevil.example",
        &"a".repeat(65),
    ] {
        let response = go(&app, code, None).await;
        assert_eq!(response.status(), 404, "{code}");
        assert!(response.headers().get("location").is_none());
        assert_eq!(
            header(&response, "content-type"),
            "application/problem+json"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], 404);
    }
    assert!(clicks(&app.db, &link.website_id).await.is_empty());
}
