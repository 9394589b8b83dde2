//! `EMPIRE_*` environment variables over the file.
//!
//! The rule: every key `section.key` of the file has the variable `EMPIRE_SECTION_KEY`
//! (upper-cased; nested tables flatten with `_`, so `rate_limit.api.burst` is
//! `EMPIRE_RATE_LIMIT_API_BURST`). A value is read as the key's type: text as is, integers,
//! numbers, `true`/`false`, and lists as comma-separated items (trimmed, empty ones dropped).
//! A few older, shorter names are kept as [`ALIASES`], plus [`AGENTS`] for several agent counts
//! at once; an alias is applied after the generic name, so it wins when both are set.
//! Other `EMPIRE_*` variables are not configuration and are ignored here.

use empire_schema::db::redact_password;
use toml::Value;

use super::{Config, ConfigError};

const PREFIX: &str = "EMPIRE_";

/// Variables whose names differ from the rule, kept as aliases: (variable, file key).
pub const ALIASES: &[(&str, &str)] = &[
    ("EMPIRE_HTTP_ADDR", "node.http_addr"),
    ("EMPIRE_DATA_DIR", "node.data_dir"),
    ("EMPIRE_REDIS_URL", "cache.redis_url"),
    ("EMPIRE_LOG", "log.filter"),
    ("EMPIRE_SLOW_REQUEST_MS", "http.slow_request_ms"),
    ("EMPIRE_JWT_SECRET", "auth.jwt_secret"),
    ("EMPIRE_ADMIN_EMAIL", "auth.admin_email"),
    ("EMPIRE_ADMIN_PASSWORD", "auth.admin_password"),
];

/// `EMPIRE_AGENTS=content_generator=0,seo_optimizer=3`: instance counts of the agents named,
/// applied after the `EMPIRE_AGENTS_<AGENT>` variables.
pub const AGENTS: &str = "EMPIRE_AGENTS";

/// `EMPIRE_*` variables that are not configuration keys (the file, CLI credentials, tests).
const NOT_CONFIG: &[&str] = &["EMPIRE_CONFIG", "EMPIRE_API_KEY", "EMPIRE_USER_PASSWORD"];
const NOT_CONFIG_PREFIXES: &[&str] = &["EMPIRE_TEST_", "EMPIRE_BENCH"];

/// The variable of a file key under the rule: `tasks.lease_ms` → `EMPIRE_TASKS_LEASE_MS`.
pub fn variable_of(key: &str) -> String {
    format!("{PREFIX}{}", key.replace('.', "_").to_uppercase())
}

/// Every variable read, with the file key it sets: the generic names in file order, then the
/// aliases (which win over them), then `EMPIRE_AGENTS`.
pub fn variables() -> Vec<(String, String)> {
    let mut keys = Vec::new();
    if let Ok(tree) = Value::try_from(Config::default()) {
        leaf_keys(&tree, "", &mut keys);
    }
    let mut all: Vec<(String, String)> = keys
        .into_iter()
        .map(|key| (variable_of(&key), key))
        .collect();
    all.extend(
        ALIASES
            .iter()
            .map(|(name, key)| ((*name).to_owned(), (*key).to_owned())),
    );
    all.push((AGENTS.to_owned(), "agents.<agent_id>".to_owned()));
    all
}

/// Whether an `EMPIRE_*` variable is neither a configuration variable nor one of the others
/// the program reads (`EMPIRE_CONFIG`, `EMPIRE_API_KEY`, `EMPIRE_USER_PASSWORD`, `EMPIRE_TEST_*`):
/// probably a typo. Such variables are ignored.
pub fn is_unknown(name: &str, known: &[(String, String)]) -> bool {
    name.starts_with(PREFIX)
        && !NOT_CONFIG.contains(&name)
        && !NOT_CONFIG_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
        && !known.iter().any(|(variable, _)| variable == name)
}

pub fn apply_env(
    config: &mut Config,
    vars: impl Fn(&str) -> Option<String>,
) -> Result<(), ConfigError> {
    let mut tree = Value::try_from(&*config).map_err(|error| ConfigError::Invalid {
        setting: "EMPIRE_*".into(),
        value: String::new(),
        reason: format!("the configuration cannot be represented as TOML: {error}"),
    })?;
    let mut keys = Vec::new();
    leaf_keys(&tree, "", &mut keys);
    let mut changed = false;
    for key in &keys {
        let aliases = ALIASES
            .iter()
            .filter(|(_, aliased)| aliased == key)
            .map(|(name, _)| (*name).to_owned());
        // The alias last, so it wins.
        for name in std::iter::once(variable_of(key)).chain(aliases) {
            let Some(text) = vars(&name) else {
                continue;
            };
            let Some(slot) = leaf_mut(&mut tree, key) else {
                continue;
            };
            let invalid = |reason: String| ConfigError::Invalid {
                setting: name.clone(),
                value: shown(key, &text),
                reason,
            };
            *slot = parse_like(slot, &text).map_err(invalid)?;
            // Checked one at a time, so an error names the variable that caused it.
            tree.clone()
                .try_into::<Config>()
                .map_err(|error| invalid(one_line(error.message())))?;
            changed = true;
        }
    }
    if changed {
        *config = tree.try_into().map_err(|error| ConfigError::Invalid {
            setting: "EMPIRE_*".into(),
            value: String::new(),
            reason: one_line(error.message()),
        })?;
    }
    if let Some(agents) = vars(AGENTS) {
        parse_agents(&agents, &mut config.agents).map_err(|reason| ConfigError::Invalid {
            setting: AGENTS.into(),
            value: agents.clone(),
            reason,
        })?;
    }
    Ok(())
}

/// The dotted keys of every value that is not a table, in order.
fn leaf_keys(value: &Value, path: &str, keys: &mut Vec<String>) {
    match value {
        Value::Table(table) => {
            for (name, value) in table {
                let key = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                leaf_keys(value, &key, keys);
            }
        }
        _ => keys.push(path.to_owned()),
    }
}

fn leaf_mut<'a>(tree: &'a mut Value, key: &str) -> Option<&'a mut Value> {
    key.split('.')
        .try_fold(tree, |value, name| value.get_mut(name))
}

/// `text` read as the type of the value it replaces.
fn parse_like(current: &Value, text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    Ok(match current {
        Value::String(_) => Value::String(text.to_owned()),
        Value::Integer(_) => Value::Integer(
            trimmed
                .parse()
                .map_err(|_| "expected an integer".to_owned())?,
        ),
        Value::Float(_) => Value::Float(
            trimmed
                .parse()
                .map_err(|_| "expected a number".to_owned())?,
        ),
        Value::Boolean(_) => match trimmed {
            "true" => Value::Boolean(true),
            "false" => Value::Boolean(false),
            _ => return Err("expected `true` or `false`".into()),
        },
        Value::Array(_) => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| Value::String(item.to_owned()))
                .collect(),
        ),
        Value::Datetime(_) => Value::Datetime(
            trimmed
                .parse()
                .map_err(|_| "expected a TOML date-time".to_owned())?,
        ),
        Value::Table(_) => return Err("a table has one variable per key".into()),
    })
}

/// The value as an error may show it: never a secret, never a URL's password.
fn shown(key: &str, text: &str) -> String {
    if ["secret", "password", "cookie"]
        .iter()
        .any(|word| key.contains(word))
    {
        format!("<{} characters>", text.chars().count())
    } else if key.contains("url") {
        redact_password(text)
    } else {
        text.to_owned()
    }
}

fn one_line(message: &str) -> String {
    message.lines().collect::<Vec<_>>().join(" ")
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
    fn every_variable_is_applied() {
        for (name, key) in variables() {
            let mut config = Config::default();
            let error = apply_env(&mut config, env(&[(&name, "%%bad%%")]));
            let changed = format!("{:?}", config) != format!("{:?}", Config::default());
            assert!(
                error.is_err() || changed,
                "{name} ({key}) is listed but not applied"
            );
        }
    }

    #[test]
    fn every_key_of_the_shipped_file_has_its_variable() {
        let file: Value = toml::from_str(include_str!("../../cluster.toml")).unwrap();
        let mut keys = Vec::new();
        leaf_keys(&file, "", &mut keys);
        assert!(keys.len() > 50, "{keys:?}");
        let all = variables();
        for key in keys {
            let name = variable_of(&key);
            assert!(
                all.contains(&(name.clone(), key.clone())),
                "{key} has no {name}"
            );
        }
    }

    #[test]
    fn names_are_unique_and_leave_the_other_variables_alone() {
        let all = variables();
        let mut names: Vec<&str> = all.iter().map(|(name, _)| name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len(), "two keys share a variable");
        for other in [
            "EMPIRE_CONFIG",
            "EMPIRE_API_KEY",
            "EMPIRE_USER_PASSWORD",
            "EMPIRE_TEST_DATABASE_URL",
            "EMPIRE_TEST_REDIS_URL",
        ] {
            assert!(!names.contains(&other), "{other}");
            assert!(!is_unknown(other, &all), "{other}");
        }
        assert!(is_unknown("EMPIRE_TASKS_LEASE", &all));
        assert!(!is_unknown("EMPIRE_TASKS_LEASE_MS", &all));
        assert!(!is_unknown("PATH", &all));
    }

    #[test]
    fn nested_keys_flatten_with_underscores() {
        let mut config = Config::default();
        apply_env(
            &mut config,
            env(&[
                ("EMPIRE_RATE_LIMIT_API_BURST", "7"),
                ("EMPIRE_RATE_LIMIT_LOGIN_EMAIL_PER_MINUTE", "2.5"),
                ("EMPIRE_RATE_LIMIT_ANONYMOUS_PER_MINUTE", "30"),
                ("EMPIRE_TASKS_LEASE_MS", "60000"),
                ("EMPIRE_WS_MAX_CONNECTIONS", "5"),
            ]),
        )
        .unwrap();
        assert_eq!(config.rate_limit.api.burst, 7);
        assert_eq!(config.rate_limit.api.per_minute, 600.0);
        assert_eq!(config.rate_limit.login_email.per_minute, 2.5);
        assert_eq!(config.rate_limit.anonymous.per_minute, 30.0);
        assert_eq!(config.tasks.lease_ms, 60_000);
        assert_eq!(config.ws.max_connections, 5);
        assert_eq!(
            config.rate_limit.login_ip,
            Config::default().rate_limit.login_ip
        );
    }

    #[test]
    fn lists_are_comma_separated() {
        let mut config = Config::default();
        apply_env(
            &mut config,
            env(&[
                (
                    "EMPIRE_HTTP_CORS_ORIGINS",
                    " https://a.example.com,, https://b.example.com ,",
                ),
                ("EMPIRE_CLUSTER_SEEDS", "h1:4700, h2:4700"),
            ]),
        )
        .unwrap();
        assert_eq!(
            config.http.cors_origins,
            ["https://a.example.com", "https://b.example.com"]
        );
        assert_eq!(config.cluster.seeds, ["h1:4700", "h2:4700"]);
        apply_env(&mut config, env(&[("EMPIRE_HTTP_CORS_ORIGINS", "")])).unwrap();
        assert!(config.http.cors_origins.is_empty());
    }

    #[test]
    fn booleans_are_true_or_false() {
        let mut config = Config::default();
        apply_env(
            &mut config,
            env(&[
                ("EMPIRE_CLUSTER_ENABLED", "true"),
                ("EMPIRE_HTTP_TRUST_FORWARDED_FOR", "true"),
            ]),
        )
        .unwrap();
        assert!(config.cluster.enabled);
        assert!(config.http.trust_forwarded_for);
        let error = apply_env(&mut config, env(&[("EMPIRE_CLUSTER_ENABLED", "yes")])).unwrap_err();
        assert!(
            error.to_string().contains("EMPIRE_CLUSTER_ENABLED"),
            "{error}"
        );
    }

    #[test]
    fn a_bad_number_names_the_variable_and_the_value() {
        for (name, value) in [
            ("EMPIRE_TASKS_LEASE_MS", "soon"),
            ("EMPIRE_DATABASE_POOL_SIZE", "-1"),
            ("EMPIRE_RATE_LIMIT_API_BURST", "99999999999"),
            ("EMPIRE_RATE_LIMIT_API_PER_MINUTE", "lots"),
            ("EMPIRE_LOG_FORMAT", "xml"),
        ] {
            let mut config = Config::default();
            let error = apply_env(&mut config, env(&[(name, value)])).unwrap_err();
            let shown = error.to_string();
            assert!(
                shown.starts_with(&format!("invalid setting {name}=`{value}`: ")),
                "{shown}"
            );
            assert_eq!(shown.lines().count(), 1, "{shown}");
        }
    }

    #[test]
    fn a_secret_is_never_echoed() {
        let mut config = Config::default();
        apply_env(
            &mut config,
            env(&[
                (
                    "EMPIRE_AUTH_JWT_SECRET",
                    "generic-secret-generic-secret-123",
                ),
                (
                    "EMPIRE_CLUSTER_COOKIE",
                    "cookie-cookie-cookie-cookie-cookie",
                ),
            ]),
        )
        .unwrap();
        assert_eq!(config.auth.jwt_secret, "generic-secret-generic-secret-123");
        assert_eq!(config.cluster.cookie, "cookie-cookie-cookie-cookie-cookie");
        for key in ["auth.jwt_secret", "auth.admin_password", "cluster.cookie"] {
            assert_eq!(shown(key, "hunter2"), "<7 characters>");
        }
        assert_eq!(
            shown("database.url", "postgres://app:hunter2@db/empire"),
            "postgres://app:***@db/empire"
        );
        assert_eq!(shown("tasks.lease_ms", "soon"), "soon");
        // Refused at validation, still without the value.
        let error = Config::load(None, env(&[("EMPIRE_AUTH_JWT_SECRET", "hunter2-short")]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("jwt_secret"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn aliases_still_work_and_win_over_the_generic_name() {
        let mut config = Config::default();
        apply_env(
            &mut config,
            env(&[
                ("EMPIRE_NODE_HTTP_ADDR", "127.0.0.1:1111"),
                ("EMPIRE_HTTP_ADDR", "127.0.0.1:2222"),
                ("EMPIRE_LOG_FILTER", "warn"),
                ("EMPIRE_CACHE_REDIS_URL", "redis://generic:6379"),
                ("EMPIRE_REDIS_URL", "redis://alias:6379"),
                ("EMPIRE_JWT_SECRET", "s".repeat(32).as_str()),
                ("EMPIRE_SLOW_REQUEST_MS", "250"),
                ("EMPIRE_AGENTS_SEO_OPTIMIZER", "5"),
                ("EMPIRE_AGENTS", "seo_optimizer=1"),
                ("EMPIRE_AGENTS_MONETIZATION", "0"),
            ]),
        )
        .unwrap();
        assert_eq!(config.node.http_addr.port(), 2222);
        assert_eq!(config.log.filter, "warn");
        assert_eq!(config.cache.redis_url, "redis://alias:6379");
        assert_eq!(config.auth.jwt_secret.len(), 32);
        assert_eq!(config.http.slow_request_ms, 250);
        assert_eq!(config.agents.seo_optimizer, 1);
        assert_eq!(config.agents.monetization, 0);
    }

    #[test]
    fn unrelated_variables_are_ignored() {
        let mut config = Config::default();
        apply_env(
            &mut config,
            env(&[
                ("EMPIRE_CONFIG", "/etc/empire.toml"),
                ("EMPIRE_API_KEY", "mfm_secret"),
                ("EMPIRE_USER_PASSWORD", "a long enough password"),
                ("EMPIRE_TEST_DATABASE_URL", "postgres://x@y/z"),
                ("EMPIRE_NO_SUCH_KEY", "1"),
            ]),
        )
        .unwrap();
        assert_eq!(format!("{config:?}"), format!("{:?}", Config::default()));
    }
}
