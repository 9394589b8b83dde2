use std::time::Duration;

use empire_actors::runtime::Event;
use empire_schema::AgentId;
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

fn upgrade(app: &crate::helpers::TestApp, path: &str) -> crate::helpers::client::Call {
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

fn outline_for(website_id: Option<&str>) -> Value {
    let mut body = outline();
    if let Some(website_id) = website_id {
        body["input"]["website_id"] = json!(website_id);
    }
    body
}

async fn submitted_id(app: &crate::helpers::TestApp, token: &str, body: &Value) -> String {
    let response = app.submit(token, "content_generator", body).await;
    assert_eq!(response.status(), 202);
    let task: Value = response.json().await.unwrap();
    task["id"].as_str().unwrap().to_owned()
}

/// Opens a dashboard socket, reads its snapshot and, with `websites`, subscribes to them.
async fn dashboard(
    app: &crate::helpers::TestApp,
    token: &str,
    websites: Option<&[&str]>,
) -> crate::helpers::sockets::Socket {
    let mut socket = app.socket("/ws/dashboard", token).await;
    assert_eq!(socket.next(WAIT).await.unwrap()["type"], "snapshot");
    if let Some(websites) = websites {
        socket
            .send(json!({"type": "subscribe", "websites": websites}))
            .await;
        // Every event after the answer is filtered.
        socket
            .until(WAIT, |frame| frame["type"] == "subscribed")
            .await;
    }
    socket
}

fn succeeded(id: &str) -> impl Fn(&Value) -> bool + '_ {
    move |frame: &Value| frame["type"] == "task_succeeded" && frame["task_id"] == id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_website_filter_passes_the_tasks_of_its_website_only() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    let mut everything = dashboard(&app, &token, None).await;
    let mut site_a = dashboard(&app, &token, Some(&["site-a"])).await;

    // A task for site B and one for no website run to the end before A's is submitted: every
    // frame of theirs is older than A's first, so a filter that let them through would hand
    // them to `site_a` before A's task_succeeded.
    let b = submitted_id(&app, &token, &outline_for(Some("site-b"))).await;
    let none = submitted_id(&app, &token, &outline_for(None)).await;
    // Two instances run them, so either may end first: read until both have.
    let ended = std::cell::RefCell::new(Vec::new());
    let seen = everything
        .until(WAIT, |frame| {
            if succeeded(&b)(frame) || succeeded(&none)(frame) {
                ended.borrow_mut().push(frame["task_id"].clone());
            }
            ended.borrow().len() == 2
        })
        .await;
    let b_frames: Vec<&Value> = seen.iter().filter(|f| f["task_id"] == b.as_str()).collect();
    assert_eq!(b_frames.len(), 3, "{seen:?}");
    assert!(
        b_frames.iter().all(|f| f["website_id"] == "site-b"),
        "{b_frames:?}"
    );
    assert!(
        seen.iter()
            .filter(|f| f["task_id"] == none.as_str())
            .all(|f| f.get("website_id").is_none()),
        "a task for no website names none: {seen:?}"
    );

    let a = submitted_id(&app, &token, &outline_for(Some("site-a"))).await;
    let frames = site_a.until(WAIT, succeeded(&a)).await;
    let events: Vec<&Value> = frames.iter().filter(|f| f["type"] != "metrics").collect();
    assert!(
        events
            .iter()
            .all(|f| f["task_id"] == a.as_str() && f["website_id"] == "site-a"),
        "only site A's task passes: {frames:?}"
    );
    let types: Vec<&str> = events.iter().map(|f| f["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["task_queued", "task_started", "task_succeeded"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_frame_of_a_workflow_for_a_website_names_it() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let token = app.admin_token().await;
    let mut site_a = dashboard(&app, &token, Some(&["site-a"])).await;
    let mut input = crate::runtime::workflows::pipeline_input();
    input["website_id"] = json!("site-a");
    let response = app
        .with(Method::POST, "/api/v1/workflows", &token)
        .json(&json!({"kind": "page_pipeline", "input": input}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let workflow: Value = response.json().await.unwrap();
    let id = workflow["id"].as_str().unwrap().to_owned();

    let frames = site_a
        .until(WAIT, |f| {
            f["type"] == "workflow_progress"
                && f["workflow_id"] == id.as_str()
                && f["status"] != "running"
        })
        .await;
    let events: Vec<&Value> = frames.iter().filter(|f| f["type"] != "metrics").collect();
    assert!(
        events.iter().all(|f| f["website_id"] == "site-a"),
        "{frames:?}"
    );
    assert_eq!(events.last().unwrap()["status"], "succeeded", "{frames:?}");
    let steps: std::collections::BTreeSet<&str> = events
        .iter()
        .filter(|f| f["type"] == "task_succeeded")
        .map(|f| f["task_id"].as_str().unwrap())
        .collect();
    assert_eq!(steps.len(), 4, "every step's task: {frames:?}");
    let progress = events
        .iter()
        .filter(|f| f["type"] == "workflow_progress")
        .count();
    assert_eq!(progress, 4, "{frames:?}");
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
                agent: AgentId::SeoOptimizer,
                kind: "audit_page".into(),
                workflow_id: None,
                website_id: None,
            });
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    app.runtime.publish(Event::TaskQueued {
        task_id: "last".into(),
        agent: AgentId::SeoOptimizer,
        kind: "audit_page".into(),
        workflow_id: None,
        website_id: None,
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
