//! Every store function round-trips, with the same test body on each backend.

use chrono::Duration;
use empire_schema::clock::now;
use empire_schema::models::*;
use empire_schema::{Db, Json, PageRequest, StoreError};
use serde_json::json;

use crate::helpers::{backends, spawn_store_app as spawn_app};

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
        agent: "seo_optimizer".into(),
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
            status: "draft".into(),
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
            status: Some("live".into()),
            ..Default::default()
        };
        let live = Website::update(db, &site.id, &changes).await.unwrap();
        assert_eq!(
            (live.domain.as_deref(), live.status.as_str()),
            (Some("espresso.example"), "live")
        );
        assert_eq!(live.settings.0["language"], "de");
        assert_eq!(
            Website::list(db, &PageRequest::default())
                .await
                .unwrap()
                .items,
            vec![live]
        );

        let owner = user(db, "lead-owner@example.com").await;
        let lead = Lead::create(
            db,
            NewLead {
                email: "visitor@example.com".into(),
                quiz_answers: json!({"budget": "200-400", "milk": true}),
                persona: None,
                funnel_stage: "captured".into(),
                user_id: Some(owner.id),
                website_id: Some(site.id.clone()),
            },
        )
        .await
        .unwrap();
        assert_eq!(Lead::get(db, &lead.id).await.unwrap(), lead);
        let changes = LeadChanges {
            persona: Some(Some("home barista".into())),
            funnel_stage: Some("nurturing".into()),
            ..Default::default()
        };
        let moved = Lead::update(db, &lead.id, &changes).await.unwrap();
        assert_eq!(moved.funnel_stage, "nurturing");
        assert_eq!(moved.quiz_answers.0["milk"], true);
        assert_eq!(
            Lead::list(db, &PageRequest::default()).await.unwrap().items,
            vec![moved]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflows_round_trip() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let workflow = Workflow::create(
            db,
            NewWorkflow {
                kind: "page_pipeline".into(),
                status: "running".into(),
                input: json!({"keyword": "espresso"}),
                state: json!({"step": 0}),
            },
        )
        .await
        .unwrap();
        assert_eq!(
            Workflow::get(db, &workflow.id).await.unwrap(),
            workflow,
            "{backend:?}"
        );
        let changes = WorkflowChanges {
            state: Some(Json(json!({"step": 1}))),
            ..Default::default()
        };
        let advanced = Workflow::update(db, &workflow.id, &changes).await.unwrap();
        assert_eq!(advanced.state.0["step"], 1);
        assert_eq!(advanced.status, "running");
        assert_eq!(
            Workflow::list(db, &PageRequest::default())
                .await
                .unwrap()
                .items,
            vec![advanced]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_round_trip_with_idempotency_and_filters() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;

        let Created::New(first) = Task::create(db, task(Some("order-1"))).await.unwrap() else {
            panic!("a new key inserts a row");
        };
        let Created::Existing(same) = Task::create(db, task(Some("order-1"))).await.unwrap() else {
            panic!("the same key returns the existing row");
        };
        assert_eq!(same, first, "{backend:?}");
        assert_eq!(first.status(), Some(TaskStatus::Queued));
        Task::create(db, task(None)).await.unwrap();
        Task::create(db, task(None)).await.unwrap();
        let other = NewTask {
            agent: "monetization".into(),
            ..task(None)
        };
        Task::create(db, other).await.unwrap();

        let seo = TaskFilter {
            agent: Some("seo_optimizer".into()),
            status: None,
        };
        assert_eq!(
            Task::list(db, &seo, &PageRequest::default())
                .await
                .unwrap()
                .items
                .len(),
            3
        );
        let queued = TaskFilter {
            agent: None,
            status: Some(TaskStatus::Queued),
        };
        assert_eq!(
            Task::list(db, &queued, &PageRequest::default())
                .await
                .unwrap()
                .items
                .len(),
            4
        );

        let cancel = TaskChanges {
            status: Some("cancelled".into()),
            ..Default::default()
        };
        let cancelled = Task::update(db, &first.id, &cancel).await.unwrap();
        assert_eq!(cancelled.status(), Some(TaskStatus::Cancelled));
        assert_eq!(Task::get(db, &first.id).await.unwrap(), cancelled);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_and_results_are_fenced_by_attempt() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let Created::New(queued) = Task::create(db, task(None)).await.unwrap() else {
            panic!()
        };
        let lease = now() + Duration::seconds(30);

        let claimed = Task::claim(db, &queued.id, "node-a", lease)
            .await
            .unwrap()
            .expect("queued task is claimable");
        assert_eq!(
            (claimed.attempts, claimed.status.as_str()),
            (1, "running"),
            "{backend:?}"
        );
        assert_eq!(claimed.lease_owner.as_deref(), Some("node-a"));
        assert!(claimed.started_at.is_some());
        assert_eq!(
            Task::claim(db, &queued.id, "node-b", lease).await.unwrap(),
            None,
            "claimed once only"
        );

        assert!(
            !Task::finish(
                db,
                &queued.id,
                0,
                TaskStatus::Succeeded,
                Some(json!({"stale": true})),
                None
            )
            .await
            .unwrap()
        );
        assert!(
            Task::finish(
                db,
                &queued.id,
                1,
                TaskStatus::Succeeded,
                Some(json!({"score": 88})),
                None
            )
            .await
            .unwrap()
        );
        assert!(
            !Task::finish(
                db,
                &queued.id,
                1,
                TaskStatus::Failed,
                None,
                Some("late".into())
            )
            .await
            .unwrap()
        );

        let done = Task::get(db, &queued.id).await.unwrap();
        assert_eq!(done.status(), Some(TaskStatus::Succeeded));
        assert_eq!(done.result, Some(Json(json!({"score": 88}))));
        assert_eq!(
            done.lease_owner.as_deref(),
            Some("node-a"),
            "the row keeps who ran it"
        );
        assert_eq!((done.lease_expires_at, done.error), (None, None));
        assert!(done.finished_at.is_some());
    }
}
