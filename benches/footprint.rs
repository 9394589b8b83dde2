//! Footprint of one node on the default configuration (embedded SQLite, in-process cache, every
//! agent at its default count): starts the release binary `BENCH_STARTS` times (5), half in a
//! fresh data directory (migrations run, the secret is made) and half restarting in the one
//! before. For each start: the time from spawn to the first `200` from `/health`, and the RSS
//! after `BENCH_IDLE_SECONDS` (5) of idling. Prints each and the medians; the goals are at most
//! 200 ms and 60 MiB.
//!
//! `cargo bench --bench footprint`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "common/proc.rs"]
mod proc;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether `GET /health` answers 200 right now.
fn healthy(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

/// Starts a node in `dir`; returns it and how long it took to answer `/health`.
fn start(dir: &Path) -> (Child, Duration) {
    let port = free_port();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_empire"))
        .current_dir(dir)
        .arg("serve")
        .env("EMPIRE_HTTP_ADDR", format!("127.0.0.1:{port}"))
        .env("EMPIRE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while !healthy(port) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the node exited while starting"
        );
        assert!(started.elapsed() < Duration::from_secs(60), "no /health");
        std::thread::sleep(Duration::from_millis(1));
    }
    (child, started.elapsed())
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let starts = env_or("BENCH_STARTS", 5).max(1);
    let idle = Duration::from_secs(env_or("BENCH_IDLE_SECONDS", 5));
    let mut dir = tempfile::tempdir().unwrap();
    let (mut fresh_ms, mut restart_ms, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..starts {
        let fresh = n % 2 == 0;
        if fresh {
            dir = tempfile::tempdir().unwrap();
        }
        let (mut child, took) = start(dir.path());
        std::thread::sleep(idle);
        let resident = proc::rss_mib(child.id());
        let _ = child.kill();
        let _ = child.wait();
        let ms = took.as_secs_f64() * 1000.0;
        println!(
            "start {}: {} directory, /health after {ms:.0} ms, RSS after {}s idle {resident:.1} MiB",
            n + 1,
            if fresh { "fresh" } else { "existing" },
            idle.as_secs(),
        );
        if fresh {
            fresh_ms.push(ms);
        } else {
            restart_ms.push(ms);
        }
        rss.push(resident);
    }
    let restart = if restart_ms.is_empty() {
        "none".to_owned()
    } else {
        format!("{:.0} ms", median(&mut restart_ms))
    };
    println!(
        "footprint (medians): start to /health {:.0} ms fresh, {restart} restarting (goal 200 ms); idle RSS {:.1} MiB (goal 60 MiB)",
        median(&mut fresh_ms),
        median(&mut rss),
    );
}
