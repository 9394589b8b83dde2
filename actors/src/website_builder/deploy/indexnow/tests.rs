//! The IndexNow client against a fake engine on 127.0.0.1 that records what it is sent.

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;

const KEY: &str = "0123abcd-key-4567";

fn settings(endpoint: String) -> IndexNowSettings {
    IndexNowSettings {
        enabled: true,
        key: KEY.into(),
        endpoint,
        timeout_ms: 5_000,
    }
}

#[tokio::test]
async fn a_ping_posts_the_protocols_json_and_reads_202_as_pending() {
    let engine = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/indexnow"))
        .and(header("content-type", "application/json; charset=utf-8"))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&engine)
        .await;
    let client = IndexNow::new(settings(format!("{}/indexnow", engine.uri()))).unwrap();
    let urls = vec![
        "https://empire.example/sites/garden/".to_owned(),
        "https://empire.example/sites/garden/tools/".to_owned(),
    ];

    let submitted = client
        .submit("https://empire.example/sites/garden/", &urls)
        .await
        .unwrap();

    assert_eq!(
        submitted,
        Submitted {
            urls: 2,
            requests: 1,
            key_pending: true
        }
    );
    let requests = engine.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        body,
        json!({
            "host": "empire.example",
            "key": KEY,
            "keyLocation": "https://empire.example/sites/garden/key.txt",
            "urlList": urls,
        })
    );
}

#[tokio::test]
async fn large_sites_are_sent_in_batches_of_ten_thousand() {
    let engine = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&engine)
        .await;
    let client = IndexNow::new(settings(engine.uri())).unwrap();
    let urls: Vec<String> = (0..MAX_URLS_PER_REQUEST + 1)
        .map(|i| format!("https://a.example/p{i}/"))
        .collect();

    let submitted = client.submit("https://a.example/", &urls).await.unwrap();

    assert_eq!(submitted.requests, 2);
    assert_eq!(submitted.urls, urls.len());
    assert!(!submitted.key_pending);
    let requests = engine.received_requests().await.unwrap();
    let second: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(second["urlList"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_refusal_names_its_status_and_meaning() {
    let engine = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(403).set_body_string(format!("bad key {KEY}")))
        .mount(&engine)
        .await;
    let client = IndexNow::new(settings(engine.uri())).unwrap();

    let err = client
        .submit("https://a.example/", &["https://a.example/".into()])
        .await
        .unwrap_err();

    let text = err.to_string();
    assert!(
        matches!(err, IndexNowError::Refused { status: 403, .. }),
        "{text}"
    );
    assert!(text.contains("key.txt"), "{text}");
    assert!(!text.contains(KEY), "the key is not echoed: {text}");
}

#[test]
fn keys_and_settings_are_checked() {
    assert!(is_key("abcdefgh"));
    assert!(is_key(&"a".repeat(128)));
    assert!(!is_key("short"));
    assert!(!is_key("with space-key"));
    assert!(!is_key(&"a".repeat(129)));
    assert!(IndexNow::new(IndexNowSettings::default()).is_err());
    assert!(
        IndexNowSettings::default().validate().is_ok(),
        "off needs no key"
    );
    let mut on = settings("https://api.indexnow.org/indexnow".into());
    assert!(on.validate().is_ok());
    on.key = "x".into();
    assert_eq!(on.validate().unwrap_err().0, "sites.indexnow.key");
    on.key = KEY.into();
    on.endpoint = "ftp://x".into();
    assert_eq!(on.validate().unwrap_err().0, "sites.indexnow.endpoint");
}
