//! The per-thread fan-out hub: sockets that join while events flow get every later event once,
//! in order, a subscribe frame changes what the hub sends, and metrics snapshots reach every
//! socket while events keep flowing.

use std::time::Duration;

use empire_actors::runtime::Event;
use empire_schema::AgentId;
use serde_json::json;

use crate::helpers::{TestBackend, spawn_app, spawn_app_with};

const WAIT: Duration = Duration::from_secs(10);

fn queued(task_id: &str) -> Event {
    Event::TaskQueued {
        task_id: task_id.into(),
        agent: AgentId::SeoOptimizer,
        kind: "audit_page".into(),
        workflow_id: None,
        website_id: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sockets_opened_while_events_flow_get_every_later_event_once_in_order() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    let runtime = app.runtime.clone();
    let publisher = tokio::spawn(async move {
        for i in 0..300 {
            runtime.publish(queued(&format!("flow-{i}")));
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    });
    let mut sockets = Vec::new();
    for _ in 0..16 {
        sockets.push(app.socket("/ws/dashboard", &token).await);
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    publisher.await.unwrap();
    app.runtime.publish(queued("last"));

    for mut socket in sockets {
        let snapshot = socket.next(WAIT).await.unwrap();
        assert_eq!(snapshot["type"], "snapshot");
        let first = snapshot["id"].as_u64().unwrap() + 1;
        let frames = socket.until(WAIT, |frame| frame["task_id"] == "last").await;
        // Metrics snapshots are trickled, so one may come after newer events: the order
        // guarantee is the events'. They are numbered among them, so the check counts them.
        let mut ids: Vec<u64> = frames.iter().map(|f| f["id"].as_u64().unwrap()).collect();
        let events: Vec<u64> = frames
            .iter()
            .filter(|f| f["type"] != "metrics")
            .map(|f| f["id"].as_u64().unwrap())
            .collect();
        assert!(events.is_sorted(), "{events:?}");
        ids.sort_unstable();
        let expected: Vec<u64> = (first..first + ids.len() as u64).collect();
        assert_eq!(
            ids, expected,
            "every event after the snapshot, once, in order"
        );
        assert_eq!(frames.last().unwrap()["task_id"], "last");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscribe_frame_changes_what_the_socket_gets() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    let mut socket = app.socket("/ws/dashboard", &token).await;
    assert_eq!(socket.next(WAIT).await.unwrap()["type"], "snapshot");

    socket
        .send(json!({"type": "subscribe", "events": ["task_cancelled"]}))
        .await;
    socket
        .until(WAIT, |frame| frame["type"] == "subscribed")
        .await;
    for task_id in ["a", "b", "c", "d"] {
        if task_id == "b" || task_id == "d" {
            app.runtime.publish(Event::TaskCancelled {
                task_id: task_id.into(),
                agent: AgentId::SeoOptimizer,
                website_id: None,
            });
        } else {
            app.runtime.publish(queued(task_id));
        }
    }
    let frames = socket.until(WAIT, |frame| frame["task_id"] == "d").await;
    let tasks: Vec<&str> = frames
        .iter()
        .filter_map(|frame| frame["task_id"].as_str())
        .collect();
    assert_eq!(tasks, ["b", "d"], "only the subscribed type: {frames:?}");

    socket.send(json!({"type": "subscribe"})).await;
    socket
        .until(WAIT, |frame| frame["type"] == "subscribed")
        .await;
    app.runtime.publish(queued("e"));
    let frames = socket.until(WAIT, |frame| frame["task_id"] == "e").await;
    assert_eq!(frames.last().unwrap()["type"], "task_queued");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_snapshots_are_trickled_to_every_socket_while_events_flow() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.tasks.metrics_event_ms = 300;
        config.tasks.reap_ms = 100;
        config.ws.max_sockets_per_credential = 1_000;
        config.rate_limit.api.burst = 100_000;
    })
    .await;
    let token = app.admin_token().await;
    // More than two trickle chunks per hub (the app runs 2 HTTP workers).
    let mut sockets = Vec::new();
    for _ in 0..600 {
        sockets.push(app.socket("/ws/dashboard", &token).await);
    }
    let mut agent = app.socket("/ws/agents/seo_optimizer", &token).await;
    let runtime = app.runtime.clone();
    let publisher = tokio::spawn(async move {
        for i in 0..100 {
            runtime.publish(queued(&format!("flow-{i}")));
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        runtime.publish(queued("last"));
    });

    for socket in &mut sockets {
        let frames = socket.until(WAIT, |frame| frame["task_id"] == "last").await;
        let events: Vec<&str> = frames
            .iter()
            .filter(|f| f["type"] == "task_queued")
            .map(|f| f["task_id"].as_str().unwrap())
            .collect();
        assert_eq!(events.len(), 101, "every event once");
        let mut snapshots = frames.iter().filter(|f| f["type"] == "metrics").count();
        while snapshots < 2 {
            let frame = socket.next(WAIT).await.expect("a metrics frame");
            snapshots += usize::from(frame["type"] == "metrics");
        }
    }
    publisher.await.unwrap();
    // A socket for one agent gets its events, never the dashboards' metrics.
    let frames = agent.until(WAIT, |frame| frame["task_id"] == "last").await;
    assert!(frames.iter().all(|f| f["type"] != "metrics"), "{frames:?}");
}
