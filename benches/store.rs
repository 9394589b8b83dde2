//! Store micro-benchmark: insert, get, and a claim-style fenced update of one task row,
//! on SQLite always and on PostgreSQL when `EMPIRE_TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use empire_schema::models::{Created, NewTask, Task};
use empire_schema::{DatabaseUrl, Db, DbOptions};
use serde_json::json;
use tokio::runtime::Runtime;

fn new_task() -> NewTask {
    NewTask {
        agent: empire_schema::AgentId::SeoOptimizer,
        kind: "audit_page".into(),
        input: json!({"html": "<h1>Espresso</h1>", "keyword": "espresso"}),
        priority: 0,
        max_attempts: 3,
        timeout_ms: 60_000,
        idempotency_key: None,
        workflow_id: None,
    }
}

/// One task's life in the store: insert, read back, claim under a lease.
async fn insert_get_claim(db: &Db) {
    let Created::New(task) = Task::create(db, new_task()).await.unwrap() else {
        unreachable!()
    };
    let read = Task::get(db, &task.id).await.unwrap();
    let lease = chrono::Duration::seconds(30);
    let claimed = Task::claim(db, &read.id, "bench-node", lease)
        .await
        .unwrap();
    assert!(claimed.is_some());
}

async fn open(url: DatabaseUrl) -> Db {
    empire_schema::migrate::run_pending(&url).await.unwrap();
    Db::connect(&DbOptions {
        url,
        pool_size: 4,
        connect_timeout: Duration::from_secs(3),
    })
    .await
    .unwrap()
}

fn bench_store(c: &mut Criterion) {
    let runtime = Runtime::new().unwrap();
    let mut group = c.benchmark_group("store/task_insert_get_claim");

    let dir = tempfile::tempdir().unwrap();
    let sqlite = runtime.block_on(open(DatabaseUrl::Sqlite(dir.path().join("bench.db"))));
    group.bench_function("sqlite", |b| {
        b.to_async(&runtime).iter(|| insert_get_claim(&sqlite))
    });

    if let Some(admin) = pg::admin_url() {
        let database = pg::TempDatabase::create(&admin, "bench_store");
        let postgres = runtime.block_on(open(DatabaseUrl::Postgres(database.url.clone())));
        group.bench_function("postgres", |b| {
            b.to_async(&runtime).iter(|| insert_get_claim(&postgres))
        });
        drop(postgres);
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(5));
    targets = bench_store
}
criterion_main!(benches);

#[path = "common/pg.rs"]
mod pg;
