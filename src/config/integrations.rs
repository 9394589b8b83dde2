//! `[integrations.*]`: the credentials of the networks that report sales to us. Each secret is
//! also an environment variable by the usual rule (`EMPIRE_INTEGRATIONS_DIGISTORE24_IPN_PASSPHRASE`)
//! and is masked wherever the configuration is shown.

use empire_schema::Secret;
use serde::{Deserialize, Serialize};

use super::n8n::N8nConfig;

/// The shortest AWIN notification token accepted: the token is the only proof that a push
/// comes from AWIN, so it must not be guessable.
pub const MIN_AWIN_TOKEN_CHARS: usize = 32;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IntegrationsConfig {
    pub awin: AwinConfig,
    pub digistore24: Digistore24Config,
    /// `[integrations.n8n.hooks.NAME]`: inbound hooks.
    pub n8n: N8nConfig,
    /// `[integrations.webhooks]`: outbound event webhooks.
    pub webhooks: WebhooksConfig,
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

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AwinConfig {
    /// The secret path segment of `/webhooks/awin/{token}` (at least 32 characters); empty
    /// turns the route off.
    #[serde(with = "empire_schema::secret::exposed")]
    pub notification_token: Secret,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Digistore24Config {
    /// The IPN passphrase set in Digistore24's IPN settings; empty turns `/webhooks/digistore24`
    /// off.
    #[serde(with = "empire_schema::secret::exposed")]
    pub ipn_passphrase: Secret,
}

impl IntegrationsConfig {
    /// `(setting, shown value, reason)` for the first bad setting.
    pub fn validate(&self) -> Result<(), (String, String, String)> {
        self.n8n
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

    /// Every secret masked, for printing.
    pub fn redacted(&self) -> IntegrationsConfig {
        let mut shown = self.clone();
        shown.n8n = shown.n8n.redacted();
        for secret in [
            &mut shown.awin.notification_token,
            &mut shown.digistore24.ipn_passphrase,
        ] {
            if !secret.is_empty() {
                *secret = "***".into();
            }
        }
        shown
    }
}
