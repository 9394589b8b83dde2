//! Failed attempts, expired leases and cancelled tasks, and the fence they put on workers.

use std::collections::HashSet;

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_attempt_requeues_until_attempts_run_out_then_the_task_is_dead() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let task = queued(db, new_task(AGENT, 0, 2)).await;

        claim_one(db, AGENT, "node-a", lease()).await;
        assert_eq!(
            Task::fail_attempt(db, &task.id, 1, "timeout")
                .await
                .unwrap(),
            Some(TaskStatus::Queued),
            "{backend:?}"
        );
        let requeued = Task::get(db, &task.id).await.unwrap();
        assert_eq!(requeued.status, TaskStatus::Queued);
        assert_eq!(requeued.attempts, 1);
        assert_eq!(requeued.error.as_deref(), Some("timeout"));
        assert_eq!(
            (requeued.lease_owner, requeued.lease_expires_at),
            (None, None)
        );
        assert_eq!(requeued.finished_at, None);
        assert_eq!(
            Task::fail_attempt(db, &task.id, 1, "again").await.unwrap(),
            None,
            "a queued task has no running attempt"
        );

        claim_one(db, AGENT, "node-b", lease()).await;
        assert_eq!(
            Task::fail_attempt(db, &task.id, 1, "stale").await.unwrap(),
            None,
            "attempt 1 is over"
        );
        assert_eq!(
            Task::fail_attempt(db, &task.id, 2, "provider down")
                .await
                .unwrap(),
            Some(TaskStatus::Dead)
        );
        let dead = Task::get(db, &task.id).await.unwrap();
        assert_eq!(dead.status, TaskStatus::Dead);
        assert_eq!(dead.attempts, 2);
        assert_eq!(dead.error.as_deref(), Some("provider down"));
        assert_eq!(dead.lease_owner.as_deref(), Some("node-b"));
        assert_eq!(dead.lease_expires_at, None);
        assert!(dead.finished_at.is_some());
        assert_eq!(
            Task::fail_attempt(db, &task.id, 2, "late").await.unwrap(),
            None
        );
        assert_eq!(
            Task::fail_attempt(db, "missing", 1, "x").await.unwrap(),
            None
        );
        assert!(
            Task::claim_next(db, AGENT, "node-c", lease(), 5)
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reaping_requeues_expired_leases_or_kills_tasks_out_of_attempts() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let retry = queued(db, new_task(AgentId::OpportunityScanner, 0, 3)).await;
        let last = queued(db, new_task(AgentId::ContentGenerator, 0, 1)).await;
        let alive = queued(db, new_task(AgentId::WebsiteBuilder, 0, 3)).await;
        let waiting = queued(db, new_task(AgentId::Monetization, 0, 3)).await;
        claim_one(db, AgentId::OpportunityScanner, "node-a", expired()).await;
        claim_one(db, AgentId::ContentGenerator, "node-a", expired()).await;
        claim_one(db, AgentId::WebsiteBuilder, "node-a", lease()).await;

        let reaped = Task::reap_expired(db).await.unwrap();
        assert_eq!(
            ids(&reaped),
            [retry.id.as_str(), last.id.as_str()],
            "{backend:?}"
        );
        assert_eq!(reaped[0], Task::get(db, &retry.id).await.unwrap());
        assert_eq!(reaped[0].status, TaskStatus::Queued);
        assert_eq!(reaped[0].error.as_deref(), Some("lease expired"));
        assert_eq!(
            (reaped[0].lease_owner.clone(), reaped[0].lease_expires_at),
            (None, None)
        );
        assert_eq!(reaped[0].finished_at, None);
        assert_eq!(reaped[1], Task::get(db, &last.id).await.unwrap());
        assert_eq!(reaped[1].status, TaskStatus::Dead);
        assert_eq!(reaped[1].error.as_deref(), Some("lease expired"));
        assert_eq!(reaped[1].lease_owner.as_deref(), Some("node-a"));
        assert!(reaped[1].finished_at.is_some());

        let alive = Task::get(db, &alive.id).await.unwrap();
        assert_eq!(alive.status, TaskStatus::Running);
        assert_eq!(
            Task::get(db, &waiting.id).await.unwrap().status,
            TaskStatus::Queued
        );
        assert!(Task::reap_expired(db).await.unwrap().is_empty());
        assert!(
            !Task::finish(db, &retry.id, 1, TaskStatus::Succeeded, None, None)
                .await
                .unwrap(),
            "the reaped attempt cannot report"
        );
        let retried = claim_one(db, AgentId::OpportunityScanner, "node-b", lease()).await;
        assert_eq!(retried.attempts, 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_reaping_at_once_reap_each_task_once() {
    const TASKS: usize = 60;
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        for i in 0..TASKS {
            queued(db, new_task(AGENT, 0, 1 + (i % 2) as i64)).await;
        }
        let claimed = Task::claim_next(db, AGENT, "node-a", expired(), TASKS as i64)
            .await
            .unwrap();
        assert_eq!(claimed.len(), TASKS);

        let (first, second) = tokio::join!(
            tokio::spawn({
                let db = db.clone();
                async move { Task::reap_expired(&db).await.unwrap() }
            }),
            tokio::spawn({
                let db = db.clone();
                async move { Task::reap_expired(&db).await.unwrap() }
            }),
        );
        let mut seen = HashSet::new();
        for task in first.unwrap().into_iter().chain(second.unwrap()) {
            assert!(seen.insert(task.id.clone()), "{} reaped twice", task.id);
        }
        // A row one reaper skipped while the other held it is left for the next round.
        for task in Task::reap_expired(db).await.unwrap() {
            assert!(seen.insert(task.id.clone()), "{} reaped twice", task.id);
        }
        assert_eq!(seen.len(), TASKS, "{backend:?}");
        for task in claimed {
            let row = Task::get(db, &task.id).await.unwrap();
            let expected = if row.max_attempts == 1 {
                TaskStatus::Dead
            } else {
                TaskStatus::Queued
            };
            assert_eq!(row.status, expected);
            assert_eq!(row.attempts, 1);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_ends_queued_and_running_tasks_and_fences_the_worker() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let waiting = queued(db, new_task(AgentId::OpportunityScanner, 0, 3)).await;
        let running = queued(db, new_task(AgentId::ContentGenerator, 0, 3)).await;
        let done = queued(db, new_task(AgentId::WebsiteBuilder, 0, 3)).await;
        claim_one(db, AgentId::ContentGenerator, "node-a", lease()).await;
        claim_one(db, AgentId::WebsiteBuilder, "node-a", lease()).await;
        assert!(
            Task::finish(db, &done.id, 1, TaskStatus::Succeeded, None, None)
                .await
                .unwrap()
        );

        let cancelled = Task::cancel(db, &waiting.id).await.unwrap();
        assert_eq!(cancelled.status, TaskStatus::Cancelled, "{backend:?}");
        assert!(cancelled.finished_at.is_some());
        assert_eq!(cancelled, Task::get(db, &waiting.id).await.unwrap());
        assert!(
            Task::claim_next(db, AgentId::OpportunityScanner, "node-a", lease(), 1)
                .await
                .unwrap()
                .is_empty()
        );

        let stopped = Task::cancel(db, &running.id).await.unwrap();
        assert_eq!(stopped.status, TaskStatus::Cancelled);
        assert_eq!(stopped.attempts, 1);
        assert_eq!(stopped.lease_expires_at, None);
        assert!(
            !Task::finish(db, &running.id, 1, TaskStatus::Succeeded, None, None)
                .await
                .unwrap()
        );
        assert_eq!(
            Task::fail_attempt(db, &running.id, 1, "late")
                .await
                .unwrap(),
            None
        );
        assert!(
            !Task::renew_lease(db, &running.id, 1, lease())
                .await
                .unwrap()
        );
        assert!(
            !Task::succeed(db, &running.id, 1, "node-1", json!({}), None)
                .await
                .unwrap()
                .is_stored()
        );
        assert_eq!(Task::get(db, &running.id).await.unwrap(), stopped);

        for (id, status) in [(&running.id, "cancelled"), (&done.id, "succeeded")] {
            match Task::cancel(db, id).await {
                Err(StoreError::Conflict(message)) => {
                    assert_eq!(message, format!("task is already {status}"))
                }
                other => panic!("expected a conflict, got {other:?}"),
            }
        }
        assert!(matches!(
            Task::cancel(db, "missing").await,
            Err(StoreError::NotFound)
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_released_attempt_is_queued_again_without_counting() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let task = queued(db, new_task(AGENT, 0, 1)).await;

        claim_one(db, AGENT, "node-a", lease()).await;
        assert!(Task::release(db, &task.id, 1).await.unwrap(), "{backend:?}");
        assert!(
            !Task::release(db, &task.id, 1).await.unwrap(),
            "only a running attempt is released"
        );

        let released = Task::get(db, &task.id).await.unwrap();
        assert_eq!(released.status, TaskStatus::Queued);
        assert_eq!(released.attempts, 0);
        assert_eq!(
            (released.lease_owner, released.lease_expires_at),
            (None, None)
        );
        let again = claim_one(db, AGENT, "node-b", lease()).await;
        assert_eq!(
            again.attempts, 1,
            "the one allowed attempt is still available"
        );
        assert_eq!(again.fence, 2, "the fence never goes back");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_released_attempt_cannot_write_over_the_claim_that_followed() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let task = queued(db, new_task(AGENT, 0, 3)).await;
        let first = claim_one(db, AGENT, "node-a", lease()).await;
        assert!(Task::release(db, &task.id, first.fence).await.unwrap());
        let second = claim_one(db, AGENT, "node-b", lease()).await;
        assert_eq!(second.attempts, first.attempts, "{backend:?}");
        assert_ne!(second.fence, first.fence, "{backend:?}");

        // The first holder, not knowing it was released, reports late: every write is refused.
        let stale = first.fence;
        assert!(
            !Task::renew_lease(db, &task.id, stale, lease())
                .await
                .unwrap()
        );
        assert_eq!(
            Task::fail_attempt(db, &task.id, stale, "late")
                .await
                .unwrap(),
            None
        );
        assert!(
            !Task::finish(
                db,
                &task.id,
                stale,
                TaskStatus::Succeeded,
                Some(json!({})),
                None
            )
            .await
            .unwrap()
        );
        assert!(!Task::release(db, &task.id, stale).await.unwrap());
        let row = Task::get(db, &task.id).await.unwrap();
        assert_eq!(
            (row.status, row.lease_owner.as_deref()),
            (TaskStatus::Running, Some("node-b")),
            "{backend:?}"
        );
        assert!(
            Task::finish(
                db,
                &task.id,
                second.fence,
                TaskStatus::Succeeded,
                None,
                None
            )
            .await
            .unwrap()
        );
    }
}
