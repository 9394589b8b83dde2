//! Redis stopped, then Redis hung (SIGSTOP: the kernel still accepts connections, nothing ever
//! answers), under load on a node whose cache and rate limits live in a private Redis. The
//! README promises the API stays up: rate limits fall back to in-process buckets and the
//! credential checks share a breaker, so every submission is still acknowledged, none waits
//! much past the cache timeout, and `/ready` names the cache as down. Recovery: from the
//! restart (or SIGCONT) until `/ready` answers 200 again.

use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::Value;

use crate::Mode;
use crate::helpers::cluster::admin_token_at;
use crate::load::{self, Answer, Load, Spec, Targets};
use crate::services::{Missing, PrivateRedis};
use crate::single;
use crate::tally::{self, Figures};

const CACHE_TIMEOUT_MS: u64 = 500;
const READY_503_BOUND: Duration = Duration::from_secs(3);
const RECOVER_BOUND: Duration = Duration::from_secs(10);
/// A request may meet a few Redis timeouts before the breaker opens; never many.
const ANSWER_BOUND: Duration = Duration::from_millis(4 * CACHE_TIMEOUT_MS + 1000);

pub async fn run(mode: Mode) -> Result<(), Missing> {
    let mut redis = PrivateRedis::start()?;
    let dir = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}", dir.path().join("chaos.db").display());
    let node = single::start(
        dir.path(),
        &database_url,
        Some(&redis.url()),
        CACHE_TIMEOUT_MS,
    );
    let client = Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let token = admin_token_at(&client, &node.base).await;
    let ready: Value = client
        .get(node.url("/ready"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["checks"]["cache"]["backend"], "redis", "{ready}");
    let targets = Targets::new(vec![node.base.clone()]);
    let spec = Spec {
        agent: "seo_optimizer",
        sleep_ms: 50,
        workers: 3,
        pause: Duration::from_millis(50),
    };
    let load = Load::start(&client, &targets, &token, "redis", spec.clone());
    let outage = mode.pick(Duration::from_secs(4), Duration::from_secs(20));
    let rounds = mode.pick(1, 3);
    let mut recoveries = Vec::new();
    let mut notes = Vec::new();
    let mut during: Vec<Answer> = Vec::new();
    for round in 0..rounds {
        for hung in [false, true] {
            tokio::time::sleep(Duration::from_secs(2)).await;
            if hung {
                redis.hang();
            } else {
                redis.stop();
            }
            let faulted = Instant::now();
            let unready =
                load::ready_turns(&client, &node.base, 503, faulted, Duration::from_secs(30)).await;
            let body: Value = client
                .get(node.url("/ready"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(body["checks"]["cache"]["status"], "down", "{body}");
            assert_eq!(body["checks"]["database"]["status"], "up", "{body}");
            assert!(
                unready <= READY_503_BOUND,
                "/ready took {unready:?} to name the cache"
            );
            tokio::time::sleep(outage.saturating_sub(faulted.elapsed())).await;

            if hung {
                redis.resume();
            } else {
                redis.start_again();
            }
            let back = Instant::now();
            let recovered =
                load::ready_turns(&client, &node.base, 200, back, RECOVER_BOUND * 3).await;
            recoveries.push(recovered);
            // Every submission in flight while Redis was out, however it ended.
            let answers = load.answers_between(faulted, back);
            assert!(!answers.is_empty(), "no submission during the outage");
            let (text, slowest) = load::summary(&answers);
            let what = if hung { "hung" } else { "stopped" };
            println!(
                "round {} Redis {what}: /ready 503 after {:.1} s; submissions meanwhile {text} (slowest {:.2} s); /ready 200 {:.1} s after it came back",
                round + 1,
                unready.as_secs_f64(),
                slowest.as_secs_f64(),
                recovered.as_secs_f64(),
            );
            notes.push(format!(
                "{what}: /ready 503 in {:.1} s, {text}, slowest {:.2} s",
                unready.as_secs_f64(),
                slowest.as_secs_f64()
            ));
            during.extend(answers);
        }
    }
    let record = load.stop().await;
    let tally = tally::settle(
        &client,
        &node.base,
        &token,
        &record,
        "redis",
        &spec,
        Duration::from_secs(60),
    )
    .await;
    let (_, slowest) = load::summary(&during);
    Figures {
        name: format!(
            "redis ({rounds}x stopped and hung for {} s, cache timeout {CACHE_TIMEOUT_MS} ms)",
            outage.as_secs()
        ),
        tally,
        refused: record.refused(),
        recovery: "Redis back until /ready 200",
        recover: recoveries,
        bound: RECOVER_BOUND,
        note: format!(
            "{}; answer bound {:.1} s",
            notes.join("; "),
            ANSWER_BOUND.as_secs_f64()
        ),
    }
    .report();
    let refused: Vec<&Answer> = during
        .iter()
        .filter(|answer| {
            !answer
                .status
                .is_some_and(|status| (200..300).contains(&status))
        })
        .collect();
    assert!(
        refused.is_empty(),
        "the API must keep taking tasks without Redis: {refused:?}"
    );
    assert!(
        slowest <= ANSWER_BOUND,
        "a request waited {slowest:?} on Redis"
    );
    Ok(())
}
