//! Local request/reply between two agents through the runtime (the seed asks < 50 ms; the
//! target is p99 < 100 µs): criterion's median, then p50/p99 over a fixed number of calls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use empire_actors::kinds::AgentId;
use empire_actors::runtime::{AgentRequest, Runtime, RuntimeConfig, Target};
use empire_schema::{DatabaseUrl, Db, DbOptions};
use tokio::runtime::Runtime as Tokio;

fn start(tokio: &Tokio, dir: &tempfile::TempDir) -> Runtime {
    tokio.block_on(async {
        let url = DatabaseUrl::Sqlite(dir.path().join("bench.db"));
        empire_schema::migrate::run_pending(&url).await.unwrap();
        let db = Db::connect(&DbOptions {
            url,
            pool_size: 2,
            connect_timeout: Duration::from_secs(3),
        })
        .await
        .unwrap();
        let config = RuntimeConfig {
            node: "bench".into(),
            scope: "bench".into(),
            agents: Default::default(),
            tasks: Default::default(),
            http_addr: String::new(),
            cluster: Default::default(),
            llm: Default::default(),
            web: Default::default(),
            shared_cache: None,
        };
        let runtime = Runtime::start(config, db).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        runtime
    })
}

fn ping() -> AgentRequest {
    AgentRequest::Ping {
        from: "content_generator".into(),
    }
}

fn bench_round_trip(c: &mut Criterion) {
    let tokio = Tokio::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let runtime = start(&tokio, &dir);
    let target = Target::Agent(AgentId::SeoOptimizer);
    let timeout = Duration::from_secs(1);
    c.bench_function("messaging/ask_ping_round_trip", |b| {
        b.to_async(&tokio).iter(|| async {
            runtime
                .messenger()
                .ask(&target, ping(), timeout)
                .await
                .unwrap()
        })
    });

    // Percentiles criterion does not report.
    let mut samples: Vec<Duration> = tokio.block_on(async {
        let mut samples = Vec::with_capacity(20_000);
        for _ in 0..20_000 {
            let started = Instant::now();
            runtime
                .messenger()
                .ask(&target, ping(), timeout)
                .await
                .unwrap();
            samples.push(started.elapsed());
        }
        samples
    });
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    println!(
        "messaging/ask_ping_round_trip over {} calls: p50 {:?}, p99 {:?}, max {:?}",
        samples.len(),
        at(0.50),
        at(0.99),
        at(1.0)
    );
    tokio.block_on(runtime.shutdown());
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(4));
    targets = bench_round_trip
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
