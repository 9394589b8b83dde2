//! WebSocket fan-out, paired: starts the real `empire` binary and, from this same file, a bare
//! actix-ws broadcast server (2 workers, no auth, no filters). Against each in turn it holds
//! `BENCH_SOCKETS` (default 10,000) sockets on loopback, makes one event per second for
//! `BENCH_SECONDS` (default 20) (empire: a submitted task; bare: `POST /event`), and reports the
//! fan-out latency (start of the event's request → its frame on each socket) p50/p99, the
//! server's RSS growth per socket, its CPU and the frames each socket read per event, then the
//! ratios: fan-out p99 as the median of `BENCH_ROUNDS` (1) rounds, RSS from the first round.
//! Then `BENCH_WORKERS` (default 500) external workers process `BENCH_WORKER_TASKS` (default
//! 5,000) tasks on empire; reports tasks/s (`BENCH_WORKERS=0` skips this phase).
//! Needs about BENCH_SOCKETS + 100 open files per process (`ulimit -n`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::Message;

const ROLE: &str = "EMPIRE_BENCH_ROLE";

#[path = "sockets/baseline.rs"]
mod baseline;
#[path = "common/binary.rs"]
mod binary;
#[path = "common/proc.rs"]
mod proc;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn start_server(dir: &std::path::Path) -> (Child, u16) {
    let config = format!(
        "[agents]\nseo_optimizer = 0\n\n[tasks]\nbacklog_cap = 1000000\nmax_in_flight = 8\n\n[ws]\nmax_connections = 20000\nmax_sockets_per_credential = 20000\n\n{}",
        binary::NO_LIMITS
    );
    binary::serve(dir, &config, &[])
}

/// Starts this bench's own binary as the bare actix-ws server; returns it and its port.
fn start_baseline() -> (Child, u16) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(ROLE, "baseline")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let port = binary::read_port(&mut child);
    (child, port)
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted
        .get(((sorted.len().max(1) - 1) as f64 * q) as usize)
        .copied()
        .unwrap_or_default()
}

/// How one server's dashboards did: fan-out latency and what the sockets cost it.
struct FanOut {
    p50: Duration,
    p99: Duration,
    deliveries: usize,
    expected: usize,
    /// RSS growth from before the sockets opened to after the events, per socket, in KiB.
    rss_per_socket_kib: f64,
    rss_mib: f64,
    cpu_percent: f64,
    /// Text frames each socket read per event, whatever their type.
    frames_per_event: f64,
}

/// Where the events come from: the real API (a task submitted) or the bare server's `/event`.
enum Source<'a> {
    Empire { base: &'a str, token: &'a str },
    Bare { base: &'a str },
}

impl Source<'_> {
    /// Makes one event; returns the task id its frames will carry.
    async fn make(&self, client: &reqwest::Client, n: usize) -> String {
        match self {
            Source::Empire { base, token } => {
                let body = json!({"kind": "audit_page", "input": {"html": "<title>x</title>", "keyword": "x"}});
                let response = client
                    .post(format!("{base}/api/v1/agents/seo_optimizer/tasks"))
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let task: Value = response.json().await.unwrap();
                task["id"].as_str().unwrap().to_owned()
            }
            Source::Bare { base } => {
                let id = format!("bare-{n}");
                client
                    .post(format!("{base}/event"))
                    .json(&json!({"task_id": id}))
                    .send()
                    .await
                    .unwrap();
                id
            }
        }
    }
}

/// Opens `BENCH_SOCKETS` sockets at `socket_url`, makes one event a second for `BENCH_SECONDS`
/// and times each event from the start of its request to its frame on every socket.
async fn dashboards(name: &str, socket_url: &str, source: Source<'_>, pid: u32) -> FanOut {
    let sockets = env_usize("BENCH_SOCKETS", 10_000);
    let seconds = env_usize("BENCH_SECONDS", 20);
    let client = reqwest::Client::new();
    let mut sent: HashMap<String, Instant> = HashMap::new();
    // Arrival of each event frame on each socket; matched with its submit time afterwards.
    let arrivals: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let frames = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(Semaphore::new(200));
    let rss_idle = proc::rss_mib(pid);
    let started = Instant::now();
    let mut readers = Vec::with_capacity(sockets);
    for _ in 0..sockets {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let (arrivals, frames) = (arrivals.clone(), frames.clone());
        let (stream, _) = tokio_tungstenite::connect_async(socket_url)
            .await
            .expect("socket opens");
        drop(permit);
        readers.push(tokio::spawn(async move {
            let (_write, mut read) = stream.split();
            while let Some(Ok(message)) = read.next().await {
                let Message::Text(text) = message else {
                    continue;
                };
                frames.fetch_add(1, Ordering::Relaxed);
                if !text.contains("\"task_queued\"") {
                    continue;
                }
                let at = Instant::now();
                let Ok(frame) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                if let Some(id) = frame["task_id"].as_str() {
                    arrivals.lock().unwrap().push((id.to_owned(), at));
                }
            }
        }));
    }
    println!(
        "{name}: {sockets} sockets open in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let cpu_before = proc::cpu_seconds(pid);
    let frames_before = frames.load(Ordering::Relaxed);
    let window = Instant::now();
    for n in 0..seconds {
        let tick = Instant::now();
        let id = source.make(&client, n).await;
        sent.insert(id, tick);
        tokio::time::sleep(Duration::from_secs(1).saturating_sub(tick.elapsed())).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (rss, cpu_after) = (proc::rss_mib(pid), proc::cpu_seconds(pid));
    let cpu_percent = (cpu_after - cpu_before) / window.elapsed().as_secs_f64() * 100.0;
    let frames_read = frames.load(Ordering::Relaxed) - frames_before;
    let mut samples: Vec<Duration> = arrivals
        .lock()
        .unwrap()
        .iter()
        .filter_map(|(id, at)| sent.get(id).map(|submitted| at.duration_since(*submitted)))
        .collect();
    samples.sort();
    for reader in readers {
        reader.abort();
    }
    // Let the server see the sockets go before the next phase.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let fan_out = FanOut {
        p50: percentile(&samples, 0.50),
        p99: percentile(&samples, 0.99),
        deliveries: samples.len(),
        expected: sockets * seconds,
        rss_per_socket_kib: (rss - rss_idle) * 1024.0 / sockets.max(1) as f64,
        rss_mib: rss,
        cpu_percent,
        frames_per_event: frames_read as f64 / (sockets * seconds).max(1) as f64,
    };
    println!(
        "{name}: {} deliveries of {} expected; fan-out p50 {:?}, p99 {:?}; RSS {:.0} MiB ({:.1} KiB per socket), CPU {:.0}% of one core, {:.1} frames per socket per event",
        fan_out.deliveries,
        fan_out.expected,
        fan_out.p50,
        fan_out.p99,
        fan_out.rss_mib,
        fan_out.rss_per_socket_kib,
        fan_out.cpu_percent,
        fan_out.frames_per_event,
    );
    fan_out
}

async fn workers(base: &str, ws: &str, token: &str) {
    let count = env_usize("BENCH_WORKERS", 500);
    let tasks = env_usize("BENCH_WORKER_TASKS", 5_000);
    if count == 0 {
        // No worker would ever take the tasks (the bench config runs no seo_optimizer).
        return;
    }
    let client = reqwest::Client::new();
    let key: Value = client
        .post(format!("{base}/api/v1/auth/api-keys"))
        .bearer_auth(token)
        .json(&json!({"name": "bench workers", "scopes": ["agents.read", "agents.manage"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = key["key"].as_str().unwrap().to_owned();
    let mut handles = Vec::new();
    for _ in 0..count {
        let url = format!("{ws}/ws/agents/seo_optimizer?mode=worker&token={key}");
        let (stream, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("worker connects");
        handles.push(tokio::spawn(async move {
            let (mut write, mut read) = stream.split();
            loop {
                let next = tokio::time::timeout(Duration::from_secs(5), read.next()).await;
                let Ok(Some(Ok(Message::Text(text)))) = next else {
                    if next.is_err() {
                        let _ = write.send(Message::text(r#"{"type":"heartbeat"}"#)).await;
                        continue;
                    }
                    return;
                };
                let Ok(frame) = serde_json::from_str::<Value>(&text) else { continue };
                if frame["type"] == "task" {
                    let reply = json!({"type": "result", "task_id": frame["task_id"], "attempt": frame["attempt"], "output": {"score": 100}});
                    if write.send(Message::text(reply.to_string())).await.is_err() {
                        return;
                    }
                }
            }
        }));
    }
    let body = json!({"kind": "audit_page", "input": {"html": "<title>x</title>", "keyword": "x"}});
    let started = Instant::now();
    for _ in 0..tasks {
        client
            .post(format!("{base}/api/v1/agents/seo_optimizer/tasks"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
    }
    loop {
        let status: Value = client
            .get(format!("{base}/api/v1/agents/seo_optimizer/status"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if status["queue"]["queued"] == 0 && status["queue"]["running"] == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "workers: {count} external workers finished {tasks} tasks in {elapsed:.1} s: {:.0} tasks/s",
        tasks as f64 / elapsed
    );
    for handle in handles {
        handle.abort();
    }
}

fn main() {
    if std::env::var(ROLE).as_deref() == Ok("baseline") {
        return baseline::serve();
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut server, port) = start_server(dir.path());
    let (mut bare, bare_port) = start_baseline();
    let base = format!("http://127.0.0.1:{port}");
    let ws = format!("ws://127.0.0.1:{port}");
    let bare_base = format!("http://127.0.0.1:{bare_port}");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let token = binary::admin_token(&base).await;
        let mut empire_runs = Vec::new();
        let mut bare_runs = Vec::new();
        for round in 1..=env_usize("BENCH_ROUNDS", 1) {
            println!("round {round}");
            let url = format!("{ws}/ws/dashboard?token={token}");
            let source = Source::Empire { base: &base, token: &token };
            empire_runs.push(dashboards("empire", &url, source, server.id()).await);
            let url = format!("ws://127.0.0.1:{bare_port}/ws");
            let source = Source::Bare { base: &bare_base };
            bare_runs.push(dashboards("bare actix-ws", &url, source, bare.id()).await);
        }
        let median = |runs: &[FanOut], value: fn(&FanOut) -> f64| {
            let mut values: Vec<f64> = runs.iter().map(value).collect();
            values.sort_by(f64::total_cmp);
            values[values.len() / 2]
        };
        let p99 = |run: &FanOut| run.p99.as_secs_f64() * 1000.0;
        let (empire_p99, bare_p99) = (median(&empire_runs, p99), median(&bare_runs, p99));
        // The first round's: later rounds reuse the pages the previous round's sockets freed,
        // which stay resident, so their growth says nothing about a socket's cost.
        let (empire_rss, bare_rss) = (
            empire_runs[0].rss_per_socket_kib,
            bare_runs[0].rss_per_socket_kib,
        );
        println!(
            "fan-out p99: empire {empire_p99:.1} ms, bare {bare_p99:.1} ms, ratio {:.2} (median of {} rounds); RSS per socket (round 1): empire {empire_rss:.1} KiB, bare {bare_rss:.1} KiB, ratio {:.2}",
            empire_p99 / bare_p99,
            empire_runs.len(),
            empire_rss / bare_rss,
        );
        workers(&base, &ws, &token).await;
    });
    for child in [&mut server, &mut bare] {
        let _ = child.kill();
        let _ = child.wait();
    }
}
