//! Every store function round-trips, with the same test body on each backend.

use chrono::Duration;
use empire_schema::clock::now;
use empire_schema::models::*;
use empire_schema::{
    AgentId, Db, FunnelStage, Json, PageRequest, StoreError, TaskStatus, WebsiteStatus,
    WorkflowStatus,
};
use serde_json::{Value, json};

use crate::helpers::{backends, spawn_store_app as spawn_app};

mod list_reads;
mod prepared;
mod work;

async fn user(db: &Db, email: &str) -> User {
    User::create(
        db,
        NewUser {
            email: email.into(),
            name: "Ada".into(),
            password_hash: "$argon2id$stub".into(),
            permissions: vec!["agents.read".into()],
        },
    )
    .await
    .unwrap()
}

fn task(key: Option<&str>) -> NewTask {
    NewTask {
        agent: AgentId::SeoOptimizer,
        kind: "audit_page".into(),
        input: json!({"html": "<h1>x</h1>", "keyword": "x"}),
        priority: 0,
        max_attempts: 3,
        timeout_ms: 60_000,
        idempotency_key: key.map(str::to_owned),
        workflow_id: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_round_trip() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;

        let created = user(db, "ada@example.com").await;
        assert_eq!(
            User::get(db, &created.id).await.unwrap(),
            created,
            "{backend:?}"
        );
        assert_eq!(
            User::find_by_email(db, "ada@example.com").await.unwrap(),
            Some(created.clone())
        );
        assert_eq!(
            User::find_by_email(db, "nobody@example.com").await.unwrap(),
            None
        );
        assert_eq!(
            User::count(db).await.unwrap(),
            2,
            "the bootstrap admin and this user"
        );
        assert!(matches!(
            User::create(
                db,
                NewUser {
                    email: "ada@example.com".into(),
                    name: "B".into(),
                    password_hash: "h".into(),
                    permissions: vec![]
                }
            )
            .await,
            Err(StoreError::Conflict(_))
        ));

        let changes = UserChanges {
            permissions: Some(Json(vec!["admin.full".into()])),
            ..Default::default()
        };
        let updated = User::update(db, &created.id, &changes).await.unwrap();
        assert_eq!(updated.permissions.0, vec!["admin.full".to_owned()]);
        assert_eq!(updated.name, "Ada");
        assert!(updated.updated_at >= created.updated_at);
        assert!(matches!(
            User::update(db, "missing", &changes).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            User::get(db, "missing").await,
            Err(StoreError::NotFound)
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_newest_first_with_a_cursor() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let mut ids = Vec::new();
        for i in 0..5 {
            ids.push(user(db, &format!("u{i}@example.com")).await.id);
        }
        ids.reverse();
        ids.push(
            User::find_by_email(db, crate::helpers::ADMIN_EMAIL)
                .await
                .unwrap()
                .unwrap()
                .id,
        );

        let first = User::list(db, &PageRequest::first(2)).await.unwrap();
        let second = User::list(db, &PageRequest::new(2, first.next_cursor.clone()))
            .await
            .unwrap();
        let third = User::list(db, &PageRequest::new(2, second.next_cursor.clone()))
            .await
            .unwrap();

        let seen: Vec<String> = [first.items, second.items, third.items.clone()]
            .concat()
            .into_iter()
            .map(|u| u.id)
            .collect();
        assert_eq!(seen, ids, "{backend:?}");
        assert_eq!(third.items.len(), 2);
        assert_eq!(third.next_cursor, None);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_keys_round_trip_and_revoke() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let owner = user(db, "owner@example.com").await;
        let new = NewApiKey {
            user_id: owner.id.clone(),
            name: "ci".into(),
            prefix: "mfm_abc123".into(),
            key_hash: "hash".into(),
            scopes: vec!["agents.read".into()],
            expires_at: Some(now() + Duration::days(30)),
        };

        let key = ApiKey::create(db, new.clone()).await.unwrap();
        assert_eq!(ApiKey::get(db, &key.id).await.unwrap(), key, "{backend:?}");
        assert_eq!(
            ApiKey::find_by_prefix(db, "mfm_abc123").await.unwrap(),
            Some(key.clone())
        );
        assert!(matches!(
            ApiKey::create(db, new.clone()).await,
            Err(StoreError::Conflict(_))
        ));
        let orphan = NewApiKey {
            user_id: "missing".into(),
            prefix: "mfm_other".into(),
            ..new
        };
        assert!(matches!(
            ApiKey::create(db, orphan).await,
            Err(StoreError::MissingReference(_))
        ));

        ApiKey::touch_last_used(db, &key.id).await.unwrap();
        let listed = ApiKey::list_for_user(db, &owner.id, &PageRequest::default())
            .await
            .unwrap();
        assert_eq!(listed.items.len(), 1);
        assert!(listed.items[0].last_used_at.is_some());

        let revoked = ApiKey::revoke(db, &key.id).await.unwrap();
        let again = ApiKey::revoke(db, &key.id).await.unwrap();
        assert!(revoked.revoked_at.is_some());
        assert_eq!(
            again.revoked_at, revoked.revoked_at,
            "revoking twice keeps the first time"
        );
        assert!(matches!(
            ApiKey::revoke(db, "missing").await,
            Err(StoreError::NotFound)
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websites_and_leads_round_trip() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let new = NewWebsite {
            slug: "best-espresso".into(),
            name: "Best Espresso".into(),
            niche: "coffee".into(),
            domain: None,
            language: empire_schema::types::Language::De,
            status: WebsiteStatus::Draft,
            settings: json!({"language": "de"}),
        };
        let site = Website::create(db, new.clone()).await.unwrap();
        assert_eq!(
            Website::get(db, &site.id).await.unwrap(),
            site,
            "{backend:?}"
        );
        assert_eq!(
            Website::get_by_slug(db, "best-espresso").await.unwrap(),
            site
        );
        assert!(matches!(
            Website::create(db, new).await,
            Err(StoreError::Conflict(_))
        ));
        let changes = WebsiteChanges {
            domain: Some(Some("espresso.example".into())),
            status: Some(WebsiteStatus::Published),
            ..Default::default()
        };
        let live = Website::update(db, &site.id, &changes).await.unwrap();
        assert_eq!(
            (live.domain.as_deref(), live.status.as_str()),
            (Some("espresso.example"), "published")
        );
        assert_eq!(live.settings.0["language"], "de");
        assert_eq!(
            Website::list(db, &PageRequest::default(), 0)
                .await
                .unwrap()
                .items,
            vec![live]
        );

        let new_lead = |answers: Value| NewLead {
            email: "visitor@example.com".into(),
            quiz_answers: answers,
            persona: Some("general".into()),
            website_id: Some(site.id.clone()),
            consent_text: "Send me the guide.".into(),
        };
        let (lead, fresh) = Lead::capture(db, new_lead(json!({"milk": true})), Some("h1".into()))
            .await
            .unwrap();
        assert!(fresh);
        assert_eq!(Lead::get(db, &lead.id).await.unwrap(), lead);
        // The same address on the same site again: one lead, new answers, the token kept.
        let (again, fresh) = Lead::capture(db, new_lead(json!({"milk": false})), None)
            .await
            .unwrap();
        assert_eq!((again.id.as_str(), fresh), (lead.id.as_str(), false));
        assert_eq!(again.quiz_answers.0["milk"], false);
        assert_eq!(
            Lead::by_token(db, "h1").await.unwrap().map(|l| l.id),
            Some(lead.id.clone())
        );
        let confirmed = Lead::confirm(db, &lead.id).await.unwrap();
        assert_eq!(confirmed.funnel_stage, FunnelStage::Confirmed);
        assert!(matches!(
            Lead::advance(db, &lead.id, FunnelStage::Converted)
                .await
                .unwrap(),
            Advance::Moved(_)
        ));
        assert_eq!(
            Lead::advance(db, &lead.id, FunnelStage::Nurtured)
                .await
                .unwrap(),
            Advance::NotForward(FunnelStage::Converted)
        );
        EmailMessage::queue(
            db,
            NewEmail {
                to_address: lead.email.clone(),
                subject: "hello".into(),
                text_body: "text".into(),
                purpose: "double_opt_in",
                lead_id: Some(lead.id.clone()),
                unsubscribe_url: None,
            },
        )
        .await
        .unwrap();
        Lead::unsubscribe(db, &lead.id).await.unwrap();
        assert!(
            Suppression::contains(db, "visitor@example.com")
                .await
                .unwrap()
        );
        let kinds: Vec<String> = Lead::events(db, &lead.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            ["captured", "captured", "confirmed", "stage", "unsubscribed"]
        );
        let filter = LeadFilter {
            email: Some("visitor@example.com".into()),
            ..LeadFilter::default()
        };
        assert_eq!(
            Lead::list(db, &filter, &PageRequest::default())
                .await
                .unwrap()
                .items
                .len(),
            1
        );
        // Erasure takes the events and the mail with it; the suppression stays.
        Lead::delete(db, &lead.id).await.unwrap();
        assert!(matches!(
            Lead::get(db, &lead.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(Lead::events(db, &lead.id).await.unwrap().is_empty());
        assert!(
            EmailMessage::for_lead(db, &lead.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            Suppression::contains(db, "visitor@example.com")
                .await
                .unwrap()
        );
    }
}
