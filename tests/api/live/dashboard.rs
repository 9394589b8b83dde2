use std::time::Duration;

use empire_actors::runtime::Event;
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::helpers::auth::problem;
use crate::helpers::sockets::Ended;
use crate::helpers::{TestBackend, spawn_app, spawn_app_with};

const WAIT: Duration = Duration::from_secs(10);

fn outline() -> Value {
    json!({"kind": "outline", "input": {"keyword": "espresso", "article_type": "guide", "language": "en"}})
}

fn upgrade(app: &crate::helpers::TestApp, path: &str) -> reqwest::RequestBuilder {
    app.client
        .request(Method::GET, app.url(path))
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handshake_needs_credentials_a_permission_and_an_allowed_origin() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let admin = app.admin_token().await;
    let websites_only = app.user_with("sites@test.local", &["websites.read"]).await;

    let anonymous = upgrade(&app, "/ws/dashboard").send().await.unwrap();
    assert!(anonymous.headers().contains_key("www-authenticate"));
    problem(anonymous, 401).await;
    problem(
        upgrade(&app, &format!("/ws/dashboard?token={websites_only}"))
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    let foreign = upgrade(&app, &format!("/ws/dashboard?token={admin}"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    problem(foreign, 403).await;
    let own = app.address.clone();
    let same_origin = upgrade(&app, &format!("/ws/dashboard?token={admin}"))
        .header("origin", own)
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 101);
    let header_auth = upgrade(&app, "/ws/agents/seo_optimizer")
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(header_auth.status(), 101);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submitted_task_shows_queued_started_succeeded_in_order() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    let mut socket = app.socket("/ws/dashboard", &token).await;
    let snapshot = socket.next(WAIT).await.unwrap();
    assert_eq!(snapshot["type"], "snapshot");
    assert_eq!(snapshot["agents"].as_array().unwrap().len(), 5);
    assert!(snapshot["nodes"][0]["name"].is_string());

    let task: Value = app
        .submit(&token, "content_generator", &outline())
        .await
        .json()
        .await
        .unwrap();
    let id = task["id"].as_str().unwrap().to_owned();
    let frames = socket
        .until(WAIT, |frame| {
            frame["type"] == "task_succeeded" && frame["task_id"] == id.as_str()
        })
        .await;

    let mine: Vec<&str> = frames
        .iter()
        .filter(|f| f["task_id"] == id.as_str())
        .map(|f| f["type"].as_str().unwrap())
        .collect();
    assert_eq!(mine, ["task_queued", "task_started", "task_succeeded"]);
    let ids: Vec<u64> = frames.iter().map(|f| f["id"].as_u64().unwrap()).collect();
    assert!(
        ids.windows(2).all(|pair| pair[0] < pair[1]),
        "ids increase: {ids:?}"
    );
    assert!(frames.iter().all(|f| f["ts"].is_string()));

    let mut watcher = app.socket("/ws/agents/content_generator", &token).await;
    assert_eq!(
        watcher.next(WAIT).await.unwrap()["agents"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.submit(&token, "monetization", &json!({"kind": "build_affiliate_link", "input": {"network": "awin", "advertiser_id": "1", "publisher_id": "2", "target_url": "https://shop.example/"}})).await;
    let other: Value = app
        .submit(&token, "content_generator", &outline())
        .await
        .json()
        .await
        .unwrap();
    let seen = watcher
        .until(WAIT, |frame| {
            frame["type"] == "task_succeeded" && frame["task_id"] == other["id"]
        })
        .await;
    assert!(
        seen.iter()
            .all(|frame| frame["agent"] == "content_generator"),
        "only its agent: {seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resuming_with_last_event_id_replays_exactly_the_missed_events() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    let mut first = app.socket("/ws/dashboard", &token).await;
    let last_seen = first.next(WAIT).await.unwrap()["id"].as_u64().unwrap();
    first.close().await;

    let mut ids = Vec::new();
    for _ in 0..3 {
        let task: Value = app
            .submit(&token, "content_generator", &outline())
            .await
            .json()
            .await
            .unwrap();
        ids.push(task["id"].as_str().unwrap().to_owned());
    }
    for id in &ids {
        app.wait_for_task(&token, id, WAIT).await;
    }
    let mut watcher = app.socket("/ws/dashboard", &token).await;
    let newest = watcher.next(WAIT).await.unwrap()["id"].as_u64().unwrap();

    let mut resumed = app
        .socket(&format!("/ws/dashboard?last_event_id={last_seen}"), &token)
        .await;
    let mut replayed = Vec::new();
    while replayed
        .last()
        .is_none_or(|frame: &Value| frame["id"].as_u64().unwrap() < newest)
    {
        replayed.push(resumed.next(WAIT).await.unwrap());
    }

    let replayed_ids: Vec<u64> = replayed.iter().map(|f| f["id"].as_u64().unwrap()).collect();
    let expected: Vec<u64> = (last_seen + 1..=newest).collect();
    assert_eq!(replayed_ids, expected, "every missed event, once, in order");
    assert!(replayed.iter().all(|frame| frame["type"] != "snapshot"));
    for id in &ids {
        assert!(
            replayed
                .iter()
                .any(|f| f["type"] == "task_succeeded" && f["task_id"] == id.as_str())
        );
    }

    let mut gone = app
        .socket("/ws/dashboard?last_event_id=999999999", &token)
        .await;
    let resync = gone.next(WAIT).await.unwrap();
    assert_eq!(resync["type"], "resync");
    assert_eq!(gone.next(WAIT).await.unwrap()["type"], "snapshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_consumer_is_closed_while_a_normal_one_keeps_receiving() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.ws.send_queue_frames = 16;
        config.ws.slow_consumer_ms = 500;
    })
    .await;
    let token = app.admin_token().await;
    let mut slow = app.socket("/ws/dashboard", &token).await;
    let mut normal = app.socket("/ws/dashboard", &token).await;
    normal.next(WAIT).await.unwrap();

    // The normal client reads as events come; the slow one reads nothing.
    let reader = tokio::spawn(async move {
        let frames = normal
            .until(Duration::from_secs(60), |frame| frame["task_id"] == "last")
            .await;
        frames.len()
    });
    // 24 MB in bursts: far more than the slow client's socket buffers hold.
    let filler = "x".repeat(8_000);
    for batch in 0..60 {
        for i in 0..50 {
            app.runtime.publish(Event::TaskQueued {
                task_id: format!("filler-{batch}-{i}-{filler}"),
                agent: "seo_optimizer".into(),
                kind: "audit_page".into(),
                workflow_id: None,
            });
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    app.runtime.publish(Event::TaskQueued {
        task_id: "last".into(),
        agent: "seo_optimizer".into(),
        kind: "audit_page".into(),
        workflow_id: None,
    });

    assert!(
        reader.await.unwrap() >= 3_000,
        "the normal client got every event"
    );
    let close = loop {
        match slow.next(Duration::from_secs(10)).await {
            Ok(_) => continue,
            Err(ended) => break ended,
        }
    };
    match close {
        Ended::Closed(Some(frame)) => {
            assert_eq!(frame.code, CloseCode::Again, "{frame:?}");
            assert!(frame.reason.contains("too slow"));
        }
        other => panic!("the slow client was not closed with a reason: {other:?}"),
    }
}
