//! The FastAPI baseline (`fastapi_app.py`): started with uvicorn and 2 worker processes when
//! `BENCH_PYTHON` (`python3`) has fastapi and uvicorn (and psycopg, for PostgreSQL), or skipped
//! with a line saying what is missing.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Target, WORKERS};

pub fn start(database: &str) -> Option<Target> {
    let python = std::env::var("BENCH_PYTHON").unwrap_or_else(|_| "python3".into());
    let modules = if database.starts_with("sqlite://") {
        "fastapi, uvicorn"
    } else {
        "fastapi, uvicorn, psycopg"
    };
    let importable = Command::new(&python)
        .args(["-c", &format!("import {modules}")])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !importable {
        eprintln!(
            "http bench: {python} cannot import {modules}, so FastAPI is not measured \
             (pip install fastapi uvicorn 'psycopg[binary]', or set BENCH_PYTHON)"
        );
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .ok()?;
    let app_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/http");
    let child = Command::new(&python)
        .args(["-m", "uvicorn", "fastapi_app:app", "--app-dir", app_dir])
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--workers", WORKERS])
        .env("BASELINE_DB", database)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let target = Target {
        name: "FastAPI",
        child,
        base: format!("http://127.0.0.1:{port}"),
        auth: None,
        has_workers: true,
    };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if healthy(port) {
            return Some(target);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!(
        "http bench: uvicorn did not answer on port {port} within 30 s, so FastAPI is not measured"
    );
    None
}

/// Whether `GET /health` on the port answers 200.
fn healthy(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let mut answer = String::new();
    stream
        .write_all(b"GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .and_then(|()| stream.read_to_string(&mut answer))
        .is_ok_and(|_| answer.starts_with("HTTP/1.1 200"))
}
