//! The real `empire` binary as a bench's server: its own process, its config file written into
//! `dir`, listening on a free loopback port that it prints on start.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const ADMIN_PASSWORD: &str = "bench admin password";

/// Request limits raised, so a bench measures work, not the limiter.
pub const NO_LIMITS: &str = "[rate_limit]\napi = { burst = 100000000, per_minute = 6000000000 }\nanonymous = { burst = 100000000, per_minute = 6000000000 }\n";

/// Writes `config` to `dir/bench.toml` and starts `empire serve` there with `env` set; returns
/// the process and its port.
pub fn serve(dir: &Path, config: &str, env: &[(&str, &str)]) -> (Child, u16) {
    std::fs::write(dir.join("bench.toml"), config).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_empire"))
        .current_dir(dir)
        .args(["--config", "bench.toml", "serve"])
        .env("EMPIRE_HTTP_ADDR", "127.0.0.1:0")
        .env("EMPIRE_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("EMPIRE_LOG", "info,empire::access=warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let port = read_port(&mut child);
    (child, port)
}

/// The port a starting server prints on stderr (`port=N`); the rest of stderr is drained.
pub fn read_port(child: &mut Child) -> u16 {
    let mut lines = BufReader::new(child.stderr.take().unwrap())
        .lines()
        .map_while(Result::ok);
    let port = lines
        .by_ref()
        .find_map(|line| {
            line.split("port=")
                .nth(1)
                .and_then(|p| p.trim().parse().ok())
        })
        .expect("the server printed its port");
    std::thread::spawn(move || lines.for_each(drop));
    port
}

/// Logs the admin in: a login token.
pub async fn admin_token(base: &str) -> String {
    let login: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "admin@empire.local", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["access_token"].as_str().unwrap().to_owned()
}
