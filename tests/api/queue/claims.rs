//! Claiming queued tasks under a lease, alone and concurrently, and renewing the lease.

use std::collections::HashMap;

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claim_next_takes_the_highest_priority_then_oldest_up_to_the_limit() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let low = queued(db, new_task(AGENT, 0, 3)).await;
        let high_old = queued(db, new_task(AGENT, 5, 3)).await;
        let high_new = queued(db, new_task(AGENT, 5, 3)).await;
        let other_agent = queued(db, new_task(AgentId::Monetization, 9, 3)).await;
        assert_eq!(Task::count_queued(db, AGENT).await.unwrap(), 3);
        assert_eq!(high_old.timeout_ms, 30_000, "{backend:?}");

        let (until, before) = (lease(), now());
        assert!(
            Task::claim_next(db, AGENT, "node-a", until, 0)
                .await
                .unwrap()
                .is_empty()
        );
        let claimed = Task::claim_next(db, AGENT, "node-a", until, 2)
            .await
            .unwrap();
        assert_eq!(
            ids(&claimed),
            [high_old.id.as_str(), high_new.id.as_str()],
            "{backend:?}"
        );
        for task in &claimed {
            assert_eq!(task.status, TaskStatus::Running);
            assert_eq!(task.attempts, 1);
            assert_eq!(task.lease_owner.as_deref(), Some("node-a"));
            assert_leased_for(task.lease_expires_at, until, before);
            assert!(task.started_at.is_some());
            assert_eq!(&Task::get(db, &task.id).await.unwrap(), task);
        }
        assert_eq!(Task::count_queued(db, AGENT).await.unwrap(), 1);

        let rest = Task::claim_next(db, AGENT, "node-b", until, 10)
            .await
            .unwrap();
        assert_eq!(ids(&rest), [low.id.as_str()]);
        assert!(
            Task::claim_next(db, AGENT, "node-b", until, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(Task::count_queued(db, AGENT).await.unwrap(), 0);
        assert_eq!(
            Task::get(db, &other_agent.id).await.unwrap().status,
            TaskStatus::Queued
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claimers_take_every_task_exactly_once() {
    const TASKS: usize = 200;
    const CLAIMERS: usize = 4;
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        for i in 0..TASKS {
            queued(db, new_task(AGENT, (i % 3) as i64, 3)).await;
        }

        let until = lease();
        let claimers: Vec<_> = (0..CLAIMERS)
            .map(|n| {
                let db = db.clone();
                tokio::spawn(async move {
                    let owner = format!("node-{n}");
                    let mut mine = Vec::new();
                    loop {
                        let batch = Task::claim_next(&db, AGENT, &owner, until, 7)
                            .await
                            .unwrap();
                        if batch.is_empty() {
                            return (owner, mine);
                        }
                        assert!(batch.len() <= 7, "at most `limit` per claim");
                        mine.extend(batch);
                    }
                })
            })
            .collect();

        let mut owner_of = HashMap::new();
        for claimer in claimers {
            let (owner, mine) = claimer.await.unwrap();
            for task in mine {
                assert_eq!(task.lease_owner.as_deref(), Some(owner.as_str()));
                let previous = owner_of.insert(task.id.clone(), owner.clone());
                assert!(
                    previous.is_none(),
                    "{} claimed twice ({backend:?})",
                    task.id
                );
            }
        }
        assert_eq!(owner_of.len(), TASKS, "{backend:?}");
        assert_eq!(Task::count_queued(db, AGENT).await.unwrap(), 0);
        let filter = TaskFilter {
            agent: Some(AGENT),
            status: None,
        };
        let rows = Task::list(db, &filter, &PageRequest::first(TASKS as i64))
            .await
            .unwrap()
            .items;
        assert_eq!(rows.len(), TASKS);
        for row in rows {
            assert_eq!((row.status, row.attempts), (TaskStatus::Running, 1));
            assert_eq!(row.lease_owner.as_ref(), owner_of.get(&row.id));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renewing_a_lease_is_fenced_by_attempt() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let db = &app.db;
        let task = queued(db, new_task(AGENT, 0, 3)).await;
        assert!(
            !Task::renew_lease(db, &task.id, 0, lease()).await.unwrap(),
            "a queued task has no lease to renew"
        );
        let claimed = claim_one(db, AGENT, "node-a", lease()).await;

        let later = lease() + Duration::seconds(60);
        let before = now();
        assert!(Task::renew_lease(db, &task.id, 1, later).await.unwrap());
        let until = Task::get(db, &task.id).await.unwrap().lease_expires_at;
        assert_leased_for(until, later, before);
        assert!(!Task::renew_lease(db, &task.id, 0, later).await.unwrap());
        assert!(!Task::renew_lease(db, "missing", 1, later).await.unwrap());

        assert!(
            Task::finish(
                db,
                &claimed.id,
                1,
                TaskStatus::Succeeded,
                Some(json!({})),
                None
            )
            .await
            .unwrap()
        );
        assert!(!Task::renew_lease(db, &task.id, 1, later).await.unwrap());
        let done = Task::get(db, &task.id).await.unwrap();
        assert_eq!(done.lease_owner.as_deref(), Some("node-a"));
        assert_eq!(done.lease_expires_at, None);
    }
}
