//! Workflow steps: counts and listings, creation with a first task, success, cancellation.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_and_workflow_listing_reflect_the_rows() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let (workflow, first) = Workflow::create_with_first_task(
            db,
            new_workflow(),
            new_task(AgentId::ContentGenerator, 0, 3),
        )
        .await
        .unwrap();
        let second = queued(
            db,
            NewTask {
                workflow_id: Some(workflow.id.clone()),
                ..new_task(AGENT, 9, 3)
            },
        )
        .await;
        queued(db, new_task(AGENT, 0, 3)).await;
        queued(db, new_task(AGENT, 0, 3)).await;
        claim_one(db, AgentId::ContentGenerator, "node-a", lease()).await;

        let listed = Task::list_for_workflow(db, &workflow.id).await.unwrap();
        assert_eq!(
            ids(&listed),
            [first.id.as_str(), second.id.as_str()],
            "{backend:?}"
        );
        assert!(
            Task::list_for_workflow(db, "missing")
                .await
                .unwrap()
                .is_empty()
        );

        assert_eq!(Task::count_queued(db, AGENT).await.unwrap(), 3);
        assert_eq!(
            Task::count_queued(db, AgentId::ContentGenerator)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            Task::count_queued(db, AgentId::Monetization).await.unwrap(),
            0
        );
        assert_eq!(
            Task::counts_by_agent_and_status(db).await.unwrap(),
            vec![
                (AgentId::ContentGenerator, TaskStatus::Running, 1),
                (AGENT, TaskStatus::Queued, 3),
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workflow_and_its_first_task_are_created_together_or_not_at_all() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let first = NewTask {
            idempotency_key: Some("page-1".into()),
            workflow_id: Some("ignored".into()),
            ..new_task(AgentId::ContentGenerator, 0, 3)
        };
        let (workflow, task) = Workflow::create_with_first_task(db, new_workflow(), first.clone())
            .await
            .unwrap();
        assert_eq!(
            Workflow::get(db, &workflow.id).await.unwrap(),
            workflow,
            "{backend:?}"
        );
        assert_eq!(Task::get(db, &task.id).await.unwrap(), task);
        assert_eq!(task.workflow_id.as_deref(), Some(workflow.id.as_str()));
        assert_eq!(task.status, TaskStatus::Queued);

        let refused = Workflow::create_with_first_task(db, new_workflow(), first).await;
        assert!(
            matches!(refused, Err(StoreError::Conflict(_))),
            "{refused:?}"
        );
        assert_eq!(
            Workflow::list(db, &PageRequest::default())
                .await
                .unwrap()
                .items,
            vec![workflow],
            "the refused task took its workflow with it"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn succeeding_advances_the_workflow_and_queues_the_next_step_in_one_transaction() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let (workflow, first) = Workflow::create_with_first_task(
            db,
            new_workflow(),
            new_task(AgentId::ContentGenerator, 0, 3),
        )
        .await
        .unwrap();
        claim_one(db, AgentId::ContentGenerator, "node-a", lease()).await;

        let advance = WorkflowAdvance {
            workflow_id: workflow.id.clone(),
            status: WorkflowStatus::Running,
            state: json!({"step": 1, "draft": "d-1"}),
            next: Some(new_task(AGENT, 2, 3)),
        };
        assert!(
            Task::succeed(
                db,
                &first.id,
                1,
                "node-c",
                json!({"draft": "d-1"}),
                Some(advance)
            )
            .await
            .unwrap()
            .is_stored(),
            "{backend:?}"
        );

        let done = Task::get(db, &first.id).await.unwrap();
        assert_eq!(done.status, TaskStatus::Succeeded);
        assert_eq!(done.result, Some(Json(json!({"draft": "d-1"}))));
        // Claimed by node-a's dispatcher, run by an instance on node-c: the row names node-c.
        assert_eq!(done.lease_owner.as_deref(), Some("node-c"));
        assert_eq!(done.lease_expires_at, None);
        assert!(done.finished_at.is_some());

        let advanced = Workflow::get(db, &workflow.id).await.unwrap();
        assert_eq!(advanced.status, WorkflowStatus::Running);
        assert_eq!(advanced.state.0, json!({"step": 1, "draft": "d-1"}));
        assert!(advanced.updated_at >= workflow.updated_at);

        let steps = Task::list_for_workflow(db, &workflow.id).await.unwrap();
        assert_eq!(steps.len(), 2);
        let next = &steps[1];
        assert_eq!(
            (next.agent, next.status, next.priority),
            (AGENT, TaskStatus::Queued, 2)
        );
        assert_eq!(next.workflow_id.as_deref(), Some(workflow.id.as_str()));

        let last = claim_one(db, AGENT, "node-b", lease()).await;
        assert_eq!(last.id, next.id);
        let finish = WorkflowAdvance {
            workflow_id: workflow.id.clone(),
            status: WorkflowStatus::Succeeded,
            state: json!({"step": 2}),
            next: None,
        };
        assert!(
            Task::succeed(
                db,
                &last.id,
                1,
                "node-b",
                json!({"published": true}),
                Some(finish)
            )
            .await
            .unwrap()
            .is_stored()
        );
        assert_eq!(
            Workflow::get(db, &workflow.id).await.unwrap().status,
            WorkflowStatus::Succeeded
        );
        assert_eq!(
            Task::list_for_workflow(db, &workflow.id)
                .await
                .unwrap()
                .len(),
            2
        );

        let alone = queued(db, new_task(AgentId::Monetization, 0, 3)).await;
        claim_one(db, AgentId::Monetization, "node-a", lease()).await;
        assert!(
            Task::succeed(db, &alone.id, 1, "node-a", json!(7), None)
                .await
                .unwrap()
                .is_stored()
        );
        assert_eq!(
            Task::get(db, &alone.id).await.unwrap().result,
            Some(Json(json!(7)))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_success_writes_nothing() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let (workflow, first) = Workflow::create_with_first_task(
            db,
            new_workflow(),
            new_task(AgentId::ContentGenerator, 0, 3),
        )
        .await
        .unwrap();
        let running = claim_one(db, AgentId::ContentGenerator, "node-a", lease()).await;
        let advance = |workflow_id: &str| WorkflowAdvance {
            workflow_id: workflow_id.to_owned(),
            status: WorkflowStatus::Succeeded,
            state: json!({"step": 1}),
            next: Some(new_task(AGENT, 0, 3)),
        };

        assert!(
            !Task::succeed(
                db,
                &first.id,
                0,
                "node-a",
                json!({"stale": true}),
                Some(advance(&workflow.id))
            )
            .await
            .unwrap()
            .is_stored(),
            "{backend:?}"
        );
        assert!(matches!(
            Task::succeed(
                db,
                &first.id,
                1,
                "node-1",
                json!({}),
                Some(advance("missing"))
            )
            .await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(Task::get(db, &first.id).await.unwrap(), running);
        assert_eq!(Workflow::get(db, &workflow.id).await.unwrap(), workflow);
        assert_eq!(
            ids(&Task::list_for_workflow(db, &workflow.id).await.unwrap()),
            [first.id.as_str()]
        );
        assert_eq!(Task::count_queued(db, AGENT).await.unwrap(), 0);

        Task::cancel(db, &first.id).await.unwrap();
        let cancelled = Task::get(db, &first.id).await.unwrap();
        assert!(
            !Task::succeed(
                db,
                &first.id,
                1,
                "node-1",
                json!({}),
                Some(advance(&workflow.id))
            )
            .await
            .unwrap()
            .is_stored()
        );
        assert_eq!(Task::get(db, &first.id).await.unwrap(), cancelled);
        assert_eq!(Workflow::get(db, &workflow.id).await.unwrap(), workflow);
        assert_eq!(Task::count_queued(db, AGENT).await.unwrap(), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_workflow_cancels_its_open_tasks_once() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let (workflow, first) = Workflow::create_with_first_task(
            db,
            new_workflow(),
            new_task(AgentId::OpportunityScanner, 0, 3),
        )
        .await
        .unwrap();
        let in_workflow = |agent: AgentId| NewTask {
            workflow_id: Some(workflow.id.clone()),
            ..new_task(agent, 0, 3)
        };
        let running = queued(db, in_workflow(AgentId::ContentGenerator)).await;
        let waiting = queued(db, in_workflow(AgentId::WebsiteBuilder)).await;
        let outside = queued(db, new_task(AgentId::WebsiteBuilder, 0, 3)).await;
        claim_one(db, AgentId::OpportunityScanner, "node-a", lease()).await;
        assert!(
            Task::succeed(db, &first.id, 1, "node-1", json!({}), None)
                .await
                .unwrap()
                .is_stored()
        );
        claim_one(db, AgentId::ContentGenerator, "node-a", lease()).await;

        let (ended, cancelled) = Workflow::cancel(db, &workflow.id).await.unwrap();
        assert_eq!(ended.status, WorkflowStatus::Cancelled, "{backend:?}");
        assert_eq!(ended, Workflow::get(db, &workflow.id).await.unwrap());
        assert_eq!(ids(&cancelled), [running.id.as_str(), waiting.id.as_str()]);
        for task in &cancelled {
            assert_eq!(task.status, TaskStatus::Cancelled);
            assert!(task.finished_at.is_some());
            assert_eq!(&Task::get(db, &task.id).await.unwrap(), task);
        }
        assert_eq!(
            Task::get(db, &first.id).await.unwrap().status,
            TaskStatus::Succeeded
        );
        assert_eq!(
            Task::get(db, &outside.id).await.unwrap().status,
            TaskStatus::Queued
        );
        assert!(
            !Task::finish(db, &running.id, 1, TaskStatus::Succeeded, None, None)
                .await
                .unwrap()
        );

        match Workflow::cancel(db, &workflow.id).await {
            Err(StoreError::Conflict(message)) => {
                assert_eq!(message, "workflow is already cancelled")
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        let ended_at = Workflow::get(db, &workflow.id).await.unwrap();
        assert_eq!(ended_at, ended, "a refused cancel changes nothing");
        assert!(matches!(
            Workflow::cancel(db, "missing").await,
            Err(StoreError::NotFound)
        ));
    }
}
