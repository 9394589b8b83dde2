//! A cluster of real `empire` processes on 127.0.0.1 sharing one PostgreSQL database, each
//! started from its own config file (`<node>.toml`), as an operator would start them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::{Value, json};

use super::process::{empire, start_serve};
use super::{ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET};

pub const COOKIE: &str = "cluster-test-cookie-0123456789abcdef";

/// How one node is configured; written to `<name>.toml`.
pub struct NodeConfig {
    pub name: String,
    /// The process-group scope: unique per test, so parallel tests never share agents.
    pub cluster: String,
    pub cluster_port: u16,
    /// How peers reach this node, when not its own address (a proxy in front of it).
    pub advertise_addr: Option<String>,
    pub seeds: Vec<String>,
    pub cookie: String,
    /// The body of `[agents]`, e.g. "content_generator = 0".
    pub agents: String,
    /// TLS for the cluster links: certificate, key and CA files.
    pub tls: Option<[PathBuf; 3]>,
    /// The Redis the nodes share, when not `EMPIRE_TEST_REDIS_URL` (or the local 6379).
    pub redis_url: Option<String>,
}

impl NodeConfig {
    pub fn new(cluster: &str, name: &str, seeds: &[String]) -> NodeConfig {
        NodeConfig {
            name: name.to_owned(),
            cluster: cluster.to_owned(),
            cluster_port: free_port(),
            advertise_addr: None,
            seeds: seeds.to_vec(),
            cookie: COOKIE.to_owned(),
            agents: String::new(),
            tls: None,
            redis_url: None,
        }
    }

    pub fn cluster_addr(&self) -> String {
        format!("127.0.0.1:{}", self.cluster_port)
    }

    fn toml(&self) -> String {
        let seeds: Vec<String> = self
            .seeds
            .iter()
            .map(|seed| format!("\"{seed}\""))
            .collect();
        let advertise = self.advertise_addr.clone().unwrap_or_default();
        let tls = match &self.tls {
            Some([cert, key, ca]) => format!(
                "tls_cert = \"{}\"\ntls_key = \"{}\"\ntls_ca = \"{}\"\n",
                cert.display(),
                key.display(),
                ca.display()
            ),
            None => String::new(),
        };
        format!(
            r#"[node]
name = "{name}"
data_dir = "{name}-data"

[cluster]
enabled = true
name = "{cluster}"
addr = "127.0.0.1:{port}"
advertise_addr = "{advertise}"
seeds = [{seeds}]
heartbeat_ms = 200
heartbeat_timeout_ms = 1500
reconnect_min_ms = 100
reconnect_max_ms = 1000
{tls}
[agents]
{agents}

[tasks]
lease_ms = 3000
renew_ms = 1000
reap_ms = 200
poll_ms = 200
fault_injection = true

[rate_limit]
api = {{ burst = 100000, per_minute = 6000000 }}
"#,
            name = self.name,
            cluster = self.cluster,
            port = self.cluster_port,
            seeds = seeds.join(", "),
            agents = self.agents,
            tls = tls,
        )
    }
}

/// One running node (killed when dropped).
pub struct Node {
    pub name: String,
    pub base: String,
    child: Option<Child>,
    command: Box<dyn Fn() -> Command + Send>,
}

impl Node {
    /// Writes `<dir>/<name>.toml` and starts `empire --config <name>.toml serve` in `dir`.
    pub fn start(dir: &Path, config: &NodeConfig, database_url: &str) -> Node {
        let file: PathBuf = dir.join(format!("{}.toml", config.name));
        std::fs::write(&file, config.toml()).unwrap();
        let (dir, database_url, cookie) = (
            dir.to_owned(),
            database_url.to_owned(),
            config.cookie.clone(),
        );
        // A cluster needs Redis (config validation); the nodes of one test share a namespace.
        let redis_url = config
            .redis_url
            .clone()
            .or_else(super::test_redis_url)
            .unwrap_or_else(|| "redis://127.0.0.1:6379".into());
        let namespace = config.cluster.clone();
        let command = Box::new(move || {
            let mut command = empire(&dir);
            command
                .env("EMPIRE_DATABASE_URL", &database_url)
                .env("EMPIRE_ADMIN_EMAIL", ADMIN_EMAIL)
                .env("EMPIRE_ADMIN_PASSWORD", ADMIN_PASSWORD)
                .env("EMPIRE_JWT_SECRET", JWT_SECRET)
                .env("EMPIRE_CLUSTER_COOKIE", &cookie)
                .env("EMPIRE_REDIS_URL", &redis_url)
                .env("EMPIRE_CACHE_NAMESPACE", &namespace)
                .env("EMPIRE_LOG", "info,empire::access=warn")
                .arg("--config")
                .arg(&file);
            command
        });
        Node::spawn(&config.name, command)
    }

    /// Starts `command()` serving (and again on each `restart`).
    pub fn spawn(name: &str, command: Box<dyn Fn() -> Command + Send>) -> Node {
        let (child, port) = start_serve(command());
        Node {
            name: name.to_owned(),
            base: format!("http://127.0.0.1:{port}"),
            child: Some(child),
            command,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `kill -9`: no shutdown, no release of its tasks.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// Starts the node again from the same config file (on a new HTTP port).
    pub fn restart(&mut self) {
        self.kill9();
        let (child, port) = start_serve((self.command)());
        self.base = format!("http://127.0.0.1:{port}");
        self.child = Some(child);
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill9();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A unique cluster name, so tests running at once never share a process-group scope.
pub fn unique_cluster(test: &str) -> String {
    format!("{test}-{}", uuid::Uuid::new_v4().simple())
}

pub async fn admin_token(client: &Client, node: &Node) -> String {
    admin_token_at(client, &node.base).await
}

/// The admin's login token from the node at `base` (`http://…`).
pub async fn admin_token_at(client: &Client, base: &str) -> String {
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["access_token"].as_str().unwrap().to_owned()
}

/// `GET path` on `node` with `token`, as JSON.
pub async fn get_json(client: &Client, node: &Node, path: &str, token: &str) -> Value {
    client
        .get(node.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// `GET /api/v1/cluster` on `node`: node name → status.
pub async fn statuses(client: &Client, node: &Node, token: &str) -> Vec<(String, String)> {
    let Ok(response) = client
        .get(node.url("/api/v1/cluster"))
        .bearer_auth(token)
        .send()
        .await
    else {
        return Vec::new();
    };
    let view: Value = response.json().await.unwrap_or_default();
    let mut statuses: Vec<(String, String)> = view["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .map(|node| {
                    (
                        node["name"].as_str().unwrap_or_default().to_owned(),
                        node["status"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    statuses.sort();
    statuses
}

/// Polls `check` every 100 ms until it holds, or panics naming `what` after `limit`.
pub async fn eventually<F, Fut>(limit: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Polls `node`'s view of the cluster every 100 ms until `check` holds, or panics naming `what`
/// and the last view after `limit`.
pub async fn until_view(
    client: &Client,
    node: &Node,
    token: &str,
    limit: Duration,
    what: &str,
    check: impl Fn(&[(String, String)]) -> bool,
) {
    let started = Instant::now();
    loop {
        let view = statuses(client, node, token).await;
        if check(&view) {
            return;
        }
        assert!(
            started.elapsed() < limit,
            "{}: {what} not within {limit:?}; it sees {view:?}",
            node.name
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every node `node` sees is up, and they are exactly `names`.
pub async fn sees_all_up(client: &Client, node: &Node, token: &str, names: &[&str]) -> bool {
    let statuses = statuses(client, node, token).await;
    let mut expected: Vec<(String, String)> = names
        .iter()
        .map(|name| ((*name).to_owned(), "up".to_owned()))
        .collect();
    expected.sort();
    statuses == expected
}

/// Submits a fault-injection `sleep` task for `agent` on `node`; returns its id.
pub async fn submit_sleep(
    client: &Client,
    node: &Node,
    token: &str,
    agent: &str,
    ms: u64,
) -> String {
    submit_sleep_at(client, &node.base, token, agent, ms).await
}

/// `submit_sleep` to the node at `base` (`http://…`).
pub async fn submit_sleep_at(
    client: &Client,
    base: &str,
    token: &str,
    agent: &str,
    ms: u64,
) -> String {
    let response = client
        .post(format!("{base}/api/v1/agents/{agent}/tasks"))
        .bearer_auth(token)
        .json(&json!({"kind": "sleep", "input": {"ms": ms}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202, "submit on {base}");
    let task: Value = response.json().await.unwrap();
    task["id"].as_str().unwrap().to_owned()
}

/// Waits until task `id` has succeeded (asked on `node`) and returns it.
pub async fn succeeded(
    client: &Client,
    node: &Node,
    token: &str,
    id: &str,
    within: Duration,
) -> Value {
    let started = Instant::now();
    loop {
        let task = get_json(client, node, &format!("/api/v1/tasks/{id}"), token).await;
        if task["status"] == "succeeded" {
            return task;
        }
        assert!(
            started.elapsed() < within,
            "task {id} did not succeed within {within:?}: {task}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
