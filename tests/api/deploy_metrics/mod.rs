//! Every metric that `deploy/monitoring` names — in the alert rules and in the Grafana
//! dashboard — is one empire exports: the app is started, made to count a little of everything
//! (requests, tasks that succeed and die, an LLM call, a socket, a click, a beacon), and its
//! `/metrics` is read. The `cluster_*` metrics come from two real nodes of a cluster, briefly
//! partitioned, so they are checked when PostgreSQL is available (a cluster refuses SQLite).

mod names;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use reqwest::{Client, Method};
use serde_json::json;

use crate::helpers::cluster::{Node, NodeConfig, admin_token, unique_cluster, until_view};
use crate::helpers::database::admin_url;
use crate::helpers::proxy::TcpProxy;
use crate::helpers::{TestBackend, TestDatabase, spawn_app_with};
use names::{ALERTS, DASHBOARD, missing, referenced};

/// The exposition at `url`, polled until nothing of `wanted` is missing or `within`
/// has passed; the last text.
async fn metrics_with(
    client: &Client,
    url: &str,
    wanted: &BTreeSet<String>,
    within: Duration,
) -> String {
    let started = Instant::now();
    loop {
        let text = client.get(url).send().await.unwrap().text().await.unwrap();
        if missing(&text, wanted).is_empty() || started.elapsed() > within {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_metric_in_the_alert_rules_and_the_dashboard_is_exported() {
    let names = referenced();
    let (cluster, node): (BTreeSet<String>, BTreeSet<String>) = names
        .iter()
        .cloned()
        .partition(|name| name.starts_with("cluster_"));

    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.tasks.fault_injection = true;
        config.tasks.restart_backoff_ms = 20;
    })
    .await;
    let token = app.admin_token().await;
    let plain = Client::new();
    // Requests, an unknown link, a beacon from a bot.
    assert_eq!(app.get("/health").await.status(), 200);
    assert_eq!(
        plain
            .get(app.url("/go/nope"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let beacon = plain
        .post(app.url("/t/e"))
        .header("user-agent", "curl/8.0")
        .header("content-type", "text/plain")
        .body(r#"{"site":"nope","page":"/"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(beacon.status(), 204);
    // A dashboard socket stays open while /metrics is read.
    let _socket = app.socket("/ws/dashboard", &token).await;
    // A task that succeeds and one that panics on its only attempt (dead; its instance restarts).
    let done = app
        .submit_task(
            &token,
            "seo_optimizer",
            &json!({"kind": "sleep", "input": {"ms": 5}}),
        )
        .await;
    let dead = app
        .submit_task(
            &token,
            "seo_optimizer",
            &json!({"kind": "panic", "input": {"message": "deploy metrics"}, "max_attempts": 1}),
        )
        .await;
    assert_eq!(app.wait_task(&token, &done).await["status"], "succeeded");
    assert_eq!(app.wait_task(&token, &dead).await["status"], "dead");
    // One LLM call on the offline provider.
    let research = app
        .with(
            Method::POST,
            "/api/v1/intelligence/research?wait_s=60",
            &token,
        )
        .json(&json!({"topic": "deploy metrics", "language": "en", "depth": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(research.status(), 200);

    let text = metrics_with(&plain, &app.url("/metrics"), &node, Duration::from_secs(20)).await;
    let absent = missing(&text, &node);
    assert!(
        absent.is_empty(),
        "{ALERTS} or {DASHBOARD} name metrics that /metrics does not export: {absent:?}\n{text}"
    );

    if admin_url().is_none() {
        eprintln!(
            "every_metric_in_the_alert_rules_and_the_dashboard_is_exported: {cluster:?} not checked, a cluster needs PostgreSQL (set EMPIRE_TEST_DATABASE_URL)"
        );
        return;
    }
    // Two nodes, each reached through a TCP proxy, join; a silent partition (connections open,
    // every byte dropped) makes both lose their link for silence and redial; it heals.
    let database = TestDatabase::create(TestBackend::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let scope = unique_cluster("deploy-metrics");
    let mut a = NodeConfig::new(&scope, "node-a", &[]);
    let mut b = NodeConfig::new(&scope, "node-b", &[]);
    let to_a = TcpProxy::start(a.cluster_addr().parse().unwrap()).await;
    let to_b = TcpProxy::start(b.cluster_addr().parse().unwrap()).await;
    a.advertise_addr = Some(to_a.addr.to_string());
    a.seeds = vec![to_b.addr.to_string()];
    b.advertise_addr = Some(to_b.addr.to_string());
    b.seeds = vec![to_a.addr.to_string()];
    let nodes = [
        Node::start(dir.path(), &a, &database.url),
        Node::start(dir.path(), &b, &database.url),
    ];
    let client = Client::new();
    let token = admin_token(&client, &nodes[0]).await;
    let all_up = |view: &[(String, String)]| {
        view == [
            ("node-a".to_owned(), "up".to_owned()),
            ("node-b".to_owned(), "up".to_owned()),
        ]
    };
    for node in &nodes {
        until_view(
            &client,
            node,
            &token,
            Duration::from_secs(60),
            "both nodes up",
            all_up,
        )
        .await;
    }
    to_a.black_hole();
    to_b.black_hole();
    // Waits on states, not on time: under CI load detection and redial can be slow, and
    // either side may be the one that redials first.
    for (node, other) in [(&nodes[0], "node-b"), (&nodes[1], "node-a")] {
        let unreachable = (other.to_owned(), "unreachable".to_owned());
        until_view(
            &client,
            node,
            &token,
            Duration::from_secs(60),
            &format!("{other} unreachable"),
            |view| view.contains(&unreachable),
        )
        .await;
    }
    // A lost link is closed, then redialled while still cut off; either node may do it.
    let lost_and_redialled = BTreeSet::from([
        "cluster_links_lost_total".to_owned(),
        "cluster_link_reconnects_total".to_owned(),
    ]);
    let started = Instant::now();
    loop {
        let mut text = String::new();
        for node in &nodes {
            text += &client
                .get(node.url("/metrics"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
        }
        if missing(&text, &lost_and_redialled).is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "no node closed and redialled its lost link within 90 s: {:?}",
            missing(&text, &lost_and_redialled)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    to_a.heal();
    to_b.heal();
    for node in &nodes {
        let what = "the link back up after the heal";
        until_view(&client, node, &token, Duration::from_secs(90), what, all_up).await;
    }
    let mut text = String::new();
    for node in &nodes {
        text += &metrics_with(
            &client,
            &node.url("/metrics"),
            &cluster,
            Duration::from_secs(5),
        )
        .await;
    }
    let absent = missing(&text, &cluster);
    assert!(
        absent.is_empty(),
        "{ALERTS} or {DASHBOARD} name cluster metrics that neither cluster node exports: {absent:?}\n{text}"
    );
}
