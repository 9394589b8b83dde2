//! Workflows and tasks in the store: round trips, idempotency, filters, fencing.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflows_round_trip() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let workflow = Workflow::create(
            db,
            NewWorkflow {
                kind: "page_pipeline".into(),
                status: WorkflowStatus::Running,
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
        assert_eq!(advanced.status, WorkflowStatus::Running);
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
        assert_eq!(first.status, TaskStatus::Queued);
        Task::create(db, task(None)).await.unwrap();
        Task::create(db, task(None)).await.unwrap();
        let other = NewTask {
            agent: AgentId::Monetization,
            ..task(None)
        };
        Task::create(db, other).await.unwrap();

        let seo = TaskFilter {
            agent: Some(AgentId::SeoOptimizer),
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
            status: Some(TaskStatus::Cancelled),
            ..Default::default()
        };
        let cancelled = Task::update(db, &first.id, &cancel).await.unwrap();
        assert_eq!(cancelled.status, TaskStatus::Cancelled);
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
        let lease = Duration::seconds(30);

        let claimed = Task::claim(db, &queued.id, "node-a", lease)
            .await
            .unwrap()
            .expect("queued task is claimable");
        assert_eq!(
            (claimed.attempts, claimed.status),
            (1, TaskStatus::Running),
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
        assert_eq!(done.status, TaskStatus::Succeeded);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_in_flight_leave_finished_tasks_out() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let mut ids = Vec::new();
        for _ in 0..4 {
            let Created::New(created) = Task::create(db, task(None)).await.unwrap() else {
                panic!("no idempotency key, so a new task")
            };
            ids.push(created.id);
        }
        let lease = Duration::seconds(30);
        for (id, finished) in
            ids[1..]
                .iter()
                .zip([None, Some(TaskStatus::Succeeded), Some(TaskStatus::Failed)])
        {
            Task::claim(db, id, "node-a", lease)
                .await
                .unwrap()
                .expect("claimable");
            if let Some(status) = finished {
                assert!(Task::finish(db, id, 1, status, None, None).await.unwrap());
            }
        }
        let agent = AgentId::SeoOptimizer;
        assert_eq!(
            Task::counts_in_flight(db).await.unwrap(),
            [
                (agent, TaskStatus::Queued, 1),
                (agent, TaskStatus::Running, 1)
            ],
            "{backend:?}"
        );
        assert_eq!(
            Task::counts_by_agent_and_status(db).await.unwrap().len(),
            4,
            "every status is counted there"
        );
    }
}
