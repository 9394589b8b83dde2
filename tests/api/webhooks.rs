//! `/webhooks/*`: sales pushed by the networks. Digistore24 IPNs are signed here by the test's
//! own implementation of the documented algorithm; valid, tampered, repeated and out-of-order
//! notices, and AWIN pushes behind the secret token.
use chrono::NaiveDateTime;
use empire_schema::Db;
use empire_schema::models::Conversion;
use empire_schema::types::{ConversionStatus, Network};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha512};

use crate::go::link;
use crate::helpers::client::checked;
use crate::helpers::{TestApp, TestBackend, backends, spawn_app, spawn_app_with};

const PASSPHRASE: &str = "ipn-passphrase-for-tests";
const AWIN_TOKEN: &str = "awin-token-0123456789abcdefghijklmnop";

async fn app(backend: TestBackend) -> TestApp {
    spawn_app_with(backend, |config| {
        config.integrations.digistore24.ipn_passphrase = PASSPHRASE.into();
        config.integrations.awin.notification_token = AWIN_TOKEN.into();
    })
    .await
}

/// Signs as Digistore24's sample script does: sorted keys, empty values skipped, the
/// passphrase after every `key=value`, SHA-512 in upper-case hex.
fn signed(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut sorted: Vec<(&str, &str)> = fields.to_vec();
    sorted.sort();
    let mut hasher = Sha512::new();
    for (key, value) in sorted.iter().filter(|(_, value)| !value.is_empty()) {
        hasher.update(format!("{key}={value}{PASSPHRASE}").as_bytes());
    }
    let sign: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let mut form: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    form.push(("sha_sign".into(), sign));
    form
}

fn payment<'a>(event: &'a str, order: &'a str, click: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("event", event),
        ("api_mode", "test"),
        ("order_id", order),
        ("product_id", "12345"),
        ("pay_sequence_no", "0"),
        ("amount_brutto", "44.03"),
        ("amount_affiliate", "12.95"),
        ("currency", "EUR"),
        ("click_id", click),
        ("transaction_date", "2026-12-01 10:30:00"),
        ("buyer_email", "buyer@example.com"),
        ("affiliate_name", ""),
    ]
}

async fn post_form(app: &TestApp, path: &str, form: &[(String, String)]) -> reqwest::Response {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let response = reqwest::Client::new()
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    checked(&Method::POST, response).await
}

async fn ipn(app: &TestApp, form: &[(String, String)]) -> (u16, String) {
    let response = post_form(app, "/webhooks/digistore24", form).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn sales(db: &Db, website_id: &str) -> Vec<Conversion> {
    Conversion::for_website_since(db, website_id, NaiveDateTime::default())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digistore24_sales_are_kept_once_and_an_order_never_moves_backwards() {
    for backend in backends() {
        let app = app(backend).await;
        let link = link(&app.db).await;

        let paid = signed(&payment("on_payment", "ORDER1", &link.code));
        assert_eq!(ipn(&app, &paid).await, (200, "OK".to_owned()));
        let sale = Conversion::find(&app.db, Network::Digistore24, "ORDER1/12345/0")
            .await
            .unwrap();
        assert_eq!(sale.status, ConversionStatus::Approved);
        assert_eq!((sale.commission_cents, sale.sale_cents), (1295, Some(4403)));
        assert_eq!(
            (sale.website_id.as_deref(), sale.page_id.as_deref()),
            (Some(link.website_id.as_str()), Some(link.page_id.as_str())),
            "attributed through the click reference"
        );
        assert_eq!(ipn(&app, &paid).await, (200, "OK".to_owned()), "a resend");
        assert_eq!(sales(&app.db, &link.website_id).await.len(), 1);

        // Tampered: the amount changed after signing.
        let mut tampered = signed(&payment("on_refund", "ORDER1", &link.code));
        tampered[5].1 = "0.01".into();
        let (status, body) = ipn(&app, &tampered).await;
        assert_eq!(status, 403, "{body}");
        let unchanged = Conversion::find(&app.db, Network::Digistore24, "ORDER1/12345/0")
            .await
            .unwrap();
        assert_eq!(unchanged.status, ConversionStatus::Approved);

        // Out of order: the refund of ORDER2 arrives before its payment.
        let refund = signed(&payment("on_refund", "ORDER2", &link.code));
        assert_eq!(ipn(&app, &refund).await.0, 200);
        let late_payment = signed(&payment("on_payment", "ORDER2", &link.code));
        assert_eq!(ipn(&app, &late_payment).await.0, 200);
        let order2 = Conversion::find(&app.db, Network::Digistore24, "ORDER2/12345/0")
            .await
            .unwrap();
        assert_eq!(order2.status, ConversionStatus::Refunded);

        // A refund of ORDER1 moves it forward.
        let refund1 = signed(&payment("on_refund", "ORDER1", &link.code));
        assert_eq!(ipn(&app, &refund1).await.0, 200);
        let refunded = Conversion::find(&app.db, Network::Digistore24, "ORDER1/12345/0")
            .await
            .unwrap();
        assert_eq!(refunded.status, ConversionStatus::Refunded);

        let test_call = signed(&[("event", "connection_test"), ("api_mode", "test")]);
        assert_eq!(ipn(&app, &test_call).await, (200, "OK".to_owned()));

        let mut no_currency = payment("on_payment", "ORDER3", &link.code);
        no_currency.retain(|(key, _)| *key != "currency");
        let (status, body) = ipn(&app, &signed(&no_currency)).await;
        assert_eq!(status, 422, "{body}");
        let problem: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(problem["errors"][0]["field"], "currency", "{problem}");
        assert_eq!(sales(&app.db, &link.website_id).await.len(), 2);

        let metrics = app.get("/metrics").await.text().await.unwrap();
        for outcome in [
            "applied",
            "repeated",
            "behind",
            "forged",
            "noted",
            "unreadable",
        ] {
            assert!(
                metrics.contains(&format!(
                    "network_notifications_total{{network=\"digistore24\",outcome=\"{outcome}\"}}"
                )),
                "{outcome}: {metrics}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn awin_pushes_need_the_token_and_are_kept_once_per_transaction() {
    for backend in backends() {
        let app = app(backend).await;
        let link = link(&app.db).await;
        let push = json!({
            "transactionId": "98765", "transactionDate": "2026-12-01 09:15:00",
            "transactionCurrency": "EUR", "transactionAmount": "120.00", "commission": "9.60",
            "affiliateId": "234567", "merchantId": "1001", "clickRef": link.code,
        })
        .to_string();
        let form = vec![("AwinTransactionPush".to_owned(), push.clone())];

        let wrong = post_form(
            &app,
            "/webhooks/awin/not-the-token-0123456789abcdefgh",
            &form,
        )
        .await;
        assert_eq!(wrong.status(), 404);
        assert!(sales(&app.db, &link.website_id).await.is_empty());

        let path = format!("/webhooks/awin/{AWIN_TOKEN}");
        for _ in 0..2 {
            let response = post_form(&app, &path, &form).await;
            assert_eq!(response.status(), 200);
            assert_eq!(response.text().await.unwrap(), "OK");
        }
        let kept = sales(&app.db, &link.website_id).await;
        assert_eq!(kept.len(), 1, "kept once");
        assert_eq!(kept[0].status, ConversionStatus::Pending);
        assert_eq!(
            (kept[0].commission_cents, kept[0].sale_cents),
            (960, Some(12_000))
        );
        assert_eq!(kept[0].offer_id.as_deref(), Some(link.offer_id.as_str()));

        // A raw JSON body works too; a push without a commission names the field.
        let raw = push.replace("98765", "98766");
        let response = reqwest::Client::new()
            .post(app.url(&path))
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        assert_eq!(checked(&Method::POST, response).await.status(), 200);
        assert_eq!(sales(&app.db, &link.website_id).await.len(), 2);
        let bad = vec![(
            "AwinTransactionPush".to_owned(),
            json!({"transactionId": "1", "transactionCurrency": "EUR"}).to_string(),
        )];
        let response = post_form(&app, &path, &bad).await;
        assert_eq!(response.status(), 422);
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], "commission", "{problem}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unconfigured_receivers_take_nothing() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let link = link(&app.db).await;
    let paid = signed(&payment("on_payment", "ORDER1", &link.code));
    let (status, body) = ipn(&app, &paid).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("ipn_passphrase"), "{body}");
    let form = vec![("AwinTransactionPush".to_owned(), "{}".to_owned())];
    assert_eq!(
        post_form(&app, "/webhooks/awin/x", &form).await.status(),
        404
    );
    assert!(sales(&app.db, &link.website_id).await.is_empty());
}
