//! `check_offers` against a real store and a fake merchant on 127.0.0.1: a failing offer is
//! marked broken and its links move (same code) to the best fallback the page does not link
//! yet; an offer that answers again is marked active.

use empire_schema::models::{Link, NewOffer, Offer};
use empire_schema::types::{Language, Network, OfferStatus, PageKind};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::intelligence::web::{Fetcher, WebSettings};
use crate::monetization::monetise_site;
use crate::monetization::monetise_site::tests::support::{Env, env, page, website};
use crate::monetization::settings::AffiliateSettings;
use crate::website_builder::sites::SiteSettings;

async fn answering(server: &MockServer, route: &str, status: u16) {
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_string("<html></html>"))
        .mount(server)
        .await;
}

/// The environment's services with a fetcher that may reach the fake merchant.
fn services(env: &Env) -> Services {
    let web = Fetcher::new(WebSettings {
        allow_loopback: true,
        timeout_ms: 5_000,
        ..WebSettings::default()
    })
    .unwrap();
    Services {
        web,
        ..env.services.clone()
    }
}

async fn check(services: &Services, input: Value) -> Output {
    serde_json::from_value(run(services.clone(), input).await.unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_offers_links_move_to_the_best_fallback_and_come_back_as_active() {
    let merchant = MockServer::start().await;
    answering(&merchant, "/grinder", 404).await;
    answering(&merchant, "/kettle", 200).await;
    answering(&merchant, "/course", 200).await;
    let env = env(SiteSettings {
        affiliate: AffiliateSettings {
            awin_publisher_id: "234567".into(),
            digistore24_affiliate_id: "empire_aff".into(),
        },
        ..SiteSettings::default()
    })
    .await;
    let db = env.db();
    let services = services(&env);
    let site = website(db, "coffee-corner", "coffee", Language::En).await;
    let offer = |network, name: &str, route: &str| NewOffer {
        network,
        niche: "coffee".into(),
        name: name.into(),
        url: format!("{}{route}", merchant.uri()),
        advertiser_id: Some("1001".into()),
        product_id: Some("4242".into()),
        price_cents: None,
        currency: None,
    };
    Offer::upsert_many(
        db,
        vec![
            offer(Network::Awin, "Acme Grinder", "/grinder"),
            offer(Network::Digistore24, "Barista Course", "/course"),
            offer(Network::Awin, "Kettle Deluxe", "/kettle"),
        ],
    )
    .await
    .unwrap();
    let only_grinder = page(
        db,
        &site.id,
        "grinders",
        PageKind::Article,
        "We tested the Acme Grinder for weeks.",
        json!([]),
    )
    .await;
    let both = page(
        db,
        &site.id,
        "kit",
        PageKind::Article,
        "The Acme Grinder and the Kettle Deluxe make a kit.",
        json!([]),
    )
    .await;
    monetise_site::run(services.clone(), json!({ "website_id": site.id }))
        .await
        .unwrap();
    let offers = Offer::active_for_niche(db, "coffee").await.unwrap();
    let id_of = |name: &str| offers.iter().find(|o| o.name == name).unwrap().id.clone();
    let (grinder, course, kettle) = (
        id_of("Acme Grinder"),
        id_of("Barista Course"),
        id_of("Kettle Deluxe"),
    );
    let links = Link::for_offer(db, &grinder).await.unwrap();
    assert_eq!(links.len(), 2);

    let output = check(&services, json!({ "niche": "coffee" })).await;
    // Only offers some link leads to are checked: nothing names the course yet.
    assert_eq!(output.checked, 2);
    assert_eq!(output.broken.len(), 1, "{output:?}");
    let broken = &output.broken[0];
    assert_eq!(broken.offer_id, grinder);
    assert!(broken.reason.contains("404"), "{}", broken.reason);
    assert!(broken.stranded.is_empty(), "{broken:?}");
    assert_eq!(
        Offer::get(db, &grinder).await.unwrap().status,
        OfferStatus::Broken
    );
    let ids = &services.sites.settings.affiliate;
    for link in links {
        let moved = Link::get(db, &link.code).await.unwrap();
        // Same network first; a page that links the kettle already gets the next best.
        let expected = if link.page_id == only_grinder.id {
            &kettle
        } else {
            assert_eq!(link.page_id, both.id);
            &course
        };
        assert_eq!(&moved.offer_id, expected);
        let offer = Offer::get(db, expected).await.unwrap();
        assert_eq!(
            moved.target_url,
            tracking_url(&offer, ids, &link.code).unwrap()
        );
    }

    merchant.reset().await;
    answering(&merchant, "/grinder", 200).await;
    answering(&merchant, "/kettle", 200).await;
    answering(&merchant, "/course", 200).await;
    let output = check(&services, json!({})).await;
    assert_eq!(output.recovered, vec![grinder.clone()]);
    assert!(output.broken.is_empty());
    assert_eq!(
        Offer::get(db, &grinder).await.unwrap().status,
        OfferStatus::Active
    );
    assert!(
        Link::for_offer(db, &grinder).await.unwrap().is_empty(),
        "moved links stay moved"
    );
}

#[test]
fn limits_and_niches_are_checked() {
    let input = |value: Value| serde_json::from_value::<Input>(value).unwrap();
    assert!(validate(&input(json!({}))).is_empty());
    assert_eq!(validate(&input(json!({"limit": 0})))[0].field, "limit");
    assert_eq!(validate(&input(json!({"niche": " "})))[0].field, "niche");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_earning_little_per_click_gets_the_niches_best_recommended() {
    use empire_schema::models::{Click, Conversion, ReportedSale};
    use empire_schema::types::ConversionStatus;

    let merchant = MockServer::start().await;
    answering(&merchant, "/grinder", 200).await;
    answering(&merchant, "/kettle", 200).await;
    let env = env(SiteSettings {
        affiliate: AffiliateSettings {
            awin_publisher_id: "234567".into(),
            digistore24_affiliate_id: String::new(),
        },
        ..SiteSettings::default()
    })
    .await;
    let db = env.db();
    let services = services(&env);
    let site = website(db, "coffee-corner", "coffee", Language::En).await;
    let offer = |name: &str, route: &str| NewOffer {
        network: Network::Awin,
        niche: "coffee".into(),
        name: name.into(),
        url: format!("{}{route}", merchant.uri()),
        advertiser_id: Some("1001".into()),
        product_id: None,
        price_cents: None,
        currency: Some("EUR".into()),
    };
    Offer::upsert_many(
        db,
        vec![
            offer("Acme Grinder", "/grinder"),
            offer("Kettle Deluxe", "/kettle"),
        ],
    )
    .await
    .unwrap();
    page(
        db,
        &site.id,
        "kit",
        PageKind::Article,
        "The Acme Grinder and the Kettle Deluxe make a kit.",
        json!([]),
    )
    .await;
    monetise_site::run(services.clone(), json!({ "website_id": site.id }))
        .await
        .unwrap();
    let offers = Offer::active_for_niche(db, "coffee").await.unwrap();
    let id_of = |name: &str| offers.iter().find(|o| o.name == name).unwrap().id.clone();
    let (grinder, kettle) = (id_of("Acme Grinder"), id_of("Kettle Deluxe"));
    // 40 clicks each; the grinder earns 4 × 5.00 EUR (50 cents a click), the kettle one 3.00 EUR
    // sale and one declined (7.5 cents a click).
    let sales = [
        (&grinder, 500, ConversionStatus::Pending),
        (&grinder, 500, ConversionStatus::Approved),
        (&grinder, 500, ConversionStatus::Pending),
        (&grinder, 500, ConversionStatus::Pending),
        (&kettle, 300, ConversionStatus::Approved),
        (&kettle, 9_999, ConversionStatus::Declined),
    ];
    for offer_id in [&grinder, &kettle] {
        let link = Link::for_offer(db, offer_id).await.unwrap().remove(0);
        for _ in 0..40 {
            Click::record(db, &link, None).await.unwrap();
        }
        for (n, (_, cents, status)) in sales
            .iter()
            .enumerate()
            .filter(|(_, (id, _, _))| *id == offer_id)
        {
            let sale = ReportedSale {
                network: Network::Awin,
                external_id: format!("tx-{n}"),
                order_id: None,
                status: *status,
                commission_cents: *cents,
                sale_cents: None,
                currency: "EUR".into(),
                click_ref: Some(link.code.clone()),
                occurred_at: empire_schema::clock::now(),
            };
            Conversion::record(db, &format!("push/{n}"), "transaction", &sale)
                .await
                .unwrap();
        }
    }

    let output = check(&services, json!({ "niche": "coffee" })).await;

    assert!(output.broken.is_empty(), "{output:?}");
    assert_eq!(output.low_epc.len(), 1, "{output:?}");
    let weak = &output.low_epc[0];
    assert_eq!((&weak.offer_id, &weak.replacement_id), (&kettle, &grinder));
    assert_eq!((weak.epc_cents, weak.replacement_epc_cents), (7.5, 50.0));
    assert_eq!(weak.clicks, 40);
}
