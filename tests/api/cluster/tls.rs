//! Cluster links over mutual TLS: nodes with certificates from the cluster's CA join; a node
//! with a certificate from another CA, or with none, does not — even with the right cookie.

use std::time::Duration;

use reqwest::Client;

use super::postgres_available;
use crate::helpers::cluster::{
    Node, NodeConfig, admin_token, eventually, sees_all_up, statuses, submit_sleep, succeeded,
    unique_cluster,
};
use crate::helpers::tls::TestCa;
use crate::helpers::{TestBackend, TestDatabase};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_join_over_mutual_tls_and_strangers_do_not() {
    if !postgres_available("nodes_join_over_mutual_tls_and_strangers_do_not") {
        return;
    }
    let database = TestDatabase::create(TestBackend::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::create(dir.path(), "cluster");
    let other_ca = TestCa::create(dir.path(), "other");
    let cluster = unique_cluster("tls");

    let mut first = NodeConfig::new(&cluster, "node-1", &[]);
    first.tls = Some(ca.node(dir.path(), "node-1"));
    // node-2 hosts no seo_optimizer: its tasks must cross the TLS link to node-1.
    let seeds = vec![first.cluster_addr()];
    let mut second = NodeConfig::new(&cluster, "node-2", &seeds);
    second.tls = Some(ca.node(dir.path(), "node-2"));
    second.agents = "seo_optimizer = 0".into();
    let mut forged = NodeConfig::new(&cluster, "forged", &seeds);
    forged.tls = Some(other_ca.node(dir.path(), "forged"));
    let mut plain = NodeConfig::new(&cluster, "plain", &seeds);
    // The strangers share the database (a node's real trust boundary): they host no
    // seo_optimizer, so the task below can only run in the cluster.
    forged.agents = "seo_optimizer = 0".into();
    plain.agents = "seo_optimizer = 0".into();
    let nodes = [
        Node::start(dir.path(), &first, &database.url),
        Node::start(dir.path(), &second, &database.url),
        Node::start(dir.path(), &forged, &database.url),
        Node::start(dir.path(), &plain, &database.url),
    ];
    let client = Client::new();
    let token = admin_token(&client, &nodes[0]).await;
    for node in &nodes[..2] {
        eventually(
            Duration::from_secs(20),
            "node-1 and node-2 up over TLS",
            || sees_all_up(&client, node, &token, &["node-1", "node-2"]),
        )
        .await;
    }
    let id = submit_sleep(&client, &nodes[1], &token, "seo_optimizer", 10).await;
    let task = succeeded(&client, &nodes[1], &token, &id, Duration::from_secs(30)).await;
    assert_eq!(task["lease_owner"], "node-1");

    // The strangers have been dialling node-1 all along; give them a few more rounds.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let seen = statuses(&client, &nodes[0], &token).await;
    assert_eq!(
        seen,
        vec![
            ("node-1".to_owned(), "up".to_owned()),
            ("node-2".to_owned(), "up".to_owned())
        ]
    );
    for stranger in &nodes[2..] {
        assert_eq!(
            statuses(&client, stranger, &token).await,
            vec![(stranger.name.clone(), "up".to_owned())],
            "{} sees only itself",
            stranger.name
        );
    }
}
