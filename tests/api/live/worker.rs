//! External workers over `/ws/agents/{agent_id}?mode=worker`: a test client processes a task
//! end to end; one that disconnects or goes silent mid-task has the task re-queued for another
//! worker or a local instance.

use std::time::Duration;

use empire_schema::TaskStatus;
use empire_schema::models::Task;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::sockets::{Ended, Socket};
use crate::helpers::{TestApp, TestBackend, spawn_app_with};

const WAIT: Duration = Duration::from_secs(10);

fn audit() -> Value {
    json!({"kind": "audit_page", "input": {"html": "<title>Espresso</title><h1>Espresso</h1>", "keyword": "espresso"}})
}

async fn worker(app: &TestApp, key: &str) -> Socket {
    let mut socket = app
        .socket("/ws/agents/seo_optimizer?mode=worker", key)
        .await;
    let registered = socket.next(WAIT).await.unwrap();
    assert_eq!(registered["type"], "registered", "{registered}");
    assert_eq!(registered["agent"], "seo_optimizer");
    socket
}

/// Waits for a task like a live worker would: heartbeating while idle.
async fn next_task(socket: &mut Socket) -> Value {
    let deadline = tokio::time::Instant::now() + WAIT;
    while tokio::time::Instant::now() < deadline {
        match socket.next(Duration::from_millis(200)).await {
            Ok(frame) if frame["type"] == "task" => return frame,
            Ok(_) | Err(Ended::TimedOut) => socket.send(json!({"type": "heartbeat"})).await,
            Err(closed) => panic!("the worker's socket closed: {closed:?}"),
        }
    }
    panic!("no task within {WAIT:?}");
}

/// Submits an audit task, lets a new worker take it, then drops the worker mid-task.
async fn handed_to_a_worker_that_dies(app: &TestApp, key: &str, admin: &str) -> String {
    let mut doomed = worker(app, key).await;
    let submitted: Value = app
        .submit(admin, "seo_optimizer", &audit())
        .await
        .json()
        .await
        .unwrap();
    let id = submitted["id"].as_str().unwrap().to_owned();
    assert_eq!(next_task(&mut doomed).await["task_id"], id.as_str());
    drop(doomed);
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_workers_take_tasks_and_lose_them_when_they_drop_or_go_silent() {
    // No local SEO instance: only the external workers can run its tasks.
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.agents.seo_optimizer = 0;
        config.ws.worker_heartbeat_timeout_ms = 1_000;
    })
    .await;
    let admin = app.admin_token().await;
    let (key, _) = app.api_key(&admin, &["agents.read", "agents.manage"]).await;
    let (reader, _) = app.api_key(&admin, &["agents.read"]).await;

    // A worker processes a task end to end.
    let mut first = worker(&app, &key).await;
    let submitted = app.submit_task(&admin, "seo_optimizer", &audit()).await;
    let task = next_task(&mut first).await;
    assert_eq!(task["task_id"], submitted.as_str());
    assert_eq!(task["kind"], "audit_page");
    assert_eq!(task["input"]["keyword"], "espresso");
    first.send(json!({"type": "result", "task_id": task["task_id"], "attempt": task["attempt"], "output": {"score": 99, "by": "python"}})).await;
    let done = app.wait_for_task(&admin, &submitted, WAIT).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["result"], json!({"score": 99, "by": "python"}));
    first.close().await;

    // A worker killed mid-task: the task goes back to the queue, uncounted, and another finishes it.
    let id = handed_to_a_worker_that_dies(&app, &key, &admin).await;
    let mut rescuer = worker(&app, &key).await;
    let task = next_task(&mut rescuer).await;
    assert_eq!(task["task_id"], id.as_str());
    assert_eq!(
        task["attempt"], 1,
        "a dropped worker's attempt is not counted"
    );

    // A silent worker (no heartbeat) loses its task after the heartbeat timeout.
    let silent = rescuer;
    let mut standby = worker(&app, &key).await;
    let task = next_task(&mut standby).await;
    assert_eq!(task["task_id"], id.as_str(), "re-queued after the silence");
    standby.send(json!({"type": "heartbeat"})).await;
    standby.send(json!({"type": "result", "task_id": id, "attempt": task["attempt"], "output": {"ok": true}})).await;
    assert_eq!(
        app.wait_for_task(&admin, &id, WAIT).await["status"],
        "succeeded"
    );
    drop(silent);

    // Working tasks needs agents.manage.
    let refused = app
        .client
        .get(app.url(&format!(
            "/ws/agents/seo_optimizer?mode=worker&token={reader}"
        )))
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_workers_task_is_finished_by_a_local_instance() {
    // One local SEO instance running one task at a time, busy with a slow task first, so
    // the next task goes to the external worker (the dispatcher prefers the least loaded).
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.agents.seo_optimizer = 1;
        config.tasks.max_in_flight = 1;
        config.tasks.fault_injection = true;
    })
    .await;
    let admin = app.admin_token().await;
    let (key, _) = app.api_key(&admin, &["agents.read", "agents.manage"]).await;
    let slow: Value = app
        .submit(
            &admin,
            "seo_optimizer",
            &json!({"kind": "sleep", "input": {"ms": 1500}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let slow_id = slow["id"].as_str().unwrap().to_owned();
    let started = tokio::time::Instant::now();
    while app.task(&admin, &slow_id).await["status"] != "running" {
        assert!(started.elapsed() < WAIT, "the local instance never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let id = handed_to_a_worker_that_dies(&app, &key, &admin).await;

    let done = app.wait_for_task(&admin, &id, WAIT).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(
        done["attempts"], 1,
        "the killed worker's attempt is not counted"
    );
    let status: Value = app
        .with(Method::GET, "/api/v1/agents/seo_optimizer/status", &admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let local = status["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|instance| {
            instance["instance"]
                .as_str()
                .unwrap()
                .ends_with("/seo_optimizer-0")
        })
        .unwrap();
    assert_eq!(
        local["processed"], 2,
        "the local instance ran both: {status}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_external_workers_lease_is_renewed_every_renew_ms_not_every_second() {
    // Leases renewed every 30 s: a lease must not move while a heartbeating worker holds its
    // task for a few seconds (it moved every second when the heartbeat tick renewed too).
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.agents.seo_optimizer = 0;
        config.tasks.lease_ms = 60_000;
        config.tasks.renew_ms = 30_000;
    })
    .await;
    let admin = app.admin_token().await;
    let (key, _) = app.api_key(&admin, &["agents.read", "agents.manage"]).await;
    let mut socket = worker(&app, &key).await;
    let id = app.submit_task(&admin, "seo_optimizer", &audit()).await;
    assert_eq!(next_task(&mut socket).await["task_id"], id.as_str());
    let claimed = Task::get(&app.db, &id).await.unwrap().lease_expires_at;
    assert!(claimed.is_some());

    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        socket.send(json!({"type": "heartbeat"})).await;
    }
    let task = Task::get(&app.db, &id).await.unwrap();
    assert_eq!(
        task.status,
        TaskStatus::Running,
        "the worker still holds it"
    );
    assert_eq!(task.lease_expires_at, claimed, "renewed before renew_ms");
}
