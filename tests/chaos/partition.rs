//! Link partitions: two nodes reach each other only through TCP proxies, which are cut (every
//! connection dropped, new ones refused) or black-holed (connections open, bytes dropped) under
//! load, held past the heartbeat timeout, then healed. Both sides keep taking and finishing
//! tasks on their own (the database stays reachable); recovery: from the heal until each node
//! sees the other up again.

use std::time::{Duration, Instant};

use reqwest::Client;

use crate::Mode;
use crate::helpers::cluster::{
    Node, NodeConfig, admin_token, eventually, sees_all_up, statuses, unique_cluster,
};
use crate::helpers::proxy::TcpProxy;
use crate::load::{Load, Spec, Targets};
use crate::services::{Missing, PrivatePostgres, PrivateRedis};
use crate::tally::{self, Figures};

const NODES: [&str; 2] = ["node-a", "node-b"];
/// heartbeat_timeout_ms (1.5 s) plus scheduling on a loaded machine.
const DETECT_BOUND: Duration = Duration::from_secs(10);
const HEAL_BOUND: Duration = Duration::from_secs(20);

pub async fn run(mode: Mode) -> Result<(), Missing> {
    let postgres = PrivatePostgres::start()?;
    let redis = PrivateRedis::start()?;
    let database_url = postgres.create_database("chaos_partition").await;
    let dir = tempfile::tempdir().unwrap();
    let cluster = unique_cluster("chaos-partition");
    // Each node is reached only through its proxy: it advertises the proxy, the other seeds it.
    let mut a = NodeConfig::new(&cluster, NODES[0], &[]);
    let mut b = NodeConfig::new(&cluster, NODES[1], &[]);
    let to_a = TcpProxy::start(a.cluster_addr().parse().unwrap()).await;
    let to_b = TcpProxy::start(b.cluster_addr().parse().unwrap()).await;
    a.advertise_addr = Some(to_a.addr.to_string());
    a.seeds = vec![to_b.addr.to_string()];
    b.advertise_addr = Some(to_b.addr.to_string());
    b.seeds = vec![to_a.addr.to_string()];
    a.redis_url = Some(redis.url());
    b.redis_url = Some(redis.url());
    let nodes = [
        Node::start(dir.path(), &a, &database_url),
        Node::start(dir.path(), &b, &database_url),
    ];
    let client = Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let token = admin_token(&client, &nodes[0]).await;
    for node in &nodes {
        eventually(Duration::from_secs(30), "both nodes up", || {
            sees_all_up(&client, node, &token, &NODES)
        })
        .await;
    }

    let targets = Targets::new(nodes.iter().map(|node| node.base.clone()).collect());
    let spec = Spec {
        agent: "seo_optimizer",
        sleep_ms: 200,
        workers: 2,
        pause: Duration::from_millis(100),
    };
    let load = Load::start(&client, &targets, &token, "partition", spec.clone());
    let rounds = mode.pick(2, 8);
    let hold = mode.pick(Duration::from_secs(3), Duration::from_secs(10));
    let mut heals = Vec::new();
    let mut detections = Vec::new();
    let mut accepted_during = 0;
    for round in 0..rounds {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let silent = round % 2 == 1;
        for proxy in [&to_a, &to_b] {
            if silent {
                proxy.black_hole();
            } else {
                proxy.cut();
            }
        }
        let cut = Instant::now();
        let before = load.accepted();
        for (node, other) in [(&nodes[0], NODES[1]), (&nodes[1], NODES[0])] {
            eventually(
                DETECT_BOUND,
                &format!("{} sees {other} unreachable", node.name),
                || async {
                    statuses(&client, node, &token)
                        .await
                        .contains(&(other.to_owned(), "unreachable".to_owned()))
                },
            )
            .await;
        }
        let detected = cut.elapsed();
        detections.push(detected);
        tokio::time::sleep(hold).await;
        let during = load.accepted() - before;
        assert!(during > 0, "no task was accepted during the partition");
        accepted_during += during;

        to_a.heal();
        to_b.heal();
        let healed = Instant::now();
        for node in &nodes {
            eventually(HEAL_BOUND, "the link comes back", || {
                sees_all_up(&client, node, &token, &NODES)
            })
            .await;
        }
        heals.push(healed.elapsed());
        println!(
            "round {}: {} partition seen by both sides in {:.1} s, {during} tasks accepted while cut, healed in {:.1} s",
            round + 1,
            if silent { "black-hole" } else { "cut" },
            detected.as_secs_f64(),
            healed.elapsed().as_secs_f64(),
        );
    }
    let record = load.stop().await;
    let tally = tally::settle(
        &client,
        &nodes[1].base,
        &token,
        &record,
        "partition",
        &spec,
        Duration::from_secs(60),
    )
    .await;
    let refused = record.refused();
    let detect_max = detections.iter().max().copied().unwrap_or_default();
    Figures {
        name: format!("partition ({rounds} cuts and black holes, 2 nodes)"),
        tally,
        refused,
        recovery: "heal until both nodes see each other up",
        recover: heals,
        bound: HEAL_BOUND,
        note: format!(
            "detected on both sides within {:.1} s (bound {} s), {accepted_during} accepted while partitioned",
            detect_max.as_secs_f64(),
            DETECT_BOUND.as_secs()
        ),
    }
    .report();
    // The front doors never needed the cluster link to take a task.
    assert_eq!(refused, 0, "submissions were refused during a partition");
    Ok(())
}
