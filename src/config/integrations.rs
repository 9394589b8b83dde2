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
