//! Configuration: `cluster.toml` (or `--config PATH`), then `EMPIRE_*` environment variables over it.
//! Every value is checked at load, so a bad setting stops the process with one line naming it.

mod debug;
mod defaults;
mod email;
mod env;
mod integrations;
mod leads;
mod llm;
mod n8n;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use empire_actors::cluster::ClusterSettings;
use empire_schema::db::redact_password;
use empire_schema::{DatabaseUrl, Secret};
use serde::{Deserialize, Serialize};

pub use email::{EmailConfig, EmailProvider, looks_like_address};
pub use env::{ALIASES, apply_env, is_unknown, variables};
pub use integrations::{AwinConfig, Digistore24Config, IntegrationsConfig, WebhooksConfig};
pub use leads::{LeadsConfig, PersonaRule};
pub use llm::{LlmConfig, ProviderConfig};
pub use n8n::{HookConfig, HookTarget, N8nConfig};

/// The file read when no `--config` / `EMPIRE_CONFIG` is given (if it exists).
pub const DEFAULT_CONFIG_FILE: &str = "cluster.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("invalid config file {path}: {reason}")]
    Syntax { path: String, reason: String },
    #[error("invalid setting {setting}=`{value}`: {reason}")]
    Invalid {
        setting: String,
        value: String,
        reason: String,
    },
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub node: NodeConfig,
    pub http: HttpConfig,
    pub auth: AuthConfig,
    pub database: DatabaseConfig,
    pub cache: CacheConfig,
    pub rate_limit: crate::ratelimit::RateLimitConfig,
    pub agents: empire_actors::runtime::AgentCounts,
    pub tasks: empire_actors::runtime::TaskSettings,
    pub ws: crate::ws::WsConfig,
    pub log: LogConfig,
    pub cluster: ClusterSettings,
    pub llm: LlmConfig,
    pub web: empire_actors::intelligence::web::WebSettings,
    pub sites: empire_actors::website_builder::sites::SiteSettings,
    pub integrations: IntegrationsConfig,
    pub leads: LeadsConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NodeConfig {
    pub name: String,
    pub http_addr: SocketAddr,
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Requests slower than this are logged as warnings.
    pub slow_request_ms: u64,
    /// How long a shutdown waits for in-flight requests.
    pub shutdown_timeout_s: u64,
    /// HTTP worker threads; 0 means one per CPU core.
    pub workers: usize,
    /// Largest request body accepted; larger ones get 413.
    pub body_limit_bytes: usize,
    /// Largest file `POST /api/v1/imports` accepts (it is streamed into the database in
    /// chunks, never held in memory); larger ones get 413 and nothing stays stored.
    pub import_limit_bytes: u64,
    /// Origins allowed to call the API from a browser (CORS); none by default.
    pub cors_origins: Vec<String>,
    /// Proxies (CIDRs or addresses) whose `X-Forwarded-For` is believed: the client is the
    /// right-most address not in this list. Empty: the TCP peer is the client.
    pub trusted_proxies: crate::extract::TrustedProxies,
    /// Where `/metrics` is served instead of the main listener (e.g. `127.0.0.1:9090`, port 0
    /// for any); empty means on the main listener.
    pub metrics_addr: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// HS256 secret, at least 32 bytes; empty means generated once into `<data_dir>/jwt_secret`.
    /// Best given as `EMPIRE_JWT_SECRET` rather than in the file.
    #[serde(with = "empire_schema::secret::exposed")]
    pub jwt_secret: Secret,
    pub token_ttl_s: u64,
    pub issuer: String,
    pub audience: String,
    /// Clock skew tolerated on `exp`/`nbf`.
    pub leeway_s: u64,
    /// How long a node trusts its cached copy of a user's permissions or an API key; a
    /// revocation or demotion reaches every node within this time (at most 5 s).
    pub credential_cache_ms: u64,
    /// The first admin, created when no user exists (`EMPIRE_ADMIN_EMAIL`).
    pub admin_email: String,
    /// Its password (`EMPIRE_ADMIN_PASSWORD`); empty means generate one and print it once.
    #[serde(with = "empire_schema::secret::exposed")]
    pub admin_password: Secret,
}

/// `Debug` (in `debug.rs`) masks the URL's password.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` or `postgres://…`; empty means `sqlite://<data_dir>/empire.db`.
    pub url: String,
    pub pool_size: u32,
    /// How long a request waits for a connection before answering 503.
    pub connect_timeout_ms: u64,
}

/// `Debug` (in `debug.rs`) masks the URL's password.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CacheConfig {
    /// `redis://…`; empty means the in-process cache.
    pub redis_url: String,
    /// Prefix of every Redis key, so several deployments can share one Redis.
    pub namespace: String,
    /// Entry cap of each space of the in-process cache (revocations, login counters, cached
    /// credentials, rate buckets), so one kind cannot push out another.
    pub memory_capacity: usize,
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// A tracing filter, e.g. `info` or `info,empire=debug`.
    pub filter: String,
    /// `text` or `json`.
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// Reads `path` (or `cluster.toml` when present), applies the environment, and validates.
    pub fn load(
        path: Option<&Path>,
        vars: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let mut config = match path {
            Some(path) => Config::from_file(path)?,
            None if Path::new(DEFAULT_CONFIG_FILE).exists() => {
                Config::from_file(Path::new(DEFAULT_CONFIG_FILE))?
            }
            None => Config::default(),
        };
        apply_env(&mut config, vars)?;
        config.validate()?;
        Ok(config)
    }

    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Unreadable {
            path: shown.clone(),
            reason: error.to_string(),
        })?;
        Config::from_toml(&text, &shown)
    }

    /// The settings of a config file's text; `shown` names the file in an error.
    pub fn from_toml(text: &str, shown: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|error| ConfigError::Syntax {
            path: shown.to_owned(),
            reason: error.to_string().lines().collect::<Vec<_>>().join(" "),
        })
    }

    /// The address `/metrics` has to itself, if any (`http.metrics_addr`).
    pub fn metrics_addr(&self) -> Result<Option<SocketAddr>, ConfigError> {
        let text = self.http.metrics_addr.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| {
            invalid(
                "http.metrics_addr",
                text,
                "expected an address like 127.0.0.1:9090",
            )
        })
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        self.database_url()?;
        if self.database.pool_size == 0 {
            return Err(invalid("database.pool_size", "0", "must be at least 1"));
        }
        if let Some(url) = self.redis_url()
            && !(url.starts_with("redis://") || url.starts_with("rediss://"))
        {
            let shown = redact_password(url);
            return Err(invalid(
                "cache.redis_url",
                &shown,
                "expected redis://HOST:PORT",
            ));
        }
        if let Err(error) = tracing_subscriber::EnvFilter::try_new(&self.log.filter) {
            return Err(invalid("log.filter", &self.log.filter, &error.to_string()));
        }
        if let Err(reason) = self.tasks.validate() {
            return Err(invalid("tasks", "", &reason.to_string()));
        }
        self.rate_limit
            .validate()
            .map_err(|error| invalid(&error.setting, &error.value, &error.reason))?;
        self.integrations
            .validate()
            .map_err(|(setting, value, reason)| invalid(&setting, &value, &reason))?;
        self.leads
            .validate()
            .map_err(|(setting, reason)| invalid(&setting, "", &reason))?;
        let secret_len = self.auth.jwt_secret.expose().len();
        if secret_len > 0 && secret_len < crate::auth::secret::MIN_SECRET_BYTES {
            let shown = format!("<{secret_len} bytes>");
            return Err(invalid(
                "auth.jwt_secret (EMPIRE_JWT_SECRET)",
                &shown,
                "must be at least 32 bytes",
            ));
        }
        if self.auth.leeway_s > 300 {
            let shown = self.auth.leeway_s.to_string();
            return Err(invalid(
                "auth.leeway_s",
                &shown,
                "at most 300, so an expired token is refused within 5 minutes",
            ));
        }
        if self.auth.credential_cache_ms > 5_000 {
            let shown = self.auth.credential_cache_ms.to_string();
            return Err(invalid(
                "auth.credential_cache_ms",
                &shown,
                "at most 5000, so revocations apply within 5 s",
            ));
        }
        self.ws
            .validate()
            .map_err(|(setting, reason)| invalid(setting, "0", reason))?;
        for origin in &self.http.cors_origins {
            let valid = url::Url::parse(origin).is_ok_and(|url| {
                matches!(url.scheme(), "http" | "https")
                    && url.host().is_some()
                    && url.path() == "/"
            });
            if !valid || origin.ends_with('/') {
                return Err(invalid(
                    "http.cors_origins",
                    origin,
                    "expected an origin like https://app.example.com",
                ));
            }
        }
        self.metrics_addr()?;
        if self.node.name.trim().is_empty() || self.node.name.contains('@') {
            return Err(invalid(
                "node.name",
                &self.node.name,
                "must not be empty or contain `@`",
            ));
        }
        self.llm
            .validate()
            .map_err(|(setting, value, reason)| invalid(&setting, &value, &reason))?;
        self.sites
            .validate()
            .map_err(|(setting, value, reason)| invalid(&setting, &value, &reason))?;
        self.cluster.validate().map_err(|(setting, reason)| {
            let shown = if setting.starts_with("cluster.cookie") {
                format!(
                    "<{} characters>",
                    self.cluster.cookie.expose().chars().count()
                )
            } else {
                String::new()
            };
            invalid(setting, &shown, &reason)
        })?;
        if self.cluster.enabled {
            if let DatabaseUrl::Sqlite(_) = self.database_url()? {
                return Err(invalid(
                    "database.url (EMPIRE_DATABASE_URL)",
                    "sqlite",
                    "a cluster shares one PostgreSQL database: set postgres://… on every node (SQLite serves a single node only)",
                ));
            }
            if self.redis_url().is_none() {
                return Err(invalid(
                    "cache.redis_url (EMPIRE_REDIS_URL)",
                    "",
                    "a cluster shares logouts and rate limits through Redis: set redis://… on every node",
                ));
            }
            if self.auth.jwt_secret.is_empty() {
                return Err(invalid(
                    "auth.jwt_secret (EMPIRE_JWT_SECRET)",
                    "",
                    "the nodes of a cluster accept each other's tokens: set the same secret (>= 32 bytes) on every node",
                ));
            }
        }
        Ok(())
    }

    pub fn database_url(&self) -> Result<DatabaseUrl, ConfigError> {
        if self.database.url.is_empty() {
            return Ok(DatabaseUrl::Sqlite(self.node.data_dir.join("empire.db")));
        }
        self.database
            .url
            .parse()
            .map_err(|error: empire_schema::StoreError| {
                let shown = redact_password(&self.database.url);
                invalid("database.url", &shown, &error.to_string())
            })
    }

    pub fn redis_url(&self) -> Option<&str> {
        Some(self.cache.redis_url.as_str()).filter(|url| !url.is_empty())
    }

    pub fn slow_request(&self) -> Duration {
        Duration::from_millis(self.http.slow_request_ms)
    }

    /// The effective configuration with passwords and the cluster cookie masked.
    pub fn redacted(&self) -> Config {
        let mut shown = self.clone();
        shown.database.url = redact_password(&shown.database.url);
        shown.cache.redis_url = redact_password(&shown.cache.redis_url);
        shown.llm = shown.llm.redacted();
        shown.sites = shown.sites.redacted();
        shown.integrations = shown.integrations.redacted();
        for secret in [
            &mut shown.cluster.cookie,
            &mut shown.auth.jwt_secret,
            &mut shown.auth.admin_password,
        ] {
            if !secret.is_empty() {
                *secret = "***".into();
            }
        }
        shown
    }
}

fn invalid(setting: &str, value: &str, reason: &str) -> ConfigError {
    ConfigError::Invalid {
        setting: setting.into(),
        value: value.into(),
        reason: reason.into(),
    }
}
