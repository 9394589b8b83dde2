//! A silent partition: every byte between two nodes is dropped (TCP proxies in front of both,
//! connections left open). Each node notices within the heartbeat timeout, stops handing work
//! across and keeps finishing tasks; when the proxies heal, the link comes back.

use std::time::{Duration, Instant};

use reqwest::Client;

use super::postgres_available;
use crate::helpers::cluster::{
    Node, NodeConfig, admin_token, eventually, sees_all_up, statuses, submit_sleep, succeeded,
    unique_cluster,
};
use crate::helpers::proxy::TcpProxy;
use crate::helpers::sockets;
use crate::helpers::{TestBackend, TestDatabase};

async fn all_succeed(client: &Client, node: &Node, token: &str, ids: &[String], within: Duration) {
    for id in ids {
        succeeded(client, node, token, id, within).await;
    }
}

async fn metric(client: &Client, node: &Node, name: &str) -> f64 {
    let text = client
        .get(node.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_partition_is_detected_and_heals() {
    if !postgres_available("a_silent_partition_is_detected_and_heals") {
        return;
    }
    let database = TestDatabase::create(TestBackend::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let cluster = unique_cluster("partition");
    // Each node is reached only through its proxy: it advertises the proxy, the other seeds it.
    let mut a = NodeConfig::new(&cluster, "node-a", &[]);
    let mut b = NodeConfig::new(&cluster, "node-b", &[]);
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
    for node in &nodes {
        eventually(Duration::from_secs(20), "both nodes up", || {
            sees_all_up(&client, node, &token, &["node-a", "node-b"])
        })
        .await;
    }

    let mut dashboard = sockets::open(&nodes[0].base, "/ws/dashboard", &token).await;
    to_a.black_hole();
    to_b.black_hole();
    let cut = Instant::now();
    for (node, other) in [(&nodes[0], "node-b"), (&nodes[1], "node-a")] {
        eventually(
            Duration::from_secs(10),
            &format!("{} sees {other} unreachable", node.name),
            || async {
                statuses(&client, node, &token)
                    .await
                    .contains(&(other.to_owned(), "unreachable".to_owned()))
            },
        )
        .await;
    }
    eprintln!(
        "partition detected on both sides {} ms after the cut (heartbeat timeout 1500 ms)",
        cut.elapsed().as_millis()
    );
    assert!(metric(&client, &nodes[0], "cluster_links_lost_total").await >= 1.0);
    dashboard
        .until(Duration::from_secs(5), |frame| {
            frame["type"] == "node_left" && frame["node"] == "node-b"
        })
        .await;

    // Both sides keep working on their own while cut off from each other.
    let mut during = Vec::new();
    for node in &nodes {
        let mut ids = Vec::new();
        for _ in 0..10 {
            ids.push(submit_sleep(&client, node, &token, "seo_optimizer", 20).await);
        }
        during.push(ids);
    }
    for (node, ids) in nodes.iter().zip(&during) {
        all_succeed(&client, node, &token, ids, Duration::from_secs(30)).await;
    }

    to_a.heal();
    to_b.heal();
    for node in &nodes {
        eventually(Duration::from_secs(20), "the link comes back", || {
            sees_all_up(&client, node, &token, &["node-a", "node-b"])
        })
        .await;
    }
    assert!(metric(&client, &nodes[0], "cluster_link_reconnects_total").await >= 1.0);
    dashboard
        .until(Duration::from_secs(5), |frame| {
            frame["type"] == "node_joined" && frame["node"] == "node-b"
        })
        .await;
    let mut after = Vec::new();
    for _ in 0..10 {
        after.push(submit_sleep(&client, &nodes[1], &token, "seo_optimizer", 20).await);
    }
    all_succeed(&client, &nodes[1], &token, &after, Duration::from_secs(30)).await;
}
