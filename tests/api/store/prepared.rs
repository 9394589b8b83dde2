//! The queue's writes stay prepared on PostgreSQL (`schema/src/prepared.rs`): diesel would
//! prepare each `INSERT` and `UPDATE` of a task afresh, a parse and an extra round trip per
//! statement, and close it after one use.

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use empire_schema::models::{Created, Succeeded, Task};
use empire_schema::{AgentId, Db};
use serde_json::json;

use super::task;
use crate::helpers::{TestBackend, admin_url, spawn_app_with};

#[derive(QueryableByName)]
struct Prepared {
    #[diesel(sql_type = Text)]
    statement: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tasks_writes_are_prepared_once_per_connection_and_kept() {
    if admin_url().is_none() {
        return; // PostgreSQL only: SQLite keeps no view of its prepared statements.
    }
    let app = spawn_app_with(TestBackend::Postgres, |config| {
        for agent in AgentId::ALL {
            config.agents.set(agent, 0);
        }
        config.tasks.reap_ms = 3_600_000;
        config.tasks.poll_ms = 3_600_000;
        config.database.pool_size = 1;
    })
    .await;
    let db = &app.db;
    let lease = chrono::Duration::seconds(60);
    for _ in 0..2 {
        let Created::New(created) = Task::create(db, task(None)).await.unwrap() else {
            panic!("no idempotency key, so a new task");
        };
        let claimed = Task::claim_next(db, created.agent, "node-a", lease, 1)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1);
        let stored = Task::succeed(db, &created.id, claimed[0].fence, "node-a", json!({}), None)
            .await
            .unwrap();
        assert!(matches!(stored, Succeeded::Stored { next: None }));
    }

    let Db::Postgres(pool) = db else {
        panic!("started on PostgreSQL");
    };
    let mut conn = pool.get().await.unwrap();
    let kept: Vec<String> = diesel::sql_query("SELECT statement FROM pg_prepared_statements")
        .load::<Prepared>(&mut *conn)
        .await
        .unwrap()
        .into_iter()
        .map(|prepared| prepared.statement)
        .collect();
    let count = |start: &str, containing: &str| {
        kept.iter()
            .filter(|sql| sql.starts_with(start) && sql.contains(containing))
            .count()
    };
    assert_eq!(count("INSERT INTO \"tasks\"", ""), 1, "{kept:#?}");
    assert_eq!(
        count("UPDATE \"tasks\"", "FOR UPDATE SKIP LOCKED"),
        1,
        "{kept:#?}"
    );
    assert_eq!(count("UPDATE \"tasks\"", "\"result\" = $"), 1, "{kept:#?}");
}
