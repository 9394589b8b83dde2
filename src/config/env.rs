//! `EMPIRE_*` environment variables, each overriding one key of the file.

use std::fmt::Display;
use std::str::FromStr;

use super::{Config, ConfigError};

/// Every override: the variable and the file key it replaces (shown in `--help` and the README).
pub const OVERRIDES: &[(&str, &str)] = &[
    ("EMPIRE_NODE_NAME", "node.name"),
    ("EMPIRE_HTTP_ADDR", "node.http_addr"),
    ("EMPIRE_DATA_DIR", "node.data_dir"),
    ("EMPIRE_DATABASE_URL", "database.url"),
    ("EMPIRE_DATABASE_POOL_SIZE", "database.pool_size"),
    ("EMPIRE_REDIS_URL", "cache.redis_url"),
    ("EMPIRE_LOG", "log.filter"),
    ("EMPIRE_LOG_FORMAT", "log.format"),
    ("EMPIRE_SLOW_REQUEST_MS", "http.slow_request_ms"),
    ("EMPIRE_CLUSTER_NAME", "cluster.name"),
    ("EMPIRE_CLUSTER_ENABLED", "cluster.enabled"),
    ("EMPIRE_CLUSTER_ADDR", "cluster.addr"),
    ("EMPIRE_CLUSTER_ADVERTISE_ADDR", "cluster.advertise_addr"),
    ("EMPIRE_CLUSTER_COOKIE", "cluster.cookie"),
    (
        "EMPIRE_CLUSTER_SEEDS",
        "cluster.seeds (comma-separated host:port)",
    ),
    ("EMPIRE_CLUSTER_HEARTBEAT_MS", "cluster.heartbeat_ms"),
    (
        "EMPIRE_CLUSTER_HEARTBEAT_TIMEOUT_MS",
        "cluster.heartbeat_timeout_ms",
    ),
    ("EMPIRE_TASKS_LEASE_MS", "tasks.lease_ms"),
    ("EMPIRE_TASKS_RENEW_MS", "tasks.renew_ms"),
    ("EMPIRE_JWT_SECRET", "auth.jwt_secret"),
    ("EMPIRE_ADMIN_EMAIL", "auth.admin_email"),
    ("EMPIRE_ADMIN_PASSWORD", "auth.admin_password"),
    ("EMPIRE_AGENTS", "agents.<agent_id>"),
];

pub fn apply_env(
    config: &mut Config,
    vars: impl Fn(&str) -> Option<String>,
) -> Result<(), ConfigError> {
    let var = |name: &str| vars(name);
    set(&var, "EMPIRE_NODE_NAME", &mut config.node.name)?;
    set(&var, "EMPIRE_HTTP_ADDR", &mut config.node.http_addr)?;
    set(&var, "EMPIRE_DATA_DIR", &mut config.node.data_dir)?;
    set(&var, "EMPIRE_DATABASE_URL", &mut config.database.url)?;
    set(
        &var,
        "EMPIRE_DATABASE_POOL_SIZE",
        &mut config.database.pool_size,
    )?;
    set(&var, "EMPIRE_REDIS_URL", &mut config.cache.redis_url)?;
    set(&var, "EMPIRE_LOG", &mut config.log.filter)?;
    set(
        &var,
        "EMPIRE_SLOW_REQUEST_MS",
        &mut config.http.slow_request_ms,
    )?;
    set(&var, "EMPIRE_CLUSTER_NAME", &mut config.cluster.name)?;
    set(&var, "EMPIRE_CLUSTER_ENABLED", &mut config.cluster.enabled)?;
    set(&var, "EMPIRE_CLUSTER_ADDR", &mut config.cluster.addr)?;
    set(
        &var,
        "EMPIRE_CLUSTER_ADVERTISE_ADDR",
        &mut config.cluster.advertise_addr,
    )?;
    set(&var, "EMPIRE_CLUSTER_COOKIE", &mut config.cluster.cookie)?;
    if let Some(seeds) = var("EMPIRE_CLUSTER_SEEDS") {
        config.cluster.seeds = seeds
            .split(',')
            .map(str::trim)
            .filter(|seed| !seed.is_empty())
            .map(str::to_owned)
            .collect();
    }
    set(
        &var,
        "EMPIRE_CLUSTER_HEARTBEAT_MS",
        &mut config.cluster.heartbeat_ms,
    )?;
    set(
        &var,
        "EMPIRE_CLUSTER_HEARTBEAT_TIMEOUT_MS",
        &mut config.cluster.heartbeat_timeout_ms,
    )?;
    set(&var, "EMPIRE_TASKS_LEASE_MS", &mut config.tasks.lease_ms)?;
    set(&var, "EMPIRE_TASKS_RENEW_MS", &mut config.tasks.renew_ms)?;
    set(&var, "EMPIRE_JWT_SECRET", &mut config.auth.jwt_secret)?;
    set(&var, "EMPIRE_ADMIN_EMAIL", &mut config.auth.admin_email)?;
    set(
        &var,
        "EMPIRE_ADMIN_PASSWORD",
        &mut config.auth.admin_password,
    )?;
    if let Some(agents) = var("EMPIRE_AGENTS") {
        parse_agents(&agents, &mut config.agents).map_err(|reason| ConfigError::Invalid {
            setting: "EMPIRE_AGENTS".into(),
            value: agents.clone(),
            reason,
        })?;
    }
    if let Some(format) = var("EMPIRE_LOG_FORMAT") {
        config.log.format = match format.as_str() {
            "text" => super::LogFormat::Text,
            "json" => super::LogFormat::Json,
            _ => {
                return Err(ConfigError::Invalid {
                    setting: "EMPIRE_LOG_FORMAT".into(),
                    value: format,
                    reason: "expected `text` or `json`".into(),
                });
            }
        };
    }
    Ok(())
}

/// `content_generator=0,seo_optimizer=2`: instance counts of the agents named; others keep theirs.
fn parse_agents(
    text: &str,
    counts: &mut empire_actors::runtime::AgentCounts,
) -> Result<(), String> {
    for pair in text
        .split(',')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
    {
        let (agent, count) = pair
            .split_once('=')
            .ok_or_else(|| format!("`{pair}` is not agent=count"))?;
        let agent: empire_actors::kinds::AgentId = agent
            .trim()
            .parse()
            .map_err(|_| format!("unknown agent `{}`", agent.trim()))?;
        let count: usize = count
            .trim()
            .parse()
            .map_err(|_| format!("`{}` is not a count", count.trim()))?;
        counts.set(agent, count);
    }
    Ok(())
}

fn set<T>(
    var: &impl Fn(&str) -> Option<String>,
    name: &str,
    slot: &mut T,
) -> Result<(), ConfigError>
where
    T: FromStr,
    T::Err: Display,
{
    // Only numbers and addresses can fail to parse, so the value shown is never a secret.
    let Some(value) = var(name) else {
        return Ok(());
    };
    *slot = value
        .parse()
        .map_err(|error: T::Err| ConfigError::Invalid {
            setting: name.into(),
            value: value.clone(),
            reason: error.to_string(),
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn variables_override_the_file() {
        let mut config = Config::default();
        apply_env(
            &mut config,
            env(&[
                ("EMPIRE_HTTP_ADDR", "127.0.0.1:9999"),
                ("EMPIRE_DATA_DIR", "/tmp/x"),
                ("EMPIRE_LOG", "debug"),
            ]),
        )
        .unwrap();
        assert_eq!(config.node.http_addr.port(), 9999);
        assert_eq!(config.node.data_dir.to_str(), Some("/tmp/x"));
        assert_eq!(config.log.filter, "debug");
    }

    #[test]
    fn a_bad_value_names_the_variable() {
        let mut config = Config::default();
        let error =
            apply_env(&mut config, env(&[("EMPIRE_HTTP_ADDR", "not-an-address")])).unwrap_err();
        assert!(error.to_string().contains("EMPIRE_HTTP_ADDR"), "{error}");
    }

    #[test]
    fn agent_counts_parse_from_one_variable() {
        let mut config = Config::default();
        apply_env(
            &mut config,
            env(&[("EMPIRE_AGENTS", "content_generator=0, seo_optimizer=3")]),
        )
        .unwrap();
        assert_eq!(config.agents.content_generator, 0);
        assert_eq!(config.agents.seo_optimizer, 3);
        assert_eq!(config.agents.monetization, 2);
        assert!(apply_env(&mut config, env(&[("EMPIRE_AGENTS", "nobody=1")])).is_err());
    }

    #[test]
    fn every_listed_override_is_applied() {
        for (name, _key) in OVERRIDES {
            let mut config = Config::default();
            let error = apply_env(&mut config, env(&[(name, "%%bad%%")]));
            let changed = format!("{:?}", config) != format!("{:?}", Config::default());
            assert!(
                error.is_err() || changed,
                "{name} is listed but not applied"
            );
        }
    }
}
