//! Three nodes from three config files form one cluster; work submitted to a node that hosts no
//! instance of its agent runs on another node; `empire cluster status` shows them all.

use std::time::Duration;

use reqwest::Client;

use super::postgres_available;
use crate::helpers::cluster::{
    Node, NodeConfig, admin_token, eventually, get_json, sees_all_up, submit_sleep, succeeded,
    unique_cluster,
};
use crate::helpers::process::empire;
use crate::helpers::sockets;
use crate::helpers::{TestBackend, TestDatabase};

const NODES: [&str; 3] = ["node-1", "node-2", "node-3"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_join_and_share_the_work() {
    if !postgres_available("three_nodes_join_and_share_the_work") {
        return;
    }
    let database = TestDatabase::create(TestBackend::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let cluster = unique_cluster("membership");
    let seed = NodeConfig::new(&cluster, "node-1", &[]);
    let seeds = vec![seed.cluster_addr()];
    let mut second = NodeConfig::new(&cluster, "node-2", &seeds);
    second.agents = "seo_optimizer = 3".into();
    // node-3 hosts no seo_optimizer: its tasks must run elsewhere.
    let mut third = NodeConfig::new(&cluster, "node-3", &seeds);
    third.agents = "seo_optimizer = 0".into();
    let nodes = [
        Node::start(dir.path(), &seed, &database.url),
        Node::start(dir.path(), &second, &database.url),
        Node::start(dir.path(), &third, &database.url),
    ];
    let client = Client::new();
    // A token from one node is accepted by every node of the cluster.
    let token = admin_token(&client, &nodes[0]).await;
    for node in &nodes {
        eventually(
            Duration::from_secs(20),
            &format!("{} sees all three nodes up", node.name),
            || sees_all_up(&client, node, &token, &NODES),
        )
        .await;
    }

    let view = get_json(&client, &nodes[2], "/api/v1/cluster", &token).await;
    let node_2 = view["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|node| node["name"] == "node-2")
        .unwrap();
    assert_eq!(node_2["agents"]["seo_optimizer"], 3);
    assert!(node_2["last_heartbeat"].is_string());
    assert_eq!(
        view["nodes"][0]["name"], "node-3",
        "the node asked comes first"
    );
    assert_eq!(view["nodes"][0]["this_node"], true);

    // A dashboard on node-3 sees the tasks that run on the other nodes (events are relayed).
    let mut dashboard = sockets::open(&nodes[2].base, "/ws/dashboard", &token).await;
    let mut ids = Vec::new();
    for _ in 0..20 {
        ids.push(submit_sleep(&client, &nodes[2], &token, "seo_optimizer", 20).await);
    }
    for id in &ids {
        let task = succeeded(&client, &nodes[2], &token, id, Duration::from_secs(30)).await;
        let ran_on = task["lease_owner"].as_str().unwrap();
        assert!(
            ran_on == "node-1" || ran_on == "node-2",
            "node-3 hosts no seo_optimizer, yet {ran_on} ran {id}"
        );
    }
    let frames = dashboard
        .until(Duration::from_secs(10), |frame| {
            frame["type"] == "task_succeeded" && frame["task_id"] == ids[0].as_str()
        })
        .await;
    let started_elsewhere = frames.iter().any(|frame| {
        frame["type"] == "task_started"
            && frame["task_id"] == ids[0].as_str()
            && frame["node"] != "node-3"
    });
    assert!(started_elsewhere, "{frames:?}");
    // node-3's dispatcher handed them over the cluster link.
    let metrics = client.get(nodes[2].url("/metrics")).send().await.unwrap();
    let metrics = metrics.text().await.unwrap();
    assert!(
        metrics.contains("cluster_messages_sent_total{payload=\"Assignment\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("cluster_nodes_up 3"), "{metrics}");

    let output = empire(dir.path())
        .args(["cluster", "status", "--url", &nodes[1].base])
        .env("EMPIRE_API_KEY", &token)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{printed}");
    for name in NODES {
        assert!(
            printed
                .lines()
                .any(|line| line.starts_with(name) && line.contains(" up ")),
            "{name} in\n{printed}"
        );
    }
}
