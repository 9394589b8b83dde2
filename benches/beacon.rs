//! Beacon ingestion under load: starts the app in-process (SQLite), drives `POST /t/e` at a
//! target rate with many clients for a while, and meanwhile times a small API call
//! (`GET /api/v1/auth/me`) against the same call with no beacon load, in the same run. Then it
//! checks that every accepted view reached `page_views` (the batched writer's sums).
//!
//! `cargo bench --bench beacon`. `BENCH_RATE` views/s (default 5000), `BENCH_SECONDS` (10),
//! `BENCH_CLIENTS` (32). The driver shares the machine's cores with the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/app.rs"]
mod app;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use empire_schema::models::{NewWebsite, Website};
use empire_schema::types::Language;
use empire_schema::{DatabaseUrl, Db, DbOptions, WebsiteStatus};
use serde_json::json;

const SITES: usize = 20;
const PAGES: usize = 50;
const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// `n` sequential calls of `/api/v1/auth/me`: latencies in microseconds, sorted.
async fn probe(base: &str, token: &str, until: Option<Instant>, n: usize) -> Vec<u64> {
    let client = reqwest::Client::new();
    let mut latencies = Vec::with_capacity(n.min(100_000));
    while latencies.len() < n && until.is_none_or(|end| Instant::now() < end) {
        let started = Instant::now();
        let response = client
            .get(format!("{base}/api/v1/auth/me"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        latencies.push(started.elapsed().as_micros() as u64);
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    latencies.sort_unstable();
    latencies
}

fn quantile(sorted: &[u64], q: f64) -> u64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

#[tokio::main]
async fn main() {
    let rate = env_u64("BENCH_RATE", 5_000);
    let seconds = env_u64("BENCH_SECONDS", 10);
    let clients = env_u64("BENCH_CLIENTS", 32);
    let data = tempfile::tempdir().unwrap();
    let db_path = data.path().join("bench.db");
    let mut config = app::bench_config(data.path());
    config.database.url = format!("sqlite://{}", db_path.display());
    config.log.filter = "warn".into();
    config.http.workers = 2;
    let (base, token) = app::serve(config).await;
    let db = Db::connect(&DbOptions {
        url: DatabaseUrl::Sqlite(db_path),
        pool_size: 2,
        connect_timeout: Duration::from_secs(10),
    })
    .await
    .unwrap();
    for n in 0..SITES {
        let site = NewWebsite {
            slug: format!("site-{n}"),
            name: format!("Site {n}"),
            niche: "bench".into(),
            domain: None,
            language: Language::En,
            status: WebsiteStatus::Published,
            settings: json!({}),
        };
        Website::create(&db, site).await.unwrap();
    }

    let idle = probe(&base, &token, None, 500).await;

    let accepted = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let end = started + Duration::from_secs(seconds);
    let per_client = rate as f64 / clients as f64;
    let drivers: Vec<_> = (0..clients)
        .map(|c| {
            let (base, accepted) = (base.clone(), accepted.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / per_client));
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
                let mut n = c as usize;
                while Instant::now() < end {
                    tick.tick().await;
                    n += 1;
                    let body = json!({
                        "site": format!("site-{}", n % SITES),
                        "page": format!("/sites/site-{}/page-{}/", n % SITES, n % PAGES),
                    });
                    let response = client
                        .post(format!("{base}/t/e"))
                        .header("content-type", "text/plain")
                        .header("user-agent", BROWSER)
                        .body(body.to_string())
                        .send()
                        .await
                        .unwrap();
                    if response.status() == 204 {
                        accepted.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let loaded = probe(&base, &token, Some(end), usize::MAX).await;
    for driver in drivers {
        driver.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let sent = accepted.load(Ordering::Relaxed);

    // The writer flushes every second; give it a few.
    let mut stored = 0;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let rows = empire_schema::models::analytics::rollup(
            &db,
            empire_schema::models::analytics::Source::Views,
            empire_schema::models::analytics::By::Website,
            None,
            chrono::Utc::now().naive_utc() - chrono::Duration::days(1),
        )
        .await
        .unwrap();
        stored = rows.iter().map(|row| row.count).sum::<i64>() as u64;
        if stored >= sent {
            break;
        }
    }

    println!(
        "beacon: target {rate}/s for {seconds} s with {clients} clients (in-process driver, SQLite)"
    );
    println!(
        "  accepted {sent} views in {elapsed:.1} s = {:.0} views/s; stored {stored} ({})",
        sent as f64 / elapsed,
        if stored == sent { "all" } else { "MISMATCH" }
    );
    let (p50_idle, p99_idle) = (quantile(&idle, 0.5), quantile(&idle, 0.99));
    let (p50_load, p99_load) = (quantile(&loaded, 0.5), quantile(&loaded, 0.99));
    println!(
        "  GET /api/v1/auth/me idle:  p50 {p50_idle} µs, p99 {p99_idle} µs ({} calls)",
        idle.len()
    );
    println!(
        "  GET /api/v1/auth/me load:  p50 {p50_load} µs, p99 {p99_load} µs ({} calls)",
        loaded.len()
    );
    println!(
        "  ratio under load / idle: p50 {:.2}, p99 {:.2}",
        p50_load as f64 / p50_idle as f64,
        p99_load as f64 / p99_idle as f64
    );
}
