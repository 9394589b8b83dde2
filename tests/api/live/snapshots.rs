//! Sockets that open while nothing happens share one `snapshot` frame; an event makes the next
//! socket's snapshot a new one, as of that event.

use std::time::Duration;

use empire_actors::runtime::Event;
use empire_schema::AgentId;
use serde_json::Value;

use crate::helpers::{TestApp, TestBackend, spawn_app};

const WAIT: Duration = Duration::from_secs(10);

async fn snapshot(app: &TestApp, path: &str, token: &str) -> Value {
    let mut socket = app.socket(path, token).await;
    let frame = socket.next(WAIT).await.unwrap();
    assert_eq!(frame["type"], "snapshot", "{frame}");
    socket.close().await;
    frame
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sockets_opened_with_no_event_between_share_one_snapshot_and_an_event_renews_it() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    // A periodic `metrics` event may fall between two opens; then they rightly differ.
    let mut pair = None;
    for _ in 0..5 {
        let first = snapshot(&app, "/ws/dashboard", &token).await;
        let second = snapshot(&app, "/ws/dashboard", &token).await;
        if first["id"] == second["id"] {
            pair = Some((first, second));
            break;
        }
    }
    let (first, second) = pair.expect("two sockets opened with no event between");
    // Each build stamps its own time: an equal `ts` means one frame was sent twice.
    assert_eq!(first["ts"], second["ts"]);
    assert_eq!(first, second);

    app.runtime.publish(Event::TaskQueued {
        task_id: "renewed".into(),
        agent: AgentId::SeoOptimizer,
        kind: "audit_page".into(),
        workflow_id: None,
        website_id: None,
    });
    let after = snapshot(&app, "/ws/dashboard", &token).await;
    assert!(after["id"].as_u64() > first["id"].as_u64(), "{after}");
    assert_ne!(after["ts"], first["ts"]);

    // Each view has its own: one agent type's socket gets a snapshot of that agent only.
    let one = snapshot(&app, "/ws/agents/seo_optimizer", &token).await;
    assert_eq!(one["agents"].as_array().map(Vec::len), Some(1), "{one}");
}
