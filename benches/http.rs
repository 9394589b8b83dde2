//! The paired HTTP benchmark: the real release binary against a bare actix-web server built
//! here, the same 2 HTTP workers and the same rows, driven by one load generator in its own
//! process, alternating, at 64 and 1,000 connections. Prints req/s, p50/p99, server CPU per
//! request and the ratios (medians of `BENCH_ROUNDS` rounds, 3 by default). On SQLite always;
//! with `EMPIRE_TEST_DATABASE_URL` set, the lists again on a fresh PostgreSQL database (server
//! CPU is the HTTP process's; PostgreSQL's own is not counted for either, but the machine's CPU
//! per request, which counts it, the driver and everything else, is printed too, with the most
//! machine CPU per request that would let a server reach 10× FastAPI). When `BENCH_PYTHON`
//! (`python3`) can import fastapi and uvicorn (and psycopg, for PostgreSQL), an idiomatic
//! FastAPI app (`benches/http/fastapi_app.py`, uvicorn with 2 workers) is measured in the same
//! rounds; its CPU counts the uvicorn process and its workers.
//!
//! `cargo bench --bench http`; `BENCH_SECONDS` (5) per run, `BENCH_ROUNDS` (3), `BENCH_ONLY=list`
//! runs only the cases whose name contains the text, `BENCH_VERBOSE=1` prints each driver report,
//! `BENCH_POOL_SIZE=N` sets the release binary's `database.pool_size` and
//! `BENCH_CREDENTIAL_CACHE_MS=N` its `auth.credential_cache_ms` (2,000, the default).
//! The same binary plays three parts, chosen by `EMPIRE_BENCH_ROLE`: the orchestrator (unset),
//! the bare `baseline` server and the load `driver`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

const ROLE: &str = "EMPIRE_BENCH_ROLE";
const ROWS: usize = 60;
const WORKERS: &str = "2";

fn main() {
    match std::env::var(ROLE).as_deref() {
        Ok("baseline") => baseline::serve(),
        Ok("driver") => driver::run(),
        _ => orchestrate(),
    }
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A server under test: its process and base URL, and the header to send.
struct Target {
    name: &'static str,
    child: Child,
    base: String,
    auth: Option<String>,
    /// Stopped with SIGTERM, so it can stop the worker processes it started.
    has_workers: bool,
}

impl Drop for Target {
    fn drop(&mut self) {
        if self.has_workers {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
        } else {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// One driver run against one path.
#[derive(Debug, Clone, Copy, Default)]
struct Run {
    rps: f64,
    p50_us: f64,
    p99_us: f64,
    non_2xx: u64,
    cpu_us_per_request: f64,
    /// Every core's busy time during the run, per request: server, database and driver.
    machine_us_per_request: f64,
}

/// One measured path: the release binary's, the baselines', and how many connections.
struct Case {
    empire: &'static str,
    bare: &'static str,
    label: &'static str,
    connections: u64,
}

impl Case {
    /// FastAPI runs the same route as the bare server, except where empire's is not the same
    /// work (`auth/me` against hello).
    fn for_fastapi(&self) -> bool {
        self.empire == self.bare || self.label.contains("list")
    }
}

const CASES: [Case; 4] = [
    Case {
        empire: "/health",
        bare: "/health",
        label: "small route",
        connections: 64,
    },
    Case {
        empire: "/api/v1/tasks?limit=50",
        bare: "/tasks?limit=50",
        label: "50-row list",
        connections: 64,
    },
    Case {
        empire: "/api/v1/tasks?limit=50",
        bare: "/tasks?limit=50",
        label: "50-row list",
        connections: 1_000,
    },
    Case {
        empire: "/api/v1/auth/me",
        bare: "/health",
        label: "auth/me vs hello",
        connections: 64,
    },
];

/// A case's medians on one store.
struct Row {
    store: &'static str,
    case: &'static Case,
    ours: Run,
    theirs: Run,
    fastapi: Option<Run>,
}

fn orchestrate() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
    let mut table = measure("sqlite", &sqlite, dir.path());
    match pg::admin_url() {
        Some(admin) => {
            let database = pg::TempDatabase::create(&admin, "bench_http");
            table.extend(measure("postgres", &database.url, dir.path()));
        }
        None => eprintln!("http bench: EMPIRE_TEST_DATABASE_URL is not set, so no PostgreSQL runs"),
    }
    println!();
    println!(
        "| store | case | conns | empire req/s | bare req/s | ratio | empire p99 µs | bare p99 µs | p99 ratio | empire CPU µs/req | bare CPU µs/req | empire machine µs/req | bare machine µs/req | non-2xx | FastAPI req/s | FastAPI CPU µs/req | × FastAPI |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut budgets = Vec::new();
    for Row {
        store,
        case,
        ours,
        theirs,
        fastapi,
    } in table
    {
        let (fastapi_rps, fastapi_cpu, times) = match fastapi {
            Some(fastapi) => (
                format!("{:.0}", fastapi.rps),
                format!("{:.1}", fastapi.cpu_us_per_request),
                format!("{:.1}", ours.rps / fastapi.rps),
            ),
            None => ("—".into(), "—".into(), "—".into()),
        };
        if let Some(fastapi) = fastapi {
            budgets.push(format!(
                "{store}, {}, c={}: 10× FastAPI is {:.0} req/s, so at most {:.0} µs of machine CPU per request on {} cores; empire used {:.0}, bare {:.0}",
                case.label,
                case.connections,
                10.0 * fastapi.rps,
                cores() * 1e6 / (10.0 * fastapi.rps),
                cores(),
                ours.machine_us_per_request,
                theirs.machine_us_per_request,
            ));
        }
        println!(
            "| {store} | {} | {} | {:.0} | {:.0} | {:.2} | {:.0} | {:.0} | {:.2} | {:.1} | {:.1} | {:.0} | {:.0} | {} | {fastapi_rps} | {fastapi_cpu} | {times} |",
            case.label,
            case.connections,
            ours.rps,
            theirs.rps,
            ours.rps / theirs.rps,
            ours.p99_us,
            theirs.p99_us,
            ours.p99_us / theirs.p99_us,
            ours.cpu_us_per_request,
            theirs.cpu_us_per_request,
            ours.machine_us_per_request,
            theirs.machine_us_per_request,
            ours.non_2xx,
        );
    }
    println!();
    for budget in budgets {
        println!("{budget}");
    }
}

fn cores() -> f64 {
    std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64)
}

/// Seeds the store at `database`, starts the servers on it and runs the cases `BENCH_ONLY`
/// selects; on PostgreSQL only the lists, the one case that reads the store.
fn measure(store: &'static str, database: &str, dir: &Path) -> Vec<Row> {
    let seconds = env_or("BENCH_SECONDS", 5);
    let rounds = env_or("BENCH_ROUNDS", 3);
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    eprintln!("http bench: seeding {ROWS} task rows into {store}");
    seed::seed(database);
    let empire = start_empire(dir, database);
    let bare = start_baseline(database);
    let fastapi = fastapi::start(database);
    eprintln!(
        "http bench: on {store}, empire at {}, bare at {}, FastAPI {}",
        empire.base,
        bare.base,
        fastapi
            .as_ref()
            .map_or("not run", |target| target.base.as_str())
    );
    let mut table = Vec::new();
    for case in &CASES {
        if !case.label.contains(only.as_str())
            || (store != "sqlite" && !case.label.contains("list"))
        {
            continue;
        }
        let (label, connections) = (case.label, case.connections);
        let mut targets = vec![(&empire, case.empire), (&bare, case.bare)];
        if let Some(fastapi) = fastapi.as_ref().filter(|_| case.for_fastapi()) {
            targets.push((fastapi, case.bare));
        }
        let mut runs: Vec<Vec<Run>> = vec![Vec::new(); targets.len()];
        for round in 1..=rounds {
            // Rotate which goes first, so none always gets the warmer machine.
            for turn in 0..targets.len() {
                let which = (turn + round as usize - 1) % targets.len();
                let (target, path) = targets[which];
                let run = drive(target, path, connections, seconds);
                eprintln!(
                    "  round {round} {store:<8} {:<7} {label:<18} c={connections:<5} {:>8.0} req/s p50 {:>7.0} µs p99 {:>8.0} µs non-2xx {} cpu {:.1} µs/req machine {:.0} µs/req",
                    target.name,
                    run.rps,
                    run.p50_us,
                    run.p99_us,
                    run.non_2xx,
                    run.cpu_us_per_request,
                    run.machine_us_per_request
                );
                runs[which].push(run);
            }
        }
        table.push(Row {
            store,
            case,
            ours: median(&runs[0]),
            theirs: median(&runs[1]),
            fastapi: runs.get(2).map(|runs| median(runs)),
        });
    }
    table
}

/// The median of each figure across rounds.
fn median(runs: &[Run]) -> Run {
    let pick = |f: fn(&Run) -> f64| {
        let mut values: Vec<f64> = runs.iter().map(f).collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    Run {
        rps: pick(|r| r.rps),
        p50_us: pick(|r| r.p50_us),
        p99_us: pick(|r| r.p99_us),
        non_2xx: runs.iter().map(|r| r.non_2xx).max().unwrap_or(0),
        cpu_us_per_request: pick(|r| r.cpu_us_per_request),
        machine_us_per_request: pick(|r| r.machine_us_per_request),
    }
}

/// Runs the driver process against `target` and reads the server's CPU time around it.
fn drive(target: &Target, path: &str, connections: u64, seconds: u64) -> Run {
    let before = proc::tree_cpu_seconds(target.child.id());
    let machine_before = proc::machine_busy_seconds();
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .env(ROLE, "driver")
        .env("DRIVER_URL", format!("{}{path}", target.base))
        .env("DRIVER_CONNECTIONS", connections.to_string())
        .env("DRIVER_SECONDS", seconds.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(auth) = &target.auth {
        command.env("DRIVER_AUTH", auth);
    }
    let output = command.output().unwrap();
    if std::env::var("BENCH_VERBOSE").is_ok() {
        eprintln!("    {}", String::from_utf8_lossy(&output.stdout).trim());
    }
    let after = proc::tree_cpu_seconds(target.child.id());
    let machine_after = proc::machine_busy_seconds();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("driver output: {}", String::from_utf8_lossy(&output.stdout)));
    let requests = report["requests"].as_f64().unwrap_or(0.0);
    Run {
        rps: report["rps"].as_f64().unwrap_or(0.0),
        p50_us: report["p50_us"].as_f64().unwrap_or(0.0),
        p99_us: report["p99_us"].as_f64().unwrap_or(0.0),
        non_2xx: report["non_2xx"].as_u64().unwrap_or(0) + report["errors"].as_u64().unwrap_or(0),
        cpu_us_per_request: (after - before) * 1e6 / requests.max(1.0),
        machine_us_per_request: (machine_after - machine_before) * 1e6 / requests.max(1.0),
    }
}

fn start_empire(dir: &Path, database: &str) -> Target {
    let pool = std::env::var("BENCH_POOL_SIZE")
        .map(|size| format!("[database]\npool_size = {size}\n\n"))
        .unwrap_or_default();
    let cache_ms = std::env::var("BENCH_CREDENTIAL_CACHE_MS").unwrap_or_else(|_| "2000".into());
    let config = format!(
        "{pool}[auth]\ncredential_cache_ms = {cache_ms}\n\n[http]\nworkers = {WORKERS}\n\n[agents]\nopportunity_scanner = 0\ncontent_generator = 0\nwebsite_builder = 0\nseo_optimizer = 0\nmonetization = 0\n\n{}",
        binary::NO_LIMITS
    );
    // The default log filter: every request's access line is part of what is measured.
    let (child, port) = binary::serve(
        dir,
        &config,
        &[("EMPIRE_DATABASE_URL", database), ("EMPIRE_LOG", "info")],
    );
    let base = format!("http://127.0.0.1:{port}");
    let key = api_key(&base);
    Target {
        name: "empire",
        child,
        base,
        auth: Some(format!("Bearer {key}")),
        has_workers: false,
    }
}

fn start_baseline(database: &str) -> Target {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(ROLE, "baseline")
        .env("BASELINE_DB", database)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let port = binary::read_port(&mut child);
    Target {
        name: "bare",
        child,
        base: format!("http://127.0.0.1:{port}"),
        auth: None,
        has_workers: false,
    }
}

/// Logs the admin in and makes an API key (the issue measures the list with one).
fn api_key(base: &str) -> String {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let token = binary::admin_token(base).await;
        let key: Value = reqwest::Client::new()
            .post(format!("{base}/api/v1/auth/api-keys"))
            .bearer_auth(token)
            .json(&json!({"name": "http bench", "scopes": ["agents.read"]}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        key["key"].as_str().expect("an API key").to_owned()
    })
}

#[path = "http/baseline.rs"]
mod baseline;
#[path = "common/binary.rs"]
mod binary;
#[path = "http/driver.rs"]
mod driver;
#[path = "http/fastapi.rs"]
mod fastapi;
#[path = "common/pg.rs"]
mod pg;
#[path = "common/proc.rs"]
mod proc;
#[path = "http/seed.rs"]
mod seed;
