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
/// Keys of tables named in the file (`[llm.providers.NAME]`): known only once the file is read.
const FILE_NAMED_PREFIXES: &[&str] = &[
    "EMPIRE_LLM_PROVIDERS_",
    "EMPIRE_LLM_CHAINS_",
    "EMPIRE_INTEGRATIONS_N8N_HOOKS_",
];

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
            .chain(FILE_NAMED_PREFIXES)
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
            *slot = parse_like(slot, &text).map_err(|error| invalid(error.to_string()))?;
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
        parse_agents(&agents, &mut config.agents).map_err(|error| ConfigError::Invalid {
            setting: AGENTS.into(),
            value: agents.clone(),
            reason: error.to_string(),
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

/// Why a variable's text does not fit the setting it overrides.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum BadValue {
    #[error("expected an integer")]
    Integer,
    #[error("expected a number")]
    Number,
    #[error("expected `true` or `false`")]
    Boolean,
    #[error("expected a TOML date-time")]
    DateTime,
    #[error("a table has one variable per key")]
    Table,
    #[error("`{0}` is not agent=count")]
    AgentPair(String),
    #[error("unknown agent `{0}`")]
    Agent(String),
    #[error("`{0}` is not a count")]
    Count(String),
}

/// `text` read as the type of the value it replaces.
fn parse_like(current: &Value, text: &str) -> Result<Value, BadValue> {
    let trimmed = text.trim();
    Ok(match current {
        Value::String(_) => Value::String(text.to_owned()),
        Value::Integer(_) => Value::Integer(trimmed.parse().map_err(|_| BadValue::Integer)?),
        Value::Float(_) => Value::Float(trimmed.parse().map_err(|_| BadValue::Number)?),
        Value::Boolean(_) => match trimmed {
            "true" => Value::Boolean(true),
            "false" => Value::Boolean(false),
            _ => return Err(BadValue::Boolean),
        },
        Value::Array(_) => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| Value::String(item.to_owned()))
                .collect(),
        ),
        Value::Datetime(_) => Value::Datetime(trimmed.parse().map_err(|_| BadValue::DateTime)?),
        Value::Table(_) => return Err(BadValue::Table),
    })
}

/// The value as an error may show it: never a secret, never a URL's password.
fn shown(key: &str, text: &str) -> String {
    if ["secret", "password", "cookie", "api_key", "token"]
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
) -> Result<(), BadValue> {
    for pair in text
        .split(',')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
    {
        let (agent, count) = pair
            .split_once('=')
            .ok_or_else(|| BadValue::AgentPair(pair.to_owned()))?;
        let agent: empire_actors::kinds::AgentId = agent
            .trim()
            .parse()
            .map_err(|_| BadValue::Agent(agent.trim().to_owned()))?;
        let count: usize = count
            .trim()
            .parse()
            .map_err(|_| BadValue::Count(count.trim().to_owned()))?;
        counts.set(agent, count);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
