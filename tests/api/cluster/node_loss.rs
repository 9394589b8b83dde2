//! One node of three is killed with `kill -9` a third of the way through 1,000 tasks: the
//! others run its tasks again once their leases expire; every task ends `succeeded` exactly
//! once. The killed node restarts, rejoins and takes work again.

use std::time::Duration;

use empire_schema::models::{Task, TaskFilter, TaskStatus};
use empire_schema::{Db, DbOptions, PageRequest};
use reqwest::Client;

use super::postgres_available;
use crate::helpers::cluster::{
    Node, NodeConfig, admin_token, eventually, sees_all_up, submit_sleep, unique_cluster,
};
use crate::helpers::{TestBackend, TestDatabase};

const TASKS: usize = 1000;
const NODES: [&str; 3] = ["node-1", "node-2", "node-3"];

async fn count(db: &Db, status: &str) -> i64 {
    Task::counts_by_agent_and_status(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|(_, counted, _)| counted == status)
        .map(|(_, _, count)| count)
        .sum()
}

async fn all_tasks(db: &Db) -> Vec<Task> {
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = Task::list(db, &TaskFilter::default(), &PageRequest::new(200, cursor))
            .await
            .unwrap();
        all.extend(page.items);
        cursor = page.next_cursor;
        if cursor.is_none() {
            return all;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_of_one_node_loses_no_task_and_it_rejoins() {
    if !postgres_available("kill_9_of_one_node_loses_no_task_and_it_rejoins") {
        return;
    }
    let database = TestDatabase::create(TestBackend::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let cluster = unique_cluster("node-loss");
    let first = NodeConfig::new(&cluster, "node-1", &[]);
    let seeds = vec![first.cluster_addr()];
    let configs = [
        first,
        NodeConfig::new(&cluster, "node-2", &seeds),
        NodeConfig::new(&cluster, "node-3", &seeds),
    ];
    let mut nodes: Vec<Node> = configs
        .iter()
        .map(|config| Node::start(dir.path(), config, &database.url))
        .collect();
    let client = Client::new();
    let token = admin_token(&client, &nodes[0]).await;
    eventually(Duration::from_secs(20), "three nodes up", || {
        sees_all_up(&client, &nodes[0], &token, &NODES)
    })
    .await;
    let db = Db::connect(&DbOptions {
        url: database.url.parse().unwrap(),
        pool_size: 2,
        connect_timeout: Duration::from_secs(3),
    })
    .await
    .unwrap();

    // Submitted round robin to the three nodes, 16 at a time; each takes ~100 ms to run.
    let mut submitted = 0;
    while submitted < TASKS {
        let batch = (TASKS - submitted).min(16);
        let submits = (0..batch).map(|i| {
            let node = &nodes[(submitted + i) % nodes.len()];
            submit_sleep(&client, node, &token, "seo_optimizer", 100)
        });
        futures::future::join_all(submits).await;
        submitted += batch;
    }
    eventually(
        Duration::from_secs(60),
        "a third of the tasks succeed",
        || {
            let db = db.clone();
            async move { count(&db, "succeeded").await >= (TASKS / 3) as i64 }
        },
    )
    .await;
    nodes[1].kill9();
    let at_kill = count(&db, "succeeded").await;
    assert!(
        at_kill < TASKS as i64,
        "the kill came after every task had finished ({at_kill}); nothing was tested"
    );

    eventually(
        Duration::from_secs(60),
        "every task succeeds after the kill",
        || {
            let db = db.clone();
            async move { count(&db, "succeeded").await == TASKS as i64 }
        },
    )
    .await;
    let all = all_tasks(&db).await;
    assert_eq!(all.len(), TASKS, "no task was lost or duplicated");
    let mut rerun = 0;
    for task in &all {
        assert_eq!(task.status, TaskStatus::Succeeded.as_str());
        assert!(task.result.is_some() && task.finished_at.is_some());
        assert!(task.attempts >= 1 && task.attempts <= task.max_attempts);
        if task.attempts > 1 {
            rerun += 1;
        }
    }
    eprintln!("{at_kill} tasks had succeeded at the kill; {rerun} ran again after it");

    // The killed node restarts from its config file, rejoins and takes work again.
    nodes[1].restart();
    for node in &nodes {
        eventually(
            Duration::from_secs(20),
            &format!("{} sees node-2 back", node.name),
            || sees_all_up(&client, node, &token, &NODES),
        )
        .await;
    }
    let mut ids = Vec::new();
    for _ in 0..60 {
        ids.push(submit_sleep(&client, &nodes[0], &token, "seo_optimizer", 200).await);
    }
    eventually(
        Duration::from_secs(60),
        "the rejoined node runs some of the new tasks",
        || {
            let db = db.clone();
            let ids = ids.clone();
            async move {
                let mut on_node_2 = 0;
                let mut done = 0;
                for id in &ids {
                    let task = Task::get(&db, id).await.unwrap();
                    if task.status == TaskStatus::Succeeded.as_str() {
                        done += 1;
                        if task.lease_owner.as_deref() == Some("node-2") {
                            on_node_2 += 1;
                        }
                    }
                }
                done == ids.len() && on_node_2 > 0
            }
        },
    )
    .await;
}
