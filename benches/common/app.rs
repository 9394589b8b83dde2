//! The in-process app the HTTP-driving benches start: loopback on a free port, the admin's
//! password and a JWT secret set, request limits raised so the bench measures work, not the
//! limiter.

use std::net::SocketAddr;
use std::path::Path;

use empire::config::Config;
use empire::startup::Application;
use serde_json::{Value, json};

const ADMIN_PASSWORD: &str = "bench admin password";

/// The configuration every bench starts from, with its data in `data_dir`.
pub fn bench_config(data_dir: &Path) -> Config {
    let mut config = Config::default();
    config.node.http_addr = SocketAddr::from(([127, 0, 0, 1], 0));
    config.node.data_dir = data_dir.to_path_buf();
    config.auth.admin_password = ADMIN_PASSWORD.into();
    config.auth.jwt_secret = "bench-secret-of-at-least-thirty-two-bytes".into();
    config.rate_limit.api.burst = 1_000_000;
    config.rate_limit.api.per_minute = 60_000_000.0;
    // The drivers call public routes (the beacon) from one address.
    config.rate_limit.anonymous.burst = 1_000_000;
    config.rate_limit.anonymous.per_minute = 60_000_000.0;
    config
}

/// Starts the app and logs the admin in: the base URL and a login token.
pub async fn serve(config: Config) -> (String, String) {
    let app = Application::build(config).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let login: Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "admin@empire.local", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    (base, token)
}
