//! Sockets end with their credential and keep to their limits: a logout, a revoked key, an
//! expired token or a lost permission closes them with 1008 within `auth.credential_cache_ms`;
//! a chatty client does not put the check off;
//! a message over `ws.max_frame_bytes`, even in fragments, closes them with 1009 unprocessed;
//! worker mode checks `Origin`; one credential holds at most `ws.max_sockets_per_credential`.

use std::time::Duration;

use empire::config::Config;
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::helpers::auth::problem;
use crate::helpers::client::Call;
use crate::helpers::sockets::{Ended, Socket};
use crate::helpers::{TestApp, TestBackend, backends, spawn_app, spawn_app_with};

const WAIT: Duration = Duration::from_secs(10);
const WORKER: &str = "/ws/agents/seo_optimizer?mode=worker";

fn quick_rechecks(config: &mut Config) {
    config.auth.credential_cache_ms = 200;
}

fn upgrade(app: &TestApp, path: &str) -> Call {
    app.client
        .request(Method::GET, app.url(path))
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
}

/// Opens a socket and reads its first frame (`snapshot`, or `registered` for a worker).
async fn opened(app: &TestApp, path: &str, credential: &str) -> Socket {
    let mut socket = app.socket(path, credential).await;
    let first = socket.next(WAIT).await.unwrap();
    assert!(
        first["type"] == "snapshot" || first["type"] == "registered",
        "{first}"
    );
    socket
}

/// Reads until the server closes; asserts 1008 and returns the reason.
async fn policy_close(socket: &mut Socket) -> String {
    let (_, close) = socket.closed(WAIT).await;
    let close = close.expect("a close frame");
    assert_eq!(close.code, CloseCode::Policy, "{close:?}");
    close.reason.to_string()
}

/// A socket that is still open answers a ping.
async fn still_open(socket: &mut Socket) {
    socket.send(json!({"type": "ping"})).await;
    socket.until(WAIT, |frame| frame["type"] == "pong").await;
}

async fn user_id(app: &TestApp, token: &str) -> String {
    let me: Value = app
        .with(Method::GET, "/api/v1/auth/me", token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    me["user_id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logout_closes_that_sessions_sockets_with_1008() {
    for backend in backends() {
        let app = spawn_app_with(backend, quick_rechecks).await;
        let token = app.admin_token().await;
        let other = app.admin_token().await;
        let mut dashboard = opened(&app, "/ws/dashboard", &token).await;
        let mut watcher = opened(&app, "/ws/agents/seo_optimizer", &token).await;
        let mut kept = opened(&app, "/ws/dashboard", &other).await;

        let response = app.with(Method::POST, "/api/v1/auth/logout", &token).send();
        assert_eq!(response.await.unwrap().status(), 204, "{backend:?}");
        let reason = policy_close(&mut dashboard).await;
        assert!(reason.contains("revoked"), "{reason}");
        policy_close(&mut watcher).await;
        still_open(&mut kept).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_key_closes_its_worker_with_1008() {
    for backend in backends() {
        let app = spawn_app_with(backend, quick_rechecks).await;
        let admin = app.admin_token().await;
        let (key, id) = app.api_key(&admin, &["agents.read", "agents.manage"]).await;
        let (other, _) = app.api_key(&admin, &["agents.read", "agents.manage"]).await;
        let mut worker = opened(&app, WORKER, &key).await;
        let mut kept = opened(&app, "/ws/dashboard", &other).await;

        let path = format!("/api/v1/auth/api-keys/{id}");
        let response = app.with(Method::DELETE, &path, &admin).send();
        assert_eq!(response.await.unwrap().status(), 204, "{backend:?}");
        let reason = policy_close(&mut worker).await;
        assert!(reason.contains("revoked"), "{reason}");
        still_open(&mut kept).await;
    }
}

/// The check runs in the socket's own task, which every client message wakes: a check in flight
/// must survive those wake-ups, or a chatty client would keep a revoked key's socket open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_key_closes_its_dashboard_while_the_client_keeps_talking() {
    let app = spawn_app_with(TestBackend::Sqlite, quick_rechecks).await;
    let admin = app.admin_token().await;
    let (key, id) = app.api_key(&admin, &["agents.read"]).await;
    let mut dashboard = opened(&app, "/ws/dashboard", &key).await;

    let path = format!("/api/v1/auth/api-keys/{id}");
    let response = app.with(Method::DELETE, &path, &admin).send();
    assert_eq!(response.await.unwrap().status(), 204);
    let deadline = tokio::time::Instant::now() + WAIT;
    let close = loop {
        dashboard.send(json!({"type": "ping"})).await;
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match dashboard.next(left).await {
            Ok(_) => continue,
            Err(Ended::Closed(close)) => break close.expect("a close frame"),
            Err(Ended::TimedOut) => panic!("still open after {WAIT:?} of pings"),
        }
    };
    assert_eq!(close.code, CloseCode::Policy, "{close:?}");
    assert!(close.reason.contains("revoked"), "{close:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn losing_a_permission_closes_the_sockets_that_need_it() {
    let app = spawn_app_with(TestBackend::Sqlite, quick_rechecks).await;
    let admin = app.admin_token().await;
    let user = app
        .user_with("ops@test.local", &["agents.read", "agents.manage"])
        .await;
    let (key, _) = app.api_key(&user, &["agents.read", "agents.manage"]).await;
    let mut worker = opened(&app, WORKER, &key).await;
    let mut watcher = opened(&app, "/ws/agents/seo_optimizer", &key).await;
    let mut session = opened(&app, "/ws/dashboard", &user).await;

    let path = format!("/api/v1/users/{}", user_id(&app, &user).await);
    let demote = json!({ "permissions": ["agents.read"] });
    let response = app.with(Method::PATCH, &path, &admin).json(&demote).send();
    assert_eq!(response.await.unwrap().status(), 200);

    // The key now holds agents.read only: it may watch, not work.
    let reason = policy_close(&mut worker).await;
    assert!(reason.contains("agents.manage"), "{reason}");
    // A demotion ends the user's login tokens.
    let reason = policy_close(&mut session).await;
    assert!(reason.contains("session ended"), "{reason}");
    still_open(&mut watcher).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_closes_when_its_token_expires() {
    // Re-checks are rare here, and the token is still accepted for leeway_s after `exp`: only
    // the socket's own deadline can close it this early.
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.auth.token_ttl_s = 2;
        config.auth.credential_cache_ms = 5_000;
    })
    .await;
    let token = app.admin_token().await;
    let mut socket = opened(&app, "/ws/dashboard", &token).await;
    assert_eq!(policy_close(&mut socket).await, "the token expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fragmented_message_over_the_cap_closes_with_1009_unprocessed() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.ws.max_frame_bytes = 1024;
    })
    .await;
    let admin = app.admin_token().await;
    let mut socket = opened(&app, "/ws/dashboard", &admin).await;
    let subscribe = |padding: usize| format!(r#"{{"type":"subscribe"{}}}"#, " ".repeat(padding));

    // Fragments within the cap together make one message.
    socket.send_fragments(&subscribe(600), 3).await;
    socket
        .until(WAIT, |frame| frame["type"] == "subscribed")
        .await;
    // Each fragment is within the cap, all of them are not.
    socket.send_fragments(&subscribe(2_400), 3).await;
    let (frames, close) = socket.closed(WAIT).await;
    assert!(
        frames.iter().all(|frame| frame["type"] != "subscribed"),
        "{frames:?}"
    );
    assert_eq!(close.expect("a close frame").code, CloseCode::Size);

    let (key, _) = app.api_key(&admin, &["agents.read", "agents.manage"]).await;
    let mut worker = opened(&app, WORKER, &key).await;
    let heartbeat = format!(r#"{{"type":"heartbeat"{}}}"#, " ".repeat(2_400));
    worker.send_fragments(&heartbeat, 3).await;
    let (frames, close) = worker.closed(WAIT).await;
    assert!(frames.is_empty(), "{frames:?}");
    assert_eq!(close.expect("a close frame").code, CloseCode::Size);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_mode_checks_origin_like_the_dashboard() {
    let app = spawn_app(TestBackend::Sqlite).await;
    let admin = app.admin_token().await;
    let (key, _) = app.api_key(&admin, &["agents.read", "agents.manage"]).await;
    let path = format!("{WORKER}&token={key}");
    let foreign = upgrade(&app, &path)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    let body = problem(foreign, 403).await;
    assert!(
        body["detail"].as_str().unwrap().contains("origin"),
        "{body}"
    );
    let own = upgrade(&app, &path)
        .header("origin", app.address.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 101);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_credential_holds_at_most_max_sockets_per_credential() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.ws.max_sockets_per_credential = 2;
    })
    .await;
    let token = app.admin_token().await;
    let first = opened(&app, "/ws/dashboard", &token).await;
    let _second = opened(&app, "/ws/agents/seo_optimizer", &token).await;

    let path = format!("/ws/dashboard?token={token}");
    let refused = upgrade(&app, &path).send().await.unwrap();
    assert!(refused.headers().contains_key("retry-after"));
    let body = problem(refused, 429).await;
    assert!(
        body["detail"].as_str().unwrap().contains("2 open sockets"),
        "{body}"
    );
    // Another credential of the same user has its own allowance.
    let other = app.admin_token().await;
    let _third = opened(&app, "/ws/dashboard", &other).await;

    // A closed socket gives its place back once the server has seen the close.
    first.close().await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let status = upgrade(&app, &path).send().await.unwrap().status();
        if status == 101 {
            break;
        }
        assert_eq!(status, 429);
        assert!(tokio::time::Instant::now() < deadline, "never given back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
