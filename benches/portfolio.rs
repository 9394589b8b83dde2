//! The whole portfolio on the offline provider: starts the app in-process on the embedded
//! SQLite, asks for `BENCH_SITES` websites (default 1,500) of `BENCH_PAGES` pages (default 20)
//! over HTTP, and waits until every pipeline has published or failed. It prints progress, the
//! total time, pages per second and the process's peak RSS (server and driver together).
//!
//! `cargo bench --bench portfolio`; `BENCH_SITES=50 cargo bench --bench portfolio` for a quick
//! look. The target is under 10 minutes and under 1 GiB on this 2-core machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/app.rs"]
mod app;

use std::time::{Duration, Instant};

use serde_json::{Value, json};

const NICHES: &[(&str, &str)] = &[
    ("garden shears", "en"),
    ("Gartenschere", "de"),
    ("espresso machines", "en"),
    ("Kaffeemühlen", "de"),
    ("robot vacuums", "en"),
    ("Luftreiniger", "de"),
    ("running shoes", "en"),
    ("Wanderrucksäcke", "de"),
    ("standing desks", "en"),
    ("Bürostühle", "de"),
    ("electric toothbrushes", "en"),
    ("Babyphone", "de"),
];

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// The peak resident set of this process, in MiB (`VmHWM`).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

fn site(i: usize, pages: usize) -> Value {
    let (niche, language) = NICHES[i % NICHES.len()];
    json!({
        "niche": niche,
        "language": language,
        "slug": format!("site-{i}"),
        "pages": pages,
        "legal": {
            "owner_name": "Erika Muster",
            "address_lines": ["Musterweg 1", "12345 Musterstadt"],
            "email": "kontakt@portfolio.example"
        },
        "offers": [{
            "network": "awin",
            "name": format!("{niche} Pro {}", i % 7),
            "url": format!("https://shop.example/{}/{}", i % NICHES.len(), i % 7),
            "advertiser_id": "1001",
            "price": 29.99,
            "currency": "EUR"
        }]
    })
}

/// Counts of the websites' statuses: (published, failed, other); `None` when a page of the list
/// could not be read this time (the server busy), so the caller asks again later.
async fn statuses(
    client: &reqwest::Client,
    base: &str,
    token: &str,
) -> Option<(usize, usize, usize)> {
    let (mut published, mut failed, mut other) = (0, 0, 0);
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/api/v1/websites?limit=200");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let response = client.get(url).bearer_auth(token).send().await.ok()?;
        if !response.status().is_success() {
            println!("  (the list answered {}; asking again)", response.status());
            return None;
        }
        let page: Value = response.json().await.ok()?;
        for site in page["items"].as_array().unwrap() {
            match site["status"].as_str() {
                Some("published") => published += 1,
                Some("failed") => failed += 1,
                _ => other += 1,
            }
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return Some((published, failed, other)),
        }
    }
}

#[tokio::main]
async fn main() {
    let sites = env_usize("BENCH_SITES", 1_500);
    let pages = env_usize("BENCH_PAGES", 20);
    let data = tempfile::tempdir().unwrap();
    let mut config = app::bench_config(data.path());
    config.database.url = format!("sqlite://{}", data.path().join("empire.db").display());
    config.log.filter = "error".into();
    config.sites.affiliate.awin_publisher_id = "123456".into();
    let (base, token) = app::serve(config).await;
    let client = reqwest::Client::new();

    println!("portfolio: {sites} websites × {pages} pages on the offline provider (SQLite)");
    let started = Instant::now();
    for i in 0..sites {
        let response = client
            .post(format!("{base}/api/v1/websites/generate"))
            .bearer_auth(&token)
            .json(&site(i, pages))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    }
    println!(
        "  {sites} pipelines started in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut last_report = Instant::now();
    let (published, failed) = loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let Some((published, failed, other)) = statuses(&client, &base, &token).await else {
            continue;
        };
        if other == 0 {
            break (published, failed);
        }
        if last_report.elapsed() >= Duration::from_secs(15) {
            last_report = Instant::now();
            println!(
                "  {:>6.0} s: {published} published, {failed} failed, {other} running; peak RSS {:.0} MiB",
                started.elapsed().as_secs_f64(),
                peak_rss_mib()
            );
        }
    };
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "portfolio: {published} published, {failed} failed of {sites} in {elapsed:.1} s \
         ({:.1} pages/s); peak RSS {:.0} MiB",
        (sites * pages) as f64 / elapsed,
        peak_rss_mib()
    );
}
