//! Node kill loop: three nodes on one PostgreSQL take a steady stream of tasks while, round
//! after round, one of them (in turn) is killed with `kill -9` while it holds leases, stays down
//! until the others have run its tasks again, and restarts from its config file. Recovery: from
//! the kill until every task the dead node held has succeeded elsewhere (lease 3 s).

use std::time::{Duration, Instant};

use reqwest::Client;

use crate::Mode;
use crate::helpers::cluster::{
    Node, NodeConfig, admin_token, eventually, sees_all_up, statuses, unique_cluster,
};
use crate::load::{self, Load, Spec, Targets};
use crate::services::{Missing, PrivatePostgres, PrivateRedis};
use crate::tally::{self, Figures};

const NODES: [&str; 3] = ["node-1", "node-2", "node-3"];
/// The reference plan's bound for retaking a dead node's leases (TTL + reap + the rerun).
const RETAKE_BOUND: Duration = Duration::from_secs(15);
const REJOIN_BOUND: Duration = Duration::from_secs(20);

pub async fn run(mode: Mode) -> Result<(), Missing> {
    let postgres = PrivatePostgres::start()?;
    let redis = PrivateRedis::start()?;
    let database_url = postgres.create_database("chaos_kills").await;
    let dir = tempfile::tempdir().unwrap();
    let cluster = unique_cluster("chaos-kills");
    let mut configs: Vec<NodeConfig> = NODES
        .iter()
        .map(|name| NodeConfig::new(&cluster, name, &[]))
        .collect();
    // Every node seeds every other, so whichever restarts finds the rest.
    let seeds: Vec<String> = configs.iter().map(NodeConfig::cluster_addr).collect();
    for config in &mut configs {
        config.seeds = seeds.clone();
        config.redis_url = Some(redis.url());
    }
    let mut nodes: Vec<Node> = configs
        .iter()
        .map(|config| Node::start(dir.path(), config, &database_url))
        .collect();
    let client = Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let token = admin_token(&client, &nodes[0]).await;
    for node in &nodes {
        eventually(Duration::from_secs(30), "three nodes up", || {
            sees_all_up(&client, node, &token, &NODES)
        })
        .await;
    }

    let targets = Targets::new(nodes.iter().map(|node| node.base.clone()).collect());
    let spec = Spec {
        agent: "seo_optimizer",
        sleep_ms: 300,
        workers: 3,
        pause: Duration::from_millis(100),
    };
    let load = Load::start(&client, &targets, &token, "kills", spec.clone());
    let rounds = mode.pick(3, 10);
    let mut retakes = Vec::new();
    let mut rejoins = Vec::new();
    let mut held_total = 0;
    for round in 0..rounds {
        let victim = (round + 1) % nodes.len();
        let witness = (victim + 1) % nodes.len();
        tokio::time::sleep(mode.pick(Duration::from_secs(2), Duration::from_secs(5))).await;
        // Kill it while it holds leases, so the kill lands mid-work.
        let started = Instant::now();
        let held = loop {
            let held = load::running_on(&client, &nodes[witness].base, &token, NODES[victim]).await;
            if !held.is_empty() {
                break held;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{} held no lease for 20 s under load",
                NODES[victim]
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        // Killed first, so submissions in flight to it are cut too.
        nodes[victim].kill9();
        let killed = Instant::now();
        targets.set(victim, None);
        held_total += held.len();
        let retake = load::all_succeeded(
            &client,
            &nodes[witness].base,
            &token,
            &held,
            killed,
            RETAKE_BOUND + Duration::from_secs(30),
        )
        .await;
        retakes.push(retake);
        // The survivors noticed the death (so "up again" below means rejoined, not unnoticed).
        eventually(
            Duration::from_secs(10),
            "the survivors see the kill",
            || async {
                !statuses(&client, &nodes[witness], &token)
                    .await
                    .contains(&(NODES[victim].to_owned(), "up".to_owned()))
            },
        )
        .await;

        let restarted = Instant::now();
        nodes[victim].restart();
        for node in &nodes {
            eventually(REJOIN_BOUND, "the restarted node rejoins", || {
                sees_all_up(&client, node, &token, &NODES)
            })
            .await;
        }
        rejoins.push(restarted.elapsed());
        targets.set(victim, Some(nodes[victim].base.clone()));
        println!(
            "round {}: killed {} holding {} leases; retaken and done in {:.1} s; rejoined in {:.1} s; {} accepted so far",
            round + 1,
            NODES[victim],
            held.len(),
            retake.as_secs_f64(),
            restarted.elapsed().as_secs_f64(),
            load.accepted(),
        );
    }
    let record = load.stop().await;
    let tally = tally::settle(
        &client,
        &nodes[0].base,
        &token,
        &record,
        "kills",
        &spec,
        Duration::from_secs(90),
    )
    .await;
    let rejoin_max = rejoins.iter().max().copied().unwrap_or_default();
    Figures {
        name: format!("node_kills ({rounds} kills, 3 nodes, PostgreSQL)"),
        tally,
        refused: record.refused(),
        recovery: "kill -9 until the dead node's leased tasks are done elsewhere",
        recover: retakes,
        bound: RETAKE_BOUND,
        note: format!(
            "leases held at the kills={held_total}, rejoin max {:.1} s (bound {} s), abandoned={}",
            rejoin_max.as_secs_f64(),
            REJOIN_BOUND.as_secs(),
            record.abandoned
        ),
    }
    .report();
    Ok(())
}
