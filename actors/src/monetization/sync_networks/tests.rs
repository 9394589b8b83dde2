//! The sync against fake AWIN and Digistore24 servers speaking their documented formats.

use std::time::Duration;

use empire_schema::Json;
use empire_schema::Secret;
use empire_schema::models::{Conversion, Delivery, ReportedSale, Subscription};
use empire_schema::page::PageRequest;
use empire_schema::types::{ConversionStatus, Network};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::monetization::networks::{AwinApi, Digistore24Api, NetworkApis, client};
use crate::website_builder::testing;

const TOKEN: &str = "awin-token-0123456789";
const KEY: &str = "123-dsKEY";

fn awin(server: &MockServer, token: &str) -> AwinApi {
    let client = client(Duration::from_secs(5)).unwrap();
    AwinApi::new(
        client,
        &server.uri(),
        Secret::new(token),
        "555",
        Duration::ZERO,
    )
}

fn transaction(id: i64, status: &str, commission: f64) -> serde_json::Value {
    json!({
        "id": id, "advertiserId": 1001, "publisherId": 555, "commissionStatus": status,
        "commissionAmount": {"amount": commission, "currency": "EUR"},
        "saleAmount": {"amount": 100.0, "currency": "EUR"},
        "clickRefs": {"clickRef": "NoSuchCode01"}, "transactionDate": "2026-11-20T10:00:00",
        "validationDate": null, "type": "Commission group transaction", "paidToPublisher": false
    })
}

fn pending(id: &str) -> ReportedSale {
    ReportedSale {
        network: Network::Awin,
        external_id: id.into(),
        order_id: None,
        status: ConversionStatus::Pending,
        commission_cents: 800,
        sale_cents: Some(10_000),
        currency: "EUR".into(),
        click_ref: None,
        occurred_at: now(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn awin_statuses_move_forward_once_and_programmes_become_offers() {
    let env = testing::services(|_| {}).await;
    let mut services = env.services.clone();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/publishers/555/transactions/"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(query_param("timezone", "UTC"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            transaction(1, "approved", 8.0),
            transaction(2, "declined", 4.5),
            transaction(3, "mystery", 1.0),
        ])))
        .expect(4)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/publishers/555/programmes"))
        .and(query_param("relationship", "joined"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 1001, "name": "Bean Shop", "displayUrl": "https://beans.example/",
             "currencyCode": "EUR", "primaryRegion": {"name": "Germany", "countryCode": "DE"}},
            {"id": 1002, "name": "No Site"}
        ])))
        .mount(&server)
        .await;
    services.networks = NetworkApis {
        awin: Some(awin(&server, TOKEN)),
        digistore24: None,
    };
    // n8n listens for sales: each status the sync applies is one event.
    let subscription = Subscription {
        id: "sub-1".into(),
        url: "http://127.0.0.1:9/hook".into(),
        events: Json(vec!["conversion.recorded".into()]),
        secret: "whsec_c2VjcmV0".into(),
        created_at: now(),
        failing_since: None,
        disabled_at: None,
        disabled_reason: None,
    };
    Subscription::create(&services.db, &subscription)
        .await
        .unwrap();
    // Sale 1 was pushed (pending) before the sync learns it is approved.
    Conversion::record(&services.db, "push/1", "transaction", &pending("1"))
        .await
        .unwrap();

    let input = Input {
        days: Some(40),
        niche: Some("coffee".into()),
    };
    let first = sync(&services, &input).await.unwrap();
    let awin_sync = first.awin.unwrap();
    // Two 31-day windows; the fake answers the same three in each.
    assert_eq!(awin_sync.transactions, 6);
    assert_eq!((awin_sync.applied, awin_sync.repeated), (2, 2));
    assert_eq!(awin_sync.unreadable, vec!["3".to_owned(), "3".to_owned()]);
    assert_eq!((awin_sync.programmes, awin_sync.offers), (2, 1));
    assert_eq!(first.skipped.len(), 1);
    assert!(
        first.skipped[0].starts_with("digistore24: set"),
        "{:?}",
        first.skipped
    );
    let approved = Conversion::find(&services.db, Network::Awin, "1")
        .await
        .unwrap();
    assert_eq!(approved.status, ConversionStatus::Approved);
    let declined = Conversion::find(&services.db, Network::Awin, "2")
        .await
        .unwrap();
    assert_eq!(
        (declined.status, declined.commission_cents),
        (ConversionStatus::Declined, 450)
    );
    let offers = Offer::active_for_niche(&services.db, "coffee")
        .await
        .unwrap();
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].advertiser_id.as_deref(), Some("1001"));

    let events = Delivery::of_subscription(&services.db, "sub-1", &PageRequest::first(100))
        .await
        .unwrap()
        .items;
    // Sale 1 approved and sale 2 declined (the pending one was stored before the subscription
    // mattered: it was recorded directly).
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events.iter().all(|e| e.event_type == "conversion.recorded"));
    let again = sync(&services, &input).await.unwrap().awin.unwrap();
    assert_eq!((again.applied, again.repeated), (0, 4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_and_missing_settings_are_named() {
    let env = testing::services(|_| {}).await;
    let mut services = env.services.clone();
    let none = sync(
        &services,
        &Input {
            days: None,
            niche: None,
        },
    )
    .await
    .unwrap();
    assert_eq!((none.awin, none.digistore24), (None, None));
    assert!(none.skipped[0].contains("api_token"), "{:?}", none.skipped);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "unauthorized", "description": "Full authentication is required"
        })))
        .mount(&server)
        .await;
    services.networks.awin = Some(awin(&server, "wrong"));
    let refused = sync(
        &services,
        &Input {
            days: Some(1),
            niche: None,
        },
    )
    .await
    .unwrap_err();
    assert!(refused.to_string().contains("credentials"), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digistore24_orders_no_ipn_reported_are_listed() {
    let env = testing::services(|_| {}).await;
    let mut services = env.services.clone();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/call/listPurchases"))
        .and(header("x-ds-api-key", KEY))
        .and(query_param("search[role]", "affiliate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "result": "success", "api_version": "1.2",
            "data": {"purchase_list": [{"id": "ORD1", "created_at": "2026-11-20 10:00:00"}, {"id": "ORD2"}]}
        })))
        .mount(&server)
        .await;
    let client = client(Duration::from_secs(5)).unwrap();
    services.networks.digistore24 = Some(Digistore24Api::new(
        client.clone(),
        &server.uri(),
        Secret::new(KEY),
    ));
    let mut reported = pending("ORD1/P1/0");
    reported.network = Network::Digistore24;
    reported.order_id = Some("ORD1".into());
    Conversion::record(&services.db, "on_payment/ORD1", "on_payment", &reported)
        .await
        .unwrap();
    let output = sync(
        &services,
        &Input {
            days: None,
            niche: None,
        },
    )
    .await
    .unwrap();
    let ds = output.digistore24.unwrap();
    assert_eq!(ds.purchases, 2);
    assert_eq!(ds.missing_orders, vec!["ORD2".to_owned()]);

    // Digistore24 reports errors with HTTP 200.
    let failing = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "result": "error", "code": 7, "message": "Invalid API key"
        })))
        .mount(&failing)
        .await;
    services.networks.digistore24 = Some(Digistore24Api::new(
        client,
        &failing.uri(),
        Secret::new(KEY),
    ));
    let error = sync(
        &services,
        &Input {
            days: None,
            niche: None,
        },
    )
    .await
    .unwrap_err();
    assert!(error.to_string().contains("Invalid API key"), "{error}");
}
