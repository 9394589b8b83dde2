//! PostgreSQL stopped and started under load: a node on a private PostgreSQL takes tasks while
//! the server is stopped (`pg_ctl stop -m fast`) and later started again. `/ready` must turn 503
//! within 3 s of the stop; submissions during the outage are refused quickly (503, never a
//! hang); once the server is back the node answers `/ready` 200 and takes tasks again
//! (recovery), and every task it acknowledged, before or after, ends done.

use std::time::{Duration, Instant};

use reqwest::Client;

use crate::Mode;
use crate::helpers::cluster::admin_token_at;
use crate::load::{self, Load, Spec, Targets};
use crate::services::{Missing, PrivatePostgres};
use crate::single;
use crate::tally::{self, Figures};

const READY_503_BOUND: Duration = Duration::from_secs(3);
const RECOVER_BOUND: Duration = Duration::from_secs(10);
/// `database.connect_timeout_ms` (3 s by default) plus scheduling: no request waits longer.
const REFUSAL_BOUND: Duration = Duration::from_secs(5);

pub async fn run(mode: Mode) -> Result<(), Missing> {
    let postgres = PrivatePostgres::start()?;
    let database_url = postgres.create_database("chaos_pg").await;
    let dir = tempfile::tempdir().unwrap();
    let node = single::start(dir.path(), &database_url, None, 1000);
    let client = Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let token = admin_token_at(&client, &node.base).await;
    let targets = Targets::new(vec![node.base.clone()]);
    let spec = Spec {
        agent: "seo_optimizer",
        sleep_ms: 100,
        workers: 3,
        pause: Duration::from_millis(50),
    };
    let load = Load::start(&client, &targets, &token, "pg", spec.clone());
    let rounds = mode.pick(2, 5);
    let outage = mode.pick(Duration::from_secs(8), Duration::from_secs(15));
    let mut recoveries = Vec::new();
    let mut to_503 = Vec::new();
    let mut during = Vec::new();
    for round in 0..rounds {
        tokio::time::sleep(Duration::from_secs(3)).await;
        postgres.stop_fast();
        let stopped = Instant::now();
        let unready =
            load::ready_turns(&client, &node.base, 503, stopped, Duration::from_secs(30)).await;
        to_503.push(unready);
        tokio::time::sleep(outage.saturating_sub(stopped.elapsed())).await;

        postgres.start_again();
        let started = Instant::now();
        let accepted = load.accepted();
        load::ready_turns(&client, &node.base, 200, started, RECOVER_BOUND * 3).await;
        while load.accepted() == accepted {
            assert!(
                started.elapsed() < RECOVER_BOUND * 3,
                "no task accepted after PostgreSQL came back"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let recovered = started.elapsed();
        recoveries.push(recovered);
        // Every submission in flight while the server was down, however it ended.
        let answers = load.answers_between(stopped, started);
        let (text, slowest) = load::summary(&answers);
        println!(
            "round {}: /ready 503 {:.1} s after the stop; submissions during the outage: {text} (slowest {:.1} s); ready and accepting {:.1} s after the start",
            round + 1,
            unready.as_secs_f64(),
            slowest.as_secs_f64(),
            recovered.as_secs_f64(),
        );
        during.extend(answers);
    }
    let record = load.stop().await;
    let tally = tally::settle(
        &client,
        &node.base,
        &token,
        &record,
        "pg",
        &spec,
        Duration::from_secs(60),
    )
    .await;
    let (text, slowest) = load::summary(&during);
    let unready_max = to_503.iter().max().copied().unwrap_or_default();
    Figures {
        name: format!("postgres ({rounds} stops of {} s)", outage.as_secs()),
        tally,
        refused: record.refused(),
        recovery: "PostgreSQL start until /ready 200 and a task accepted",
        recover: recoveries,
        bound: RECOVER_BOUND,
        note: format!(
            "/ready 503 within {:.1} s of the stop (bound {} s); outage answers {text}, slowest {:.1} s (bound {} s)",
            unready_max.as_secs_f64(),
            READY_503_BOUND.as_secs(),
            slowest.as_secs_f64(),
            REFUSAL_BOUND.as_secs(),
        ),
    }
    .report();
    assert!(
        unready_max <= READY_503_BOUND,
        "/ready took {unready_max:?} to report the database down"
    );
    assert!(
        slowest <= REFUSAL_BOUND,
        "a request waited {slowest:?} on the stopped database"
    );
    let errors: Vec<_> = during
        .iter()
        .filter(|answer| {
            answer
                .status
                .is_some_and(|status| status >= 500 && status != 503)
        })
        .collect();
    assert!(
        errors.is_empty(),
        "an outage is a 503, not an error: {errors:?}"
    );
    Ok(())
}
