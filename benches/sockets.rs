//! WebSocket load driver: starts the real `empire` binary, holds `BENCH_SOCKETS` (default
//! 10,000) dashboard sockets on loopback, makes one event per second for `BENCH_SECONDS`
//! (default 20) by submitting a task, and reports the server's RSS and CPU and the fan-out
//! latency (start of the submitting request → frame received on each socket) p50/p99. Then `BENCH_WORKERS` (default 500)
//! external workers process `BENCH_WORKER_TASKS` (default 5,000) tasks; reports tasks/s
//! (`BENCH_WORKERS=0` skips this phase).
//! Needs about BENCH_SOCKETS + 100 open files per process (`ulimit -n`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "bench admin password";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn start_server(dir: &std::path::Path) -> (Child, u16) {
    std::fs::write(
        dir.join("bench.toml"),
        "[agents]\nseo_optimizer = 0\n\n[tasks]\nbacklog_cap = 1000000\nmax_in_flight = 8\n\n[ws]\nmax_connections = 20000\nmax_sockets_per_credential = 20000\n\n\
         [rate_limit]\napi = { burst = 1000000, per_minute = 60000000 }\nanonymous = { burst = 1000000, per_minute = 60000000 }\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_empire"))
        .current_dir(dir)
        .args(["--config", "bench.toml", "serve"])
        .env("EMPIRE_HTTP_ADDR", "127.0.0.1:0")
        .env("EMPIRE_ADMIN_PASSWORD", PASSWORD)
        .env("EMPIRE_LOG", "info,empire::access=warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap())
        .lines()
        .map_while(Result::ok);
    let port = lines
        .by_ref()
        .find_map(|line| {
            line.split("port=")
                .nth(1)
                .and_then(|p| p.trim().parse().ok())
        })
        .unwrap();
    std::thread::spawn(move || lines.for_each(drop));
    (child, port)
}

/// (RSS in MiB, CPU seconds used so far) of a process, from /proc.
fn usage(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss_kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: f64 = fields
        .get(11)
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0)
        + fields
            .get(12)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0);
    (rss_kib / 1024.0, ticks / 100.0)
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted
        .get(((sorted.len().max(1) - 1) as f64 * q) as usize)
        .copied()
        .unwrap_or_default()
}

async fn token(client: &reqwest::Client, base: &str) -> String {
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "admin@empire.local", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["access_token"].as_str().unwrap().to_owned()
}

async fn dashboards(base: &str, ws: &str, token: &str, pid: u32) {
    let sockets = env_usize("BENCH_SOCKETS", 10_000);
    let seconds = env_usize("BENCH_SECONDS", 20);
    let client = reqwest::Client::new();
    let mut sent: HashMap<String, Instant> = HashMap::new();
    // Arrival of each event frame on each socket; matched with its submit time afterwards.
    let arrivals: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let gate = Arc::new(Semaphore::new(200));
    let started = Instant::now();
    let mut readers = Vec::with_capacity(sockets);
    for _ in 0..sockets {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let url = format!("{ws}/ws/dashboard?token={token}");
        let arrivals = arrivals.clone();
        let (stream, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("socket opens");
        drop(permit);
        readers.push(tokio::spawn(async move {
            let (_, mut read) = stream.split();
            while let Some(Ok(message)) = read.next().await {
                let Message::Text(text) = message else {
                    continue;
                };
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
        "sockets: {sockets} open in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let (_, cpu_before) = usage(pid);
    let window = Instant::now();
    let body = json!({"kind": "audit_page", "input": {"html": "<title>x</title>", "keyword": "x"}});
    for _ in 0..seconds {
        let tick = Instant::now();
        let response = client
            .post(format!("{base}/api/v1/agents/seo_optimizer/tasks"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let task: Value = response.json().await.unwrap();
        sent.insert(task["id"].as_str().unwrap().to_owned(), tick);
        tokio::time::sleep(Duration::from_secs(1).saturating_sub(tick.elapsed())).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (rss, cpu_after) = usage(pid);
    let cpu = (cpu_after - cpu_before) / window.elapsed().as_secs_f64() * 100.0;
    let mut samples: Vec<Duration> = arrivals
        .lock()
        .unwrap()
        .iter()
        .filter_map(|(id, at)| sent.get(id).map(|submitted| at.duration_since(*submitted)))
        .collect();
    samples.sort();
    println!(
        "dashboards: {sockets} sockets, {seconds} events: {} deliveries of {} expected; fan-out p50 {:?}, p99 {:?}; server RSS {rss:.0} MiB, CPU {cpu:.0}% of one core",
        samples.len(),
        sockets * seconds,
        percentile(&samples, 0.50),
        percentile(&samples, 0.99),
    );
    for reader in readers {
        reader.abort();
    }
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
    let dir = tempfile::tempdir().unwrap();
    let (mut server, port) = start_server(dir.path());
    let base = format!("http://127.0.0.1:{port}");
    let ws = format!("ws://127.0.0.1:{port}");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let token = token(&client, &base).await;
        dashboards(&base, &ws, &token, server.id()).await;
        workers(&base, &ws, &token).await;
    });
    let _ = server.kill();
    let _ = server.wait();
}
