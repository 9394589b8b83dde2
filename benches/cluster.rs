//! Cross-node request/reply between agents over a real ractor_cluster link on loopback (the
//! seed asks < 50 ms; the target is p99 < 1 ms). Node B is the real `empire serve` binary as a
//! child process hosting `BENCH_REMOTE_INSTANCES` (2) `seo_optimizer` instances and nothing
//! else; node A is a runtime in this process hosting none, so every ask crosses the link.
//! Reports criterion's median of one round trip, p50/p99/max over `BENCH_CALLS` (20,000)
//! sequential calls, remote asks per second from `BENCH_ASKERS` (32) concurrent askers doing
//! `BENCH_ASKS_EACH` (3,000) calls each, and the rate of `BENCH_TELLS` (300,000) one-way tells
//! until node B has received them all.
//!
//! Needs PostgreSQL (a cluster refuses SQLite): `EMPIRE_TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) must allow `CREATE DATABASE`; the bench
//! creates `bench_cluster_<uuid>` and drops it at the end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};

use empire_actors::cluster::ClusterSettings;
use empire_actors::kinds::AgentId;
use empire_actors::runtime::{
    AgentCounts, AgentNotice, AgentReply, AgentRequest, Messenger, Runtime, RuntimeConfig, Target,
};
use empire_actors::website_builder::sites::Sites;
use empire_schema::{DatabaseUrl, Db, DbOptions};
use tokio::runtime::Runtime as Tokio;

const COOKIE: &str = "bench-cluster-cookie-of-at-least-32-characters";
const JWT_SECRET: &str = "bench-secret-of-at-least-thirty-two-bytes";
const NODE_B: &str = "bench-b";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// A free port on 127.0.0.1 (closed again before it is used: a small race, fine on loopback).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Node B: the real binary, killed with the guard (also when the bench panics).
struct NodeB {
    child: Child,
    log: std::path::PathBuf,
}

impl NodeB {
    fn start(dir: &Path, database_url: &str, cluster: &str, addr: SocketAddr) -> NodeB {
        let log = dir.join("node-b.log");
        let instances = env_usize("BENCH_REMOTE_INSTANCES", 2);
        let child = Command::new(env!("CARGO_BIN_EXE_empire"))
            .current_dir(dir)
            .arg("serve")
            .env("EMPIRE_NODE_NAME", NODE_B)
            .env("EMPIRE_HTTP_ADDR", "127.0.0.1:0")
            .env("EMPIRE_DATA_DIR", dir)
            .env("EMPIRE_DATABASE_URL", database_url)
            .env("EMPIRE_JWT_SECRET", JWT_SECRET)
            .env("EMPIRE_ADMIN_PASSWORD", "bench admin password")
            .env("EMPIRE_LOG", "warn")
            .env("EMPIRE_CLUSTER_ENABLED", "true")
            .env("EMPIRE_CLUSTER_NAME", cluster)
            .env("EMPIRE_CLUSTER_ADDR", addr.to_string())
            .env("EMPIRE_CLUSTER_COOKIE", COOKIE)
            .env(
                "EMPIRE_AGENTS",
                format!(
                    "opportunity_scanner=0,content_generator=0,website_builder=0,\
                     monetization=0,seo_optimizer={instances}"
                ),
            )
            .stdout(Stdio::null())
            .stderr(File::create(&log).unwrap())
            .spawn()
            .unwrap();
        NodeB { child, log }
    }

    /// Panics with node B's log if it has exited.
    fn check_alive(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            panic!("node B (empire serve) exited with {status}; its log:\n{log}");
        }
    }
}

impl Drop for NodeB {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Node A: this process's runtime, joined to node B, hosting no `seo_optimizer`.
fn start_node_a(tokio: &Tokio, database_url: &str, cluster: &str, seed: SocketAddr) -> Runtime {
    tokio.block_on(async {
        let url: DatabaseUrl = database_url.parse().unwrap();
        empire_schema::migrate::run_pending(&url).await.unwrap();
        let db = Db::connect(&DbOptions {
            url,
            pool_size: 4,
            connect_timeout: Duration::from_secs(3),
        })
        .await
        .unwrap();
        let mut agents = AgentCounts::default();
        agents.set(AgentId::SeoOptimizer, 0);
        let config = RuntimeConfig {
            node: "bench-a".into(),
            scope: cluster.into(),
            agents,
            tasks: Default::default(),
            http_addr: String::new(),
            cluster: ClusterSettings {
                name: cluster.into(),
                enabled: true,
                addr: SocketAddr::from(([127, 0, 0, 1], free_port())),
                cookie: COOKIE.into(),
                seeds: vec![seed.to_string()],
                ..ClusterSettings::default()
            },
            search_dir: None,
            llm: Default::default(),
            web: Default::default(),
            shared_cache: None,
            sites: Sites::new(
                Default::default(),
                std::env::temp_dir().join("empire-bench-sites"),
            ),
            networks: Default::default(),
        };
        Runtime::start(config, db).await.unwrap()
    })
}

fn ping() -> AgentRequest {
    AgentRequest::Ping {
        from: "content_generator".into(),
    }
}

const TARGET: Target = Target::Agent(AgentId::SeoOptimizer);
const TIMEOUT: Duration = Duration::from_secs(5);

/// Waits until an ask reaches an instance on node B (link up and B's heartbeat received).
fn wait_reachable(tokio: &Tokio, runtime: &Runtime, node_b: &mut NodeB) {
    let started = Instant::now();
    loop {
        node_b.check_alive();
        let answer = tokio.block_on(runtime.messenger().ask(&TARGET, ping(), TIMEOUT));
        match answer {
            Ok(AgentReply::Pong { instance }) if instance.starts_with(NODE_B) => {
                println!(
                    "cluster: node B reachable after {:.2} s (answered by {instance})",
                    started.elapsed().as_secs_f64()
                );
                return;
            }
            other => {
                if started.elapsed() > Duration::from_secs(60) {
                    let log = std::fs::read_to_string(&node_b.log).unwrap_or_default();
                    panic!(
                        "node B's seo_optimizer was not reachable from node A within 60 s (last answer: {other:?}); node B's log:\n{log}"
                    );
                }
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

async fn ask_once(messenger: &Messenger) {
    match messenger.ask(&TARGET, ping(), TIMEOUT).await.unwrap() {
        AgentReply::Pong { .. } => {}
        other => panic!("unexpected reply {other:?}"),
    }
}

/// Sum of the messages node B's instances have received (asks and tells).
async fn received(runtime: &Runtime) -> u64 {
    runtime
        .instances(AgentId::SeoOptimizer)
        .await
        .into_iter()
        .filter(|status| status.node == NODE_B)
        .map(|status| status.messages_received)
        .sum()
}

fn bench_cluster(c: &mut Criterion) {
    let tokio = Tokio::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let admin =
        pg::admin_url().unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let database = pg::TempDatabase::create(&admin, "bench_cluster");
    // Each run is its own cluster: process groups are process-wide.
    let cluster = format!("bench-cluster-{}", uuid::Uuid::new_v4().simple());
    let b_addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let mut node_b = NodeB::start(dir.path(), &database.url, &cluster, b_addr);
    let runtime = start_node_a(&tokio, &database.url, &cluster, b_addr);
    wait_reachable(&tokio, &runtime, &mut node_b);
    let messenger = runtime.messenger().clone();

    c.bench_function("cluster/ask_ping_round_trip", |b| {
        b.to_async(&tokio).iter(|| ask_once(&messenger))
    });

    // Percentiles criterion does not report.
    let calls = env_usize("BENCH_CALLS", 20_000);
    let mut samples: Vec<Duration> = tokio.block_on(async {
        let mut samples = Vec::with_capacity(calls);
        for _ in 0..calls {
            let started = Instant::now();
            ask_once(&messenger).await;
            samples.push(started.elapsed());
        }
        samples
    });
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    println!(
        "cluster/ask_ping_round_trip over {} sequential calls: p50 {:?}, p99 {:?}, max {:?} (target p99 < 1 ms; seed < 50 ms)",
        samples.len(),
        at(0.50),
        at(0.99),
        at(1.0)
    );

    // Remote asks per second with concurrent askers.
    let askers = env_usize("BENCH_ASKERS", 32).max(1);
    let each = env_usize("BENCH_ASKS_EACH", 3_000);
    let elapsed = tokio.block_on(async {
        let started = Instant::now();
        let tasks: Vec<_> = (0..askers)
            .map(|_| {
                let messenger = messenger.clone();
                tokio::spawn(async move {
                    for _ in 0..each {
                        ask_once(&messenger).await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        started.elapsed()
    });
    println!(
        "cluster/ask_ping_concurrent: {askers} askers x {each} calls in {:.2} s: {:.0} remote round trips/s",
        elapsed.as_secs_f64(),
        (askers * each) as f64 / elapsed.as_secs_f64()
    );

    // One-way tells, until node B's instances have counted them all.
    let tells = env_usize("BENCH_TELLS", 300_000);
    let (sent_in, delivered_in) = tokio.block_on(async {
        let before = received(&runtime).await;
        let started = Instant::now();
        for _ in 0..tells {
            let notice = AgentNotice {
                from: "content_generator".into(),
                topic: "bench".into(),
                payload: serde_json::Value::Null,
            };
            messenger.tell(&TARGET, notice).await.unwrap();
        }
        let sent_in = started.elapsed();
        loop {
            let now = received(&runtime).await;
            if now >= before + tells as u64 {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "node B received {} of {tells} tells within 120 s",
                now - before
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        (sent_in, started.elapsed())
    });
    println!(
        "cluster/tell: {tells} tells sent in {:.2} s, all received by node B in {:.2} s: {:.0} remote messages/s",
        sent_in.as_secs_f64(),
        delivered_in.as_secs_f64(),
        tells as f64 / delivered_in.as_secs_f64()
    );

    node_b.check_alive();
    tokio.block_on(runtime.shutdown());
    drop(node_b);
    drop(database);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(4));
    targets = bench_cluster
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}

#[path = "common/pg.rs"]
mod pg;
