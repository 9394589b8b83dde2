//! One `empire serve` process outside a cluster, as the single-node scenarios run it: short
//! leases, `sleep` tasks allowed, rate limits out of the way of the load.

use std::path::Path;

use crate::helpers::cluster::Node;
use crate::helpers::process::empire;
use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET};

/// The lease a claim holds (ms): a killed node's tasks are retaken this long after their last
/// renewal.
pub const LEASE_MS: u64 = 3000;

/// Writes `<dir>/chaos.toml` and starts the node on `database_url`, with Redis at `redis_url`
/// (`cache_timeout_ms` per Redis call) or the in-process cache.
pub fn start(
    dir: &Path,
    database_url: &str,
    redis_url: Option<&str>,
    cache_timeout_ms: u64,
) -> Node {
    let file = dir.join("chaos.toml");
    std::fs::write(
        &file,
        format!(
            "[node]\nname = \"chaos-1\"\ndata_dir = \"data\"\n\n\
             [cache]\ntimeout_ms = {cache_timeout_ms}\n\n\
             [tasks]\nlease_ms = {LEASE_MS}\nrenew_ms = 1000\nreap_ms = 200\npoll_ms = 200\nfault_injection = true\n\n\
             [rate_limit]\napi = {{ burst = 100000, per_minute = 6000000 }}\n"
        ),
    )
    .unwrap();
    let (dir, database_url) = (dir.to_owned(), database_url.to_owned());
    let redis_url = redis_url.map(str::to_owned);
    Node::spawn(
        "chaos-1",
        Box::new(move || {
            let mut command = empire(&dir);
            command
                .env("EMPIRE_DATABASE_URL", &database_url)
                .env("EMPIRE_ADMIN_EMAIL", ADMIN_EMAIL)
                .env("EMPIRE_ADMIN_PASSWORD", ADMIN_PASSWORD)
                .env("EMPIRE_JWT_SECRET", JWT_SECRET)
                .env("EMPIRE_LOG", "info,empire::access=warn")
                .arg("--config")
                .arg(&file);
            if let Some(redis_url) = &redis_url {
                command.env("EMPIRE_REDIS_URL", redis_url);
            }
            command
        }),
    )
}
