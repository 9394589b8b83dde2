//! `/ready` is unauthenticated: concurrent probes share one check of the backends, so a flood
//! of them cannot open a connection each.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::net::TcpListener;

use crate::helpers::{TestBackend, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_ready_calls_share_one_probe() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.cache.redis_url = format!("redis://127.0.0.1:{port}");
        config.cache.timeout_ms = 500;
    })
    .await;
    let before = accepted.load(Ordering::SeqCst);

    let calls = (0..10).map(|_| app.get("/ready"));
    let statuses: Vec<u16> = futures::future::join_all(calls)
        .await
        .into_iter()
        .map(|response| response.status().as_u16())
        .collect();

    assert!(statuses.iter().all(|status| *status == 503), "{statuses:?}");
    let opened = accepted.load(Ordering::SeqCst) - before;
    assert!(opened <= 2, "{opened} Redis connections for 10 probes");
}
