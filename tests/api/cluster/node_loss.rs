//! One node of three is killed with `kill -9` a third of the way through 1,000 tasks: the
//! others run its tasks again once their leases expire; every task ends `succeeded` exactly
//! once. The killed node restarts, rejoins and takes work again.

use std::time::Duration;

use empire_schema::models::{ListedTask, Task, TaskFilter};
use empire_schema::{Db, DbOptions, PageRequest, TaskStatus};
use reqwest::Client;

use super::postgres_available;
use crate::helpers::cluster::{
    Node, NodeConfig, admin_token, eventually, get_json, sees_all_up, submit_sleep,
    submit_sleep_at, unique_cluster,
};
use crate::helpers::{TestBackend, TestDatabase};

const TASKS: usize = 1000;
const NODES: [&str; 3] = ["node-1", "node-2", "node-3"];

async fn count(db: &Db, status: TaskStatus) -> i64 {
    Task::counts_by_agent_and_status(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|(_, counted, _)| *counted == status)
        .map(|(_, _, count)| count)
        .sum()
}

/// The load `node` reports for `name` in `GET /api/v1/cluster`.
async fn load_of(client: &Client, node: &Node, token: &str, name: &str) -> u64 {
    let view = get_json(client, node, "/api/v1/cluster", token).await;
    view["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|node| node["name"] == name))
        .and_then(|node| node["load"].as_u64())
        .unwrap_or(0)
}

async fn all_tasks(db: &Db) -> Vec<ListedTask> {
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

    // Submitted round robin to node-1 and node-3, 16 at a time, in the background; each task
    // takes 300 ms, so the cluster (24 slots) needs over 10 s for them all.
    let submitter = tokio::spawn({
        let (client, token) = (client.clone(), token.clone());
        // Not to node-2, which is killed while they are submitted.
        let urls = [nodes[0].base.clone(), nodes[2].base.clone()];
        async move {
            let mut submitted = 0;
            while submitted < TASKS {
                let batch = (TASKS - submitted).min(16);
                let submits = (0..batch).map(|i| {
                    let base = &urls[(submitted + i) % urls.len()];
                    submit_sleep_at(&client, base, &token, "seo_optimizer", 300)
                });
                futures::future::join_all(submits).await;
                submitted += batch;
            }
        }
    });
    // Kill node-2 a third of the way through, while it runs some of them.
    eventually(
        Duration::from_secs(60),
        "a third of the tasks succeed while node-2 is busy",
        || {
            let (db, client, token) = (db.clone(), client.clone(), token.clone());
            let node_1 = &nodes[0];
            async move {
                count(&db, TaskStatus::Succeeded).await >= (TASKS / 3) as i64
                    && load_of(&client, node_1, &token, "node-2").await > 0
            }
        },
    )
    .await;
    nodes[1].kill9();
    let at_kill = count(&db, TaskStatus::Succeeded).await;
    submitter.await.unwrap();

    eventually(
        Duration::from_secs(60),
        "every task succeeds after the kill",
        || {
            let db = db.clone();
            async move { count(&db, TaskStatus::Succeeded).await == TASKS as i64 }
        },
    )
    .await;
    let all = all_tasks(&db).await;
    assert_eq!(all.len(), TASKS, "no task was lost or duplicated");
    let mut rerun = 0;
    for task in &all {
        assert_eq!(task.status, TaskStatus::Succeeded);
        assert!(task.result.is_some() && task.finished_at.is_some());
        assert!(task.attempts >= 1 && task.attempts <= task.max_attempts);
        if task.attempts > 1 {
            rerun += 1;
        }
    }
    eprintln!("{at_kill} tasks had succeeded at the kill; {rerun} ran again after it");
    assert!(
        rerun > 0,
        "node-2 was running tasks when it was killed: they ran again"
    );

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
                    if task.status == TaskStatus::Succeeded {
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
