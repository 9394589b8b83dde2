//! The load generator: `DRIVER_CONNECTIONS` connections, each sending the next request as soon
//! as the last answer is read, for `DRIVER_SECONDS`; prints one JSON line.

use std::time::{Duration, Instant};

pub fn run() {
    let url = std::env::var("DRIVER_URL").unwrap();
    let auth = std::env::var("DRIVER_AUTH").ok();
    let connections: usize = std::env::var("DRIVER_CONNECTIONS")
        .unwrap()
        .parse()
        .unwrap();
    let seconds: u64 = std::env::var("DRIVER_SECONDS").unwrap().parse().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let report = runtime.block_on(async move {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(connections)
            .http1_only()
            .build()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let workers: Vec<_> = (0..connections)
            .map(|_| {
                let (client, url, auth) = (client.clone(), url.clone(), auth.clone());
                tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    let mut refused = std::collections::BTreeMap::<u16, u64>::new();
                    let mut errors = 0u64;
                    while Instant::now() < deadline {
                        let sent = Instant::now();
                        let mut request = client.get(&url);
                        if let Some(auth) = &auth {
                            request = request.header("authorization", auth);
                        }
                        match request.send().await {
                            Ok(response) => {
                                let status = response.status();
                                let _ = response.bytes().await;
                                if status.is_success() {
                                    latencies.push(sent.elapsed().as_micros() as u64);
                                } else {
                                    *refused.entry(status.as_u16()).or_default() += 1;
                                }
                            }
                            Err(_) => {
                                errors += 1;
                                tokio::time::sleep(Duration::from_millis(10)).await;
                            }
                        }
                    }
                    (latencies, refused, errors)
                })
            })
            .collect();
        let mut latencies = Vec::new();
        let mut refused = std::collections::BTreeMap::<u16, u64>::new();
        let mut errors = 0;
        for worker in workers {
            let (l, r, e) = worker.await.unwrap();
            latencies.extend(l);
            for (status, n) in r {
                *refused.entry(status).or_default() += n;
            }
            errors += e;
        }
        let non_2xx: u64 = refused.values().sum();
        let elapsed = started.elapsed().as_secs_f64();
        latencies.sort_unstable();
        let at = |q: f64| {
            latencies
                .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0)
        };
        serde_json::json!({
            "requests": latencies.len(),
            "rps": latencies.len() as f64 / elapsed,
            "p50_us": at(0.50),
            "p99_us": at(0.99),
            "non_2xx": non_2xx,
            "statuses": refused,
            "errors": errors,
        })
    });
    println!("{report}");
}
