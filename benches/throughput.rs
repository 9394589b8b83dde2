//! End-to-end throughput: starts the real binary (its own process), submits N tasks over HTTP
//! with C concurrent clients from this process, waits until every one has finished, and prints
//! tasks per second and the server's CPU per task.
//!
//! `cargo bench --bench throughput` (SQLite); with `EMPIRE_TEST_DATABASE_URL` set it runs on a
//! fresh PostgreSQL database too. `BENCH_TASKS` (default 2000) and `BENCH_CLIENTS` (default 8).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/binary.rs"]
mod binary;
#[path = "common/pg.rs"]
mod pg;
#[path = "common/proc.rs"]
mod proc;

use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

async fn run(label: &str, database_url: String, tasks: usize, clients: usize) {
    let data = tempfile::tempdir().unwrap();
    let config = format!(
        "[database]\npool_size = 16\n\n[tasks]\nmax_in_flight = 32\n\n{}",
        binary::NO_LIMITS
    );
    let (mut server, port) = binary::serve(
        data.path(),
        &config,
        &[("EMPIRE_DATABASE_URL", database_url.as_str())],
    );
    let base = format!("http://127.0.0.1:{port}");
    let token = binary::admin_token(&base).await;
    let cpu_before = proc::cpu_seconds(server.id());
    let client = reqwest::Client::new();
    let body = json!({"kind": "build_affiliate_link", "input": {"network": "awin", "advertiser_id": "1001", "publisher_id": "2002", "target_url": "https://shop.example/item"}});

    let started = Instant::now();
    let per_client = tasks / clients;
    let submitters: Vec<_> = (0..clients)
        .map(|_| {
            let (client, base, token, body) =
                (client.clone(), base.clone(), token.clone(), body.clone());
            tokio::spawn(async move {
                for _ in 0..per_client {
                    let response = client
                        .post(format!("{base}/api/v1/agents/monetization/tasks"))
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 202);
                }
            })
        })
        .collect();
    for submitter in submitters {
        submitter.await.unwrap();
    }
    let submitted_in = started.elapsed();
    loop {
        let page: Value = client
            .get(format!("{base}/api/v1/agents/monetization/status"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if page["queue"]["queued"] == 0 && page["queue"]["running"] == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "not drained: {}",
            page["queue"]
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let total = started.elapsed();
    let cpu = proc::cpu_seconds(server.id()) - cpu_before;
    let _ = server.kill();
    let _ = server.wait();
    let done = per_client * clients;
    println!(
        "throughput/{label}: {done} tasks submitted in {:.2} s, all finished in {:.2} s: {:.0} tasks/s end to end; server CPU {:.0} µs per task",
        submitted_in.as_secs_f64(),
        total.as_secs_f64(),
        done as f64 / total.as_secs_f64(),
        cpu * 1e6 / done as f64,
    );
}

/// CPU seconds (user + system) a process has used, from /proc.
fn main() {
    let tasks = env_usize("BENCH_TASKS", 2_000);
    let clients = env_usize("BENCH_CLIENTS", 8).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        run(
            "sqlite",
            format!("sqlite://{}", dir.path().join("bench.db").display()),
            tasks,
            clients,
        )
        .await;
        if let Some(admin) = pg::admin_url() {
            let database = pg::TempDatabase::create(&admin, "bench_throughput");
            run("postgres", database.url.clone(), tasks, clients).await;
        }
    });
}
