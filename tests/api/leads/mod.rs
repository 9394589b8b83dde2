//! The leads funnel end to end, with the mail providers faked on 127.0.0.1 in their documented
//! formats: a capture from a site's form, the double opt-in mail (SendGrid v3 / Mailgun), the
//! confirm and unsubscribe links, stage changes, the CSV export and erasure. Bad captures are
//! refused naming the field and store nothing.

use std::time::{Duration, Instant};

use empire::config::EmailProvider;
use empire_schema::models::{EmailMessage, Lead, LeadFilter, NewWebsite, Website};
use empire_schema::types::Language;
use empire_schema::{Db, EmailStatus, PageRequest, WebsiteStatus};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::helpers::{TestApp, backends, spawn_app_with};

const CONSENT: &str = "Yes, send me the buying guide. I can unsubscribe at any time.";

async fn website(db: &Db) -> Website {
    Website::create(
        db,
        NewWebsite {
            slug: "bean-guide".into(),
            name: "Bean Guide".into(),
            niche: "coffee".into(),
            domain: None,
            language: Language::En,
            status: WebsiteStatus::Published,
            settings: json!({}),
        },
    )
    .await
    .unwrap()
}

async fn capture(
    app: &TestApp,
    body: &str,
    content_type: &str,
    origin: Option<&str>,
) -> (u16, Value, Option<String>) {
    let mut call = reqwest::Client::new()
        .post(app.url("/api/v1/leads"))
        .header("content-type", content_type)
        .body(body.to_owned());
    if let Some(origin) = origin {
        call = call.header("origin", origin);
    }
    let response = call.send().await.unwrap();
    let status = response.status().as_u16();
    let allowed = response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        status,
        response.json().await.unwrap_or(Value::Null),
        allowed,
    )
}

async fn leads(db: &Db) -> Vec<Lead> {
    Lead::list(db, &LeadFilter::default(), &PageRequest::default())
        .await
        .unwrap()
        .items
}

/// Waits for `n` requests at the fake provider.
async fn received(server: &MockServer, n: usize) -> Vec<Request> {
    let started = Instant::now();
    loop {
        let requests = server.received_requests().await.unwrap();
        if requests.len() >= n {
            return requests;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{} of {n} mails arrived",
            requests.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The token of the confirm link in a mail's text.
fn token(text: &str) -> String {
    let start =
        text.find("/leads/confirm?token=").expect("a confirm link") + "/leads/confirm?token=".len();
    text[start..start + 43].to_owned()
}

mod funnel;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mailgun_gets_a_form_and_is_retried_after_a_429() {
    let mailgun = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/mg.example.com/messages"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .set_body_json(json!({"message": "slow down"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&mailgun)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/mg.example.com/messages"))
        .and(header("authorization", "Basic YXBpOmtleS10ZXN0"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"id": "<mg-1@mg.example.com>", "message": "Queued. Thank you."}),
            ),
        )
        .mount(&mailgun)
        .await;
    let app = spawn_app_with(backends()[0], |config| {
        let email = &mut config.integrations.email;
        email.provider = EmailProvider::Mailgun;
        email.mailgun_api_key = "key-test".into();
        email.mailgun_domain = "mg.example.com".into();
        email.mailgun_base_url = mailgun.uri();
        email.from_name = "Bean \"Guide\" <x>".into();
        email.from_address = "news@mg.example.com".into();
        email.poll_ms = 50;
    })
    .await;
    let body = json!({"email": "fan@example.org", "consent": CONSENT});
    assert_eq!(
        capture(&app, &body.to_string(), "application/json", None)
            .await
            .0,
        202
    );
    let requests = received(&mailgun, 2).await;
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&requests[1].body)
        .into_owned()
        .collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    assert_eq!(field("to").as_deref(), Some("fan@example.org"));
    assert_eq!(
        field("from").as_deref(),
        Some("Bean Guide x <news@mg.example.com>")
    );
    assert!(field("text").unwrap().contains("/leads/confirm?token="));
    assert!(
        field("h:List-Unsubscribe")
            .unwrap()
            .contains("/leads/unsubscribe?token=")
    );
    let lead = leads(&app.db).await.remove(0);
    let started = Instant::now();
    let message = loop {
        let message = EmailMessage::for_lead(&app.db, &lead.id)
            .await
            .unwrap()
            .remove(0);
        if message.status == EmailStatus::Sent || started.elapsed() > Duration::from_secs(10) {
            break message;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!((message.status, message.attempts), (EmailStatus::Sent, 2));
    assert_eq!(
        message.provider_message_id.as_deref(),
        Some("<mg-1@mg.example.com>")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_outbox_keeps_mail_and_sends_nothing() {
    let app = spawn_app_with(backends()[0], |config| {
        config.integrations.email.poll_ms = 50;
    })
    .await;
    let body = json!({"email": "local@example.net", "consent": CONSENT, "quiz_answers": {"experience": ["none"]}});
    assert_eq!(
        capture(&app, &body.to_string(), "application/json", None)
            .await
            .0,
        202
    );
    let lead = leads(&app.db).await.remove(0);
    assert_eq!(lead.persona.as_deref(), Some("beginner"));
    let started = Instant::now();
    let message = loop {
        let message = EmailMessage::for_lead(&app.db, &lead.id)
            .await
            .unwrap()
            .remove(0);
        if message.status != EmailStatus::Queued || started.elapsed() > Duration::from_secs(10) {
            break message;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        (message.status, message.provider.as_deref()),
        (EmailStatus::Logged, Some("outbox"))
    );
    assert!(message.text_body.contains("/leads/confirm?token="));
}
