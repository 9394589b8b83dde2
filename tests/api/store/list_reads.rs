//! SQLite serves lists from read-only connections that run on the calling thread
//! (`schema/src/sqlite_reads.rs`): they see every committed write, cannot write, and a filtered
//! task list searches an index instead of scanning the table (it would hold up an HTTP worker).

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use empire_schema::models::{Created, Task, TaskFilter};
use empire_schema::{AgentId, Db, PageRequest, TaskStatus};

use super::task;
use crate::helpers::{TestBackend, spawn_store_app as spawn_app};

#[derive(QueryableByName)]
struct PlanStep {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_lists_read_every_commit_and_their_connections_cannot_write() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let Db::Sqlite { reads, .. } = &app.db else {
        panic!("the embedded default is SQLite");
    };
    let mut listed = 0;
    for _ in 0..3 {
        let Created::New(created) = Task::create(&app.db, task(None)).await.unwrap() else {
            panic!("no idempotency key, so a new task");
        };
        let page = Task::list(&app.db, &TaskFilter::default(), &PageRequest::first(50))
            .await
            .unwrap();
        assert_eq!(
            page.items[0].id, created.id,
            "a list sees the write before it"
        );
        listed += 1;
        assert_eq!(page.items.len(), listed);
    }
    let mut reader = reads.get().await.unwrap();
    let refused = reader
        .batch_execute("DELETE FROM tasks")
        .await
        .expect_err("a list connection wrote");
    assert!(refused.to_string().contains("readonly"), "{refused}");
    let page = Task::list(&app.db, &TaskFilter::default(), &PageRequest::first(50))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_filtered_task_lists_search_an_index() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let Db::Sqlite { reads, .. } = &app.db else {
        panic!("the embedded default is SQLite");
    };
    let mut reader = reads.get().await.unwrap();
    // The shapes `Task::list` builds, a page after a cursor included.
    let filters = ["agent = ?", "status = ?", "agent = ? AND status = ?"];
    for filter in filters {
        for cursor in ["", " AND id < ?"] {
            let sql = format!(
                "EXPLAIN QUERY PLAN SELECT * FROM tasks WHERE {filter}{cursor} ORDER BY id DESC LIMIT ?"
            );
            let plan: Vec<PlanStep> = diesel::sql_query(&sql).load(&mut *reader).await.unwrap();
            let plan: Vec<String> = plan.into_iter().map(|step| step.detail).collect();
            assert!(
                plan.len() == 1 && plan[0].starts_with("SEARCH tasks USING INDEX tasks_listed_by"),
                "{sql}: {plan:?}"
            );
        }
    }
    // And the store's own query answers by those filters.
    let Created::New(created) = Task::create(&app.db, task(None)).await.unwrap() else {
        panic!("no idempotency key, so a new task");
    };
    let filter = TaskFilter {
        agent: Some(AgentId::SeoOptimizer),
        status: Some(TaskStatus::Queued),
    };
    let page = Task::list(&app.db, &filter, &PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, created.id);
}
