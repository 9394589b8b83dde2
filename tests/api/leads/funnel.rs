//! One lead through the whole funnel, on every backend, with SendGrid faked.

use std::time::{Duration, Instant};

use empire::config::EmailProvider;
use empire_schema::EmailStatus;
use empire_schema::models::{EmailMessage, Lead, Suppression};
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{CONSENT, capture, leads, received, token, website};
use crate::helpers::{backends, spawn_app_with};

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
