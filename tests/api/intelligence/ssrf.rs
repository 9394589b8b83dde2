//! Competitor pages: never fetched from loopback, private or link-local addresses — by literal
//! address, by name, or through a redirect — while public-looking pages are read (tested on
//! loopback through the test-only `web.allow_loopback`, which only the last two tests turn on).

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::research;
use crate::helpers::{TestBackend, spawn_app, spawn_app_with};

fn competitors(body: &Value) -> Vec<Value> {
    body["competitors"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .clone()
}

async fn page_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/robots.txt"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string("User-agent: *\nDisallow: /private\n"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/kettles"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "<html><head><title>Kettles</title></head><body><h1>Best kettles</h1><p>Five words of body text.</p><a href=\"/a\">A</a></body></html>",
            "text/html; charset=utf-8",
        ))
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_addresses_are_refused_by_address_and_by_name() {
    let server = page_server().await;
    let port = server.address().port();
    let app = spawn_app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    let urls = [
        format!("http://127.0.0.1:{port}/kettles"),
        format!("http://localhost:{port}/kettles"),
        format!("http://[::1]:{port}/kettles"),
        "http://10.0.0.1/".to_owned(),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
    ];
    let response = research(
        &app,
        &token,
        json!({"topic": "kettles", "language": "en", "depth": 1, "competitor_urls": urls}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    for competitor in competitors(&body) {
        let error = competitor["error"]
            .as_str()
            .unwrap_or_else(|| panic!("fetched: {competitor}"));
        assert!(error.contains("not a public address"), "{competitor}");
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing reached the local server"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_an_internal_address_is_refused() {
    let server = page_server().await;
    for (from, to) in [
        ("/to-metadata", "http://169.254.169.254/latest/meta-data/"),
        ("/to-private", "http://10.0.0.1/admin"),
        ("/to-private-name", "http://192.168.1.1/"),
    ] {
        Mock::given(method("GET"))
            .and(path(from))
            .respond_with(ResponseTemplate::new(302).insert_header("location", to))
            .mount(&server)
            .await;
    }
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.web.allow_loopback = true
    })
    .await;
    let token = app.admin_token().await;
    let base = server.uri();
    let urls = [
        format!("{base}/to-metadata"),
        format!("{base}/to-private"),
        format!("{base}/to-private-name"),
    ];
    let response = research(
        &app,
        &token,
        json!({"topic": "kettles", "language": "en", "depth": 1, "competitor_urls": urls}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    for competitor in competitors(&body) {
        let error = competitor["error"]
            .as_str()
            .unwrap_or_else(|| panic!("fetched: {competitor}"));
        assert!(error.contains("not a public address"), "{competitor}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allowed_page_is_read_and_robots_txt_is_respected() {
    let server = page_server().await;
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.web.allow_loopback = true
    })
    .await;
    let token = app.admin_token().await;
    let base = server.uri();
    let response = research(
        &app,
        &token,
        json!({"topic": "kettles", "language": "en", "depth": 1,
               "competitor_urls": [format!("{base}/kettles"), format!("{base}/private/page")]}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let found = competitors(&body);
    assert_eq!(found[0]["title"], "Kettles", "{body}");
    assert_eq!(
        found[0]["headings"],
        json!([{"level": 1, "text": "Best kettles"}])
    );
    assert_eq!(found[0]["word_count"], 8);
    assert_eq!(found[0]["links"], json!([format!("{base}/a")]));
    assert!(
        found[1]["error"].as_str().unwrap().contains("robots.txt"),
        "{body}"
    );
    let asked: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert!(!asked.contains(&"/private/page".to_owned()), "{asked:?}");
}
