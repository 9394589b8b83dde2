//! `[integrations.*]`: the credentials of the networks that report sales to us. Each secret is
//! also an environment variable by the usual rule (`EMPIRE_INTEGRATIONS_DIGISTORE24_IPN_PASSPHRASE`)
//! and is masked wherever the configuration is shown.

use std::time::Duration;

use empire_actors::monetization::networks::{self, AwinApi, Digistore24Api, NetworkApis};
use empire_schema::Secret;
use serde::{Deserialize, Serialize};

use super::email::EmailConfig;
use super::n8n::N8nConfig;

/// The shortest AWIN notification token accepted: the token is the only proof that a push
/// comes from AWIN, so it must not be guessable.
pub const MIN_AWIN_TOKEN_CHARS: usize = 32;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IntegrationsConfig {
    pub awin: AwinConfig,
    pub digistore24: Digistore24Config,
    /// `[integrations.n8n.hooks.NAME]`: inbound hooks.
    pub n8n: N8nConfig,
    /// `[integrations.webhooks]`: outbound event webhooks.
    pub webhooks: WebhooksConfig,
    /// `[integrations.email]`: who sends mail.
    pub email: EmailConfig,
    /// How often a node asks for the networks' books to be pulled (`sync_networks`, one task per
    /// period however many nodes ask); 0 turns the schedule off. Only networks with API
    /// credentials are synced; without any, nothing is scheduled.
    pub sync_every_minutes: u64,
}

impl Default for IntegrationsConfig {
    fn default() -> Self {
        IntegrationsConfig {
            awin: AwinConfig::default(),
            digistore24: Digistore24Config::default(),
            n8n: N8nConfig::default(),
            webhooks: WebhooksConfig::default(),
            email: EmailConfig::default(),
            sync_every_minutes: 60,
        }
    }
}

/// `[integrations.webhooks]`: how events are delivered to subscribers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebhooksConfig {
    /// Lets subscriptions target loopback, private and link-local addresses (a local n8n, the
    /// tests). Off by default: a subscriber could otherwise reach the node's own network.
    pub allow_private_targets: bool,
    /// Attempts per delivery before it is `failed`.
    pub max_attempts: u32,
    /// The first retry's delay; each next one doubles, up to `retry_max_ms`, ±20 % jitter.
    pub retry_base_ms: u64,
    pub retry_max_ms: u64,
    /// A subscription whose every delivery failed for this many days disables itself.
    pub disable_after_days: u32,
    /// Per attempt.
    pub timeout_ms: u64,
    /// How often the outbox is looked at.
    pub poll_ms: u64,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        WebhooksConfig {
            allow_private_targets: false,
            max_attempts: 12,
            retry_base_ms: 5_000,
            retry_max_ms: 3_600_000,
            disable_after_days: 5,
            timeout_ms: 10_000,
            poll_ms: 1_000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AwinConfig {
    /// The secret path segment of `/webhooks/awin/{token}` (at least 32 characters); empty
    /// turns the route off.
    #[serde(with = "empire_schema::secret::exposed")]
    pub notification_token: Secret,
    /// The publisher API's OAuth2 token (ui.awin.com/awin-api); with `publisher_id` it turns
    /// the sync of transactions and programmes on.
    #[serde(with = "empire_schema::secret::exposed")]
    pub api_token: Secret,
    /// Our AWIN publisher id (digits).
    pub publisher_id: String,
    pub api_base_url: String,
    /// The least time between two API calls (AWIN allows 20 a minute).
    pub api_spacing_ms: u64,
}

impl Default for AwinConfig {
    fn default() -> Self {
        AwinConfig {
            notification_token: Secret::default(),
            api_token: Secret::default(),
            publisher_id: String::new(),
            api_base_url: "https://api.awin.com".to_owned(),
            api_spacing_ms: 3_000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Digistore24Config {
    /// The IPN passphrase set in Digistore24's IPN settings; empty turns `/webhooks/digistore24`
    /// off.
    #[serde(with = "empire_schema::secret::exposed")]
    pub ipn_passphrase: Secret,
    /// A read-only API key (`X-DS-API-KEY`); turns the purchases check of the sync on.
    #[serde(with = "empire_schema::secret::exposed")]
    pub api_key: Secret,
    pub api_base_url: String,
}

impl Default for Digistore24Config {
    fn default() -> Self {
        Digistore24Config {
            ipn_passphrase: Secret::default(),
            api_key: Secret::default(),
            api_base_url: "https://www.digistore24.com".to_owned(),
        }
    }
}

/// How long a network API call may take.
const NETWORK_TIMEOUT: Duration = Duration::from_secs(30);

impl IntegrationsConfig {
    /// `(setting, shown value, reason)` for the first bad setting.
    pub fn validate(&self) -> Result<(), (String, String, String)> {
        self.n8n
            .validate()
            .map_err(|(setting, reason)| (setting, String::new(), reason))?;
        self.email
            .validate()
            .map_err(|(setting, reason)| (setting, String::new(), reason))?;
        let hooks = &self.webhooks;
        if hooks.max_attempts == 0
            || hooks.retry_base_ms == 0
            || hooks.retry_max_ms < hooks.retry_base_ms
        {
            return Err((
                "integrations.webhooks".into(),
                format!(
                    "max_attempts={} retry_base_ms={} retry_max_ms={}",
                    hooks.max_attempts, hooks.retry_base_ms, hooks.retry_max_ms
                ),
                "needs max_attempts >= 1 and 0 < retry_base_ms <= retry_max_ms".into(),
            ));
        }
        let awin = &self.awin;
        if awin.api_token.is_empty() != awin.publisher_id.is_empty()
            || (!awin.publisher_id.is_empty()
                && !awin.publisher_id.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err((
                "integrations.awin.publisher_id".into(),
                awin.publisher_id.clone(),
                "api_token and publisher_id (digits) are set together, or neither".into(),
            ));
        }
        for (key, url) in [
            ("integrations.awin.api_base_url", &awin.api_base_url),
            (
                "integrations.digistore24.api_base_url",
                &self.digistore24.api_base_url,
            ),
        ] {
            if !url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
                return Err((key.into(), url.clone(), "must be an http(s) URL".into()));
            }
        }
        let token = self.awin.notification_token.expose();
        if !token.is_empty()
            && (token.chars().count() < MIN_AWIN_TOKEN_CHARS
                || !token
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        {
            return Err((
                "integrations.awin.notification_token".into(),
                format!("<{} characters>", token.chars().count()),
                "must be at least 32 of A-Z a-z 0-9 - _ (it is the only proof a push comes from AWIN)"
                    .into(),
            ));
        }
        Ok(())
    }

    /// The network APIs that have credentials.
    pub fn network_apis(&self) -> reqwest::Result<NetworkApis> {
        let client = networks::client(NETWORK_TIMEOUT)?;
        let awin = (!self.awin.api_token.is_empty()).then(|| {
            AwinApi::new(
                client.clone(),
                &self.awin.api_base_url,
                self.awin.api_token.clone(),
                &self.awin.publisher_id,
                Duration::from_millis(self.awin.api_spacing_ms),
            )
        });
        let digistore24 = (!self.digistore24.api_key.is_empty()).then(|| {
            Digistore24Api::new(
                client,
                &self.digistore24.api_base_url,
                self.digistore24.api_key.clone(),
            )
        });
        Ok(NetworkApis { awin, digistore24 })
    }

    /// Every secret masked, for printing.
    pub fn redacted(&self) -> IntegrationsConfig {
        let mut shown = self.clone();
        shown.n8n = shown.n8n.redacted();
        shown.email = shown.email.redacted();
        for secret in [
            &mut shown.awin.notification_token,
            &mut shown.awin.api_token,
            &mut shown.digistore24.ipn_passphrase,
            &mut shown.digistore24.api_key,
        ] {
            if !secret.is_empty() {
                *secret = "***".into();
            }
        }
        shown
    }
}
