//! The chaos suite (issue 15 §5): faults injected into real `empire` processes under load, one
//! scenario after another, each printing its figures (accepted, done, lost, duplicated, time to
//! recover) and failing on a lost or duplicated task or a slow recovery.
//!
//! `cargo test --test chaos` runs the short form; `EMPIRE_CHAOS=long` the long one; names after
//! `--` pick scenarios (`cargo test --test chaos -- postgres redis`). Scenarios that need a
//! PostgreSQL or Redis binary print SKIP without it, or fail under `EMPIRE_CHAOS_REQUIRE=1`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../api/helpers/mod.rs"]
#[allow(dead_code, unused_imports)] // the API tests' harness: this binary uses a few parts
mod helpers;
mod load;
mod node_kills;
mod partition;
mod postgres;
mod redis;
mod services;
mod single;
mod sqlite;
mod tally;

use std::panic::AssertUnwindSafe;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use services::Missing;

/// Every figures line printed so far, repeated in the summary.
pub static FIGURES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Short (CI, a few minutes in all) or long (on demand: more rounds, longer loads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Short,
    Long,
}

impl Mode {
    fn from_env() -> Mode {
        match std::env::var("EMPIRE_CHAOS").as_deref() {
            Ok("long") => Mode::Long,
            Ok("short") | Ok("") | Err(_) => Mode::Short,
            Ok(other) => panic!("EMPIRE_CHAOS={other}: expected `short` or `long`"),
        }
    }

    pub fn pick<T>(self, short: T, long: T) -> T {
        match self {
            Mode::Short => short,
            Mode::Long => long,
        }
    }
}

const SCENARIOS: [&str; 5] = ["node_kills", "partition", "postgres", "redis", "sqlite"];

async fn run(name: &str, mode: Mode) -> Result<(), Missing> {
    match name {
        "node_kills" => node_kills::run(mode).await,
        "partition" => partition::run(mode).await,
        "postgres" => postgres::run(mode).await,
        "redis" => redis::run(mode).await,
        "sqlite" => sqlite::run(mode).await,
        other => unreachable!("no scenario {other}"),
    }
}

enum Verdict {
    Passed,
    Skipped(String),
    Failed(String),
}

fn main() -> ExitCode {
    let mode = Mode::from_env();
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    let selected: Vec<&str> = SCENARIOS
        .into_iter()
        .filter(|name| wanted.is_empty() || wanted.iter().any(|w| name.contains(w.as_str())))
        .collect();
    if selected.is_empty() {
        eprintln!("no chaos scenario matches {wanted:?}; there are {SCENARIOS:?}");
        return ExitCode::FAILURE;
    }
    println!("chaos suite, {mode:?} form: {}", selected.join(", "));
    let suite = Instant::now();
    let mut verdicts = Vec::new();
    for name in selected {
        println!("\n=== chaos {name}");
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap()
                .block_on(run(name, mode))
        }));
        let verdict = match outcome {
            Ok(Ok(())) => Verdict::Passed,
            Ok(Err(Missing(why))) if services::required() => {
                Verdict::Failed(format!("{why} (EMPIRE_CHAOS_REQUIRE=1)"))
            }
            Ok(Err(Missing(why))) => Verdict::Skipped(why),
            Err(panic) => Verdict::Failed(
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "panicked".into()),
            ),
        };
        let took = started.elapsed();
        match &verdict {
            Verdict::Passed => println!("=== chaos {name}: PASS in {:.0} s", took.as_secs_f64()),
            Verdict::Skipped(why) => println!("=== chaos {name}: SKIP: {why}"),
            Verdict::Failed(why) => println!("=== chaos {name}: FAIL: {why}"),
        }
        verdicts.push((name, verdict, took));
    }
    summary(&verdicts, suite.elapsed())
}

fn summary(verdicts: &[(&str, Verdict, Duration)], took: Duration) -> ExitCode {
    println!("\nchaos summary ({:.0} s):", took.as_secs_f64());
    for line in FIGURES.lock().unwrap().iter() {
        println!("  {line}");
    }
    let mut failed = 0;
    for (name, verdict, took) in verdicts {
        let word = match verdict {
            Verdict::Passed => "PASS",
            Verdict::Skipped(_) => "SKIP",
            Verdict::Failed(_) => {
                failed += 1;
                "FAIL"
            }
        };
        println!("  {word} {name} ({:.0} s)", took.as_secs_f64());
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
