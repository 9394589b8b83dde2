//! The leads funnel end to end, with the mail providers faked on 127.0.0.1 in their documented
//! formats: a capture from a site's form, the double opt-in mail (SendGrid v3 / Mailgun), the
//! confirm and unsubscribe links, stage changes, the CSV export and erasure. Bad captures are
//! refused naming the field and store nothing.

use std::time::{Duration, Instant};

use empire::config::EmailProvider;
use empire_schema::models::{EmailMessage, Lead, LeadFilter, NewWebsite, Suppression, Website};
use empire_schema::types::Language;
use empire_schema::{Db, EmailStatus, PageRequest, WebsiteStatus};
use reqwest::Method;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_is_captured_confirmed_moved_on_exported_unsubscribed_and_erased() {
    for backend in backends() {
        let sendgrid = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v3/mail/send"))
            .and(header("authorization", "Bearer SG.test-key"))
            .respond_with(ResponseTemplate::new(202).insert_header("x-message-id", "sg-msg-1"))
            .mount(&sendgrid)
            .await;
        let app = spawn_app_with(backend, |config| {
            let email = &mut config.integrations.email;
            email.provider = EmailProvider::Sendgrid;
            email.sendgrid_api_key = "SG.test-key".into();
            email.sendgrid_base_url = sendgrid.uri();
            email.from_address = "news@bean-guide.example".into();
            email.poll_ms = 50;
            config.sites.public_url = "https://empire.example".into();
        })
        .await;
        let admin = app.admin_token().await;
        let site = website(&app.db).await;
        let own_origin = "https://empire.example".to_owned();

        // Bad captures: each refused naming the field, nothing stored.
        let good = json!({"email": "Reader@Example.com ", "quiz_answers": {"budget": "low"}, "consent": CONSENT, "website_id": site.id});
        let mut bad = Vec::new();
        for (field, value) in [
            ("email", json!("not-an-address")),
            ("email", json!("a@b.c\r\nBcc: x@y.z")),
            ("consent", json!("  ")),
            ("quiz_answers", json!(["budget", "low"])),
            ("website_id", json!("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")),
        ] {
            let mut body = good.clone();
            body[field] = value;
            bad.push((field, body));
        }
        for (field, body) in bad {
            let (status, problem, _) =
                capture(&app, &body.to_string(), "application/json", None).await;
            assert_eq!(status, 422, "{field}: {problem}");
            assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        }
        let (status, _, _) = capture(
            &app,
            &good.to_string(),
            "application/x-www-form-urlencoded",
            None,
        )
        .await;
        assert_eq!(status, 415);
        let (status, _, _) = capture(
            &app,
            &good.to_string(),
            "application/json",
            Some("https://evil.example"),
        )
        .await;
        assert_eq!(status, 403);
        let (status, _, _) = capture(&app, "{\"email\":", "application/json", None).await;
        assert_eq!(status, 400);
        assert!(
            leads(&app.db).await.is_empty(),
            "{backend:?}: nothing stored"
        );

        // From the site's form (text/plain: no preflight), with its origin.
        let (status, receipt, allowed) =
            capture(&app, &good.to_string(), "text/plain", Some(&own_origin)).await;
        assert_eq!(status, 202, "{receipt}");
        assert_eq!(allowed.as_deref(), Some(own_origin.as_str()));
        let lead = leads(&app.db).await.remove(0);
        assert_eq!(lead.email, "reader@example.com");
        assert_eq!(lead.persona.as_deref(), Some("bargain-hunter"));
        assert_eq!(lead.consent_text, CONSENT);
        assert!(lead.consented_at.is_some());

        // The opt-in mail, as SendGrid v3 reads it.
        let mail = received(&sendgrid, 1).await.remove(0);
        let body: Value = serde_json::from_slice(&mail.body).unwrap();
        assert_eq!(
            body["personalizations"][0]["to"][0]["email"],
            "reader@example.com"
        );
        assert_eq!(body["from"]["email"], "news@bean-guide.example");
        assert_eq!(body["content"][0]["type"], "text/plain");
        assert!(body["subject"].as_str().unwrap().contains("Bean Guide"));
        assert!(
            body["headers"]["List-Unsubscribe"]
                .as_str()
                .unwrap()
                .starts_with("<https://empire.example/leads/unsubscribe?token=")
        );
        let text = body["content"][0]["value"].as_str().unwrap();
        let token = token(text);
        let started = Instant::now();
        let message = loop {
            let message = EmailMessage::for_lead(&app.db, &lead.id)
                .await
                .unwrap()
                .remove(0);
            if message.status != EmailStatus::Queued || started.elapsed() > Duration::from_secs(10)
            {
                break message;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(message.status, EmailStatus::Sent);
        assert_eq!(message.provider_message_id.as_deref(), Some("sg-msg-1"));

        // Links: malformed 422, unknown 404, the real one confirms (twice is harmless).
        let get = |path: String| reqwest::Client::new().get(app.url(&path)).send();
        assert_eq!(
            get("/leads/confirm?token=short".into())
                .await
                .unwrap()
                .status(),
            422
        );
        assert_eq!(
            get(format!("/leads/confirm?token={}", "A".repeat(43)))
                .await
                .unwrap()
                .status(),
            404
        );
        for _ in 0..2 {
            let page = get(format!("/leads/confirm?token={token}")).await.unwrap();
            assert_eq!(page.status(), 200);
            assert!(page.text().await.unwrap().contains("confirmed"));
        }
        let confirmed = Lead::get(&app.db, &lead.id).await.unwrap();
        assert_eq!(confirmed.funnel_stage.as_str(), "confirmed");

        // The same address again: answers updated, no second mail.
        let again = json!({"email": "reader@example.com", "quiz_answers": {"budget": "high"}, "consent": CONSENT, "website_id": site.id});
        assert_eq!(
            capture(&app, &again.to_string(), "application/json", None)
                .await
                .0,
            202
        );
        assert_eq!(leads(&app.db).await.len(), 1);
        assert_eq!(
            Lead::get(&app.db, &lead.id)
                .await
                .unwrap()
                .persona
                .as_deref(),
            Some("premium-buyer")
        );
        assert_eq!(
            EmailMessage::for_lead(&app.db, &lead.id)
                .await
                .unwrap()
                .len(),
            1
        );

        // Stages move forward only, and only to what an operator sets.
        let patch = |stage: &str| {
            app.with(Method::PATCH, &format!("/api/v1/leads/{}", lead.id), &admin)
                .json(&json!({"funnel_stage": stage}))
                .send()
        };
        assert_eq!(patch("converted").await.unwrap().status(), 200);
        assert_eq!(patch("nurtured").await.unwrap().status(), 409);
        assert_eq!(patch("confirmed").await.unwrap().status(), 422);

        // List and export.
        let listed: Value = app
            .with(
                Method::GET,
                &format!("/api/v1/leads?website_id={}&stage=converted", site.id),
                &admin,
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            listed["items"][0]["email"], "reader@example.com",
            "{listed}"
        );
        assert_eq!(listed["items"][0]["consent_text"], CONSENT);
        let bad_stage = app
            .with(Method::GET, "/api/v1/leads?stage=won", &admin)
            .send()
            .await
            .unwrap();
        assert_eq!(bad_stage.status(), 422);
        let export = app
            .with(Method::GET, "/api/v1/leads/export", &admin)
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 200);
        assert!(
            export.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let csv = export.text().await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2, "{csv}");
        assert!(lines[0].starts_with("id,email,persona,funnel_stage"));
        assert!(
            lines[1].contains("reader@example.com") && lines[1].contains("converted"),
            "{csv}"
        );

        // Unsubscribe: the page only shows a button (link scanners open pages); the POST acts.
        let page = get(format!("/leads/unsubscribe?token={token}"))
            .await
            .unwrap();
        assert!(page.text().await.unwrap().contains("<form method=\"post\""));
        assert!(
            Lead::get(&app.db, &lead.id)
                .await
                .unwrap()
                .unsubscribed_at
                .is_none()
        );
        let done = reqwest::Client::new()
            .post(app.url(&format!("/leads/unsubscribe?token={token}")))
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 200);
        assert!(
            Suppression::contains(&app.db, "reader@example.com")
                .await
                .unwrap()
        );

        // Erasure: the lead, its events and its mail; the suppression stays.
        let deleted = app
            .with(
                Method::DELETE,
                &format!("/api/v1/leads/{}", lead.id),
                &admin,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 204);
        assert!(leads(&app.db).await.is_empty());
        assert!(
            EmailMessage::for_lead(&app.db, &lead.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            Suppression::contains(&app.db, "reader@example.com")
                .await
                .unwrap()
        );
        let gone = app
            .with(
                Method::DELETE,
                &format!("/api/v1/leads/{}", lead.id),
                &admin,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 404);

        // A suppressed address is never mailed again, even through a new form.
        assert_eq!(
            capture(&app, &good.to_string(), "application/json", None)
                .await
                .0,
            202
        );
        let relead = leads(&app.db).await.remove(0);
        assert!(
            EmailMessage::for_lead(&app.db, &relead.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(sendgrid.received_requests().await.unwrap().len(), 1);
    }
}

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
