//! What a cluster refuses: a node with the wrong cookie never joins (and is counted); a node on
//! another database is flagged `foreign` and gets no work; a cluster on SQLite, or with a
//! short cookie, does not start.

use std::time::Duration;

use reqwest::Client;

use super::postgres_available;
use crate::helpers::cluster::{
    Node, NodeConfig, admin_token, eventually, get_json, sees_all_up, statuses, submit_sleep,
    unique_cluster,
};
use crate::helpers::process::empire;
use crate::helpers::{TestBackend, TestDatabase};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_with_the_wrong_cookie_never_appears() {
    if !postgres_available("a_node_with_the_wrong_cookie_never_appears") {
        return;
    }
    let database = TestDatabase::create(TestBackend::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let cluster = unique_cluster("cookie");
    let first = NodeConfig::new(&cluster, "node-1", &[]);
    let seeds = vec![first.cluster_addr()];
    let second = NodeConfig::new(&cluster, "node-2", &seeds);
    let mut intruder = NodeConfig::new(&cluster, "intruder", &seeds);
    intruder.cookie = "a-different-cookie-of-32-characters-or-more".into();
    let nodes = [
        Node::start(dir.path(), &first, &database.url),
        Node::start(dir.path(), &second, &database.url),
        Node::start(dir.path(), &intruder, &database.url),
    ];
    let client = Client::new();
    let token = admin_token(&client, &nodes[0]).await;
    eventually(Duration::from_secs(20), "node-1 and node-2 up", || {
        sees_all_up(&client, &nodes[0], &token, &["node-1", "node-2"])
    })
    .await;
    // The intruder keeps dialling node-1 (with backoff); each attempt is refused and counted.
    eventually(
        Duration::from_secs(20),
        "refused handshakes are counted",
        || async {
            let text = client
                .get(nodes[0].url("/metrics"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            text.lines().any(|line| {
                line.strip_prefix("cluster_handshakes_refused_total ")
                    .and_then(|value| value.parse::<f64>().ok())
                    .is_some_and(|value| value >= 1.0)
            })
        },
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    for node in &nodes[..2] {
        let seen = statuses(&client, node, &token).await;
        assert!(
            !seen.iter().any(|(name, _)| name == "intruder"),
            "{}: {seen:?}",
            node.name
        );
    }
    let intruder_sees = statuses(&client, &nodes[2], &token).await;
    assert_eq!(
        intruder_sees,
        vec![("intruder".to_owned(), "up".to_owned())],
        "the intruder sees only itself"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_on_another_database_is_foreign_and_gets_no_work() {
    if !postgres_available("a_node_on_another_database_is_foreign_and_gets_no_work") {
        return;
    }
    let database = TestDatabase::create(TestBackend::Postgres).await;
    let other_database = TestDatabase::create(TestBackend::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let cluster = unique_cluster("foreign");
    let mut first = NodeConfig::new(&cluster, "node-1", &[]);
    // node-1 hosts no seo_optimizer: only the foreign node has one, and must not get its tasks.
    first.agents = "seo_optimizer = 0".into();
    let seeds = vec![first.cluster_addr()];
    let stranger = NodeConfig::new(&cluster, "stranger", &seeds);
    let nodes = [
        Node::start(dir.path(), &first, &database.url),
        Node::start(dir.path(), &stranger, &other_database.url),
    ];
    let client = Client::new();
    let token = admin_token(&client, &nodes[0]).await;
    eventually(
        Duration::from_secs(20),
        "node-1 flags the stranger",
        || async {
            statuses(&client, &nodes[0], &token)
                .await
                .contains(&("stranger".to_owned(), "foreign".to_owned()))
        },
    )
    .await;
    let id = submit_sleep(&client, &nodes[0], &token, "seo_optimizer", 10).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let task = get_json(&client, &nodes[0], &format!("/api/v1/tasks/{id}"), &token).await;
    assert_eq!(
        task["status"], "queued",
        "no instance of this database's cluster ran it"
    );
}

#[test]
fn a_cluster_refuses_sqlite_and_a_short_cookie() {
    let dir = tempfile::tempdir().unwrap();
    let refused = |envs: &[(&str, &str)]| {
        let mut command = empire(dir.path());
        command
            .env("EMPIRE_CLUSTER_ENABLED", "true")
            .env("EMPIRE_JWT_SECRET", crate::helpers::JWT_SECRET)
            .arg("serve");
        for (name, value) in envs {
            command.env(name, value);
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let cookie = ("EMPIRE_CLUSTER_COOKIE", crate::helpers::cluster::COOKIE);
    let sqlite = refused(&[cookie]);
    assert!(
        sqlite.contains("a cluster shares one PostgreSQL database"),
        "{sqlite}"
    );
    let short = refused(&[
        ("EMPIRE_CLUSTER_COOKIE", "too-short"),
        (
            "EMPIRE_DATABASE_URL",
            "postgres://postgres@127.0.0.1:1/none",
        ),
    ]);
    assert!(short.contains("at least 32 characters"), "{short}");
    assert!(
        !short.contains("too-short"),
        "the cookie is never printed: {short}"
    );
}
