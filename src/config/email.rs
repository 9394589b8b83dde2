//! `[integrations.email]`: who sends the mail (double opt-in links, operator alerts). The
//! embedded default `outbox` writes every message to the outbox table and the log and sends
//! nothing; `sendgrid` and `mailgun` send through their HTTP APIs. Keys are environment
//! variables by the usual rule (`EMPIRE_INTEGRATIONS_EMAIL_SENDGRID_API_KEY`) and never shown.

use empire_schema::Secret;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailProvider {
    /// Writes to the outbox table and the log; sends nothing.
    Outbox,
    Sendgrid,
    Mailgun,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmailConfig {
    pub provider: EmailProvider,
    /// The sender, e.g. `news@example.com`.
    pub from_address: String,
    pub from_name: String,
    /// Where operator alerts go; empty sends none.
    pub alert_to: String,
    #[serde(with = "empire_schema::secret::exposed")]
    pub sendgrid_api_key: Secret,
    /// `https://api.sendgrid.com` (EU accounts: `https://api.eu.sendgrid.com`).
    pub sendgrid_base_url: String,
    #[serde(with = "empire_schema::secret::exposed")]
    pub mailgun_api_key: Secret,
    /// The sending domain, e.g. `mg.example.com`.
    pub mailgun_domain: String,
    /// `https://api.mailgun.net` (EU domains: `https://api.eu.mailgun.net`).
    pub mailgun_base_url: String,
    /// Attempts per message before it is `failed`.
    pub max_attempts: u32,
    /// The first retry's delay; each next one doubles (a `Retry-After` wins).
    pub retry_base_ms: u64,
    pub timeout_ms: u64,
    /// How often the outbox is looked at.
    pub poll_ms: u64,
}

impl Default for EmailConfig {
    fn default() -> Self {
        EmailConfig {
            provider: EmailProvider::Outbox,
            from_address: "noreply@empire.invalid".to_owned(),
            from_name: "empire".to_owned(),
            alert_to: String::new(),
            sendgrid_api_key: Secret::default(),
            sendgrid_base_url: "https://api.sendgrid.com".to_owned(),
            mailgun_api_key: Secret::default(),
            mailgun_domain: String::new(),
            mailgun_base_url: "https://api.mailgun.net".to_owned(),
            max_attempts: 8,
            retry_base_ms: 30_000,
            timeout_ms: 10_000,
            poll_ms: 1_000,
        }
    }
}

impl EmailConfig {
    /// `(setting, reason)` for the first bad setting.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let bad =
            |key: &str, reason: &str| Err((format!("integrations.email.{key}"), reason.to_owned()));
        if !looks_like_address(&self.from_address) {
            return bad("from_address", "must be an email address");
        }
        if !self.alert_to.is_empty() && !looks_like_address(&self.alert_to) {
            return bad(
                "alert_to",
                "must be an email address (or empty for no alerts)",
            );
        }
        if self.max_attempts == 0 || self.retry_base_ms == 0 {
            return bad(
                "max_attempts",
                "max_attempts and retry_base_ms must be at least 1",
            );
        }
        match self.provider {
            EmailProvider::Outbox => Ok(()),
            EmailProvider::Sendgrid if self.sendgrid_api_key.is_empty() => {
                bad("sendgrid_api_key", "is required by provider = \"sendgrid\"")
            }
            EmailProvider::Sendgrid => base_url("sendgrid_base_url", &self.sendgrid_base_url),
            EmailProvider::Mailgun if self.mailgun_api_key.is_empty() => {
                bad("mailgun_api_key", "is required by provider = \"mailgun\"")
            }
            EmailProvider::Mailgun if self.mailgun_domain.trim().is_empty() => {
                bad("mailgun_domain", "is required by provider = \"mailgun\"")
            }
            EmailProvider::Mailgun => base_url("mailgun_base_url", &self.mailgun_base_url),
        }
    }

    /// Every secret masked, for printing.
    pub fn redacted(&self) -> EmailConfig {
        let mut shown = self.clone();
        for secret in [&mut shown.sendgrid_api_key, &mut shown.mailgun_api_key] {
            if !secret.is_empty() {
                *secret = "***".into();
            }
        }
        shown
    }
}

fn base_url(key: &str, value: &str) -> Result<(), (String, String)> {
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(()),
        _ => Err((
            format!("integrations.email.{key}"),
            "must be an http(s) URL".to_owned(),
        )),
    }
}

/// A plausible address: `local@domain.tld`, no spaces or angle brackets, at most 254 bytes.
pub fn looks_like_address(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    address.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && address
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"<>,;:\"()[]\\".contains(c))
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_for_shape() {
        for good in [
            "a@example.com",
            "first.last+tag@mail.example.co.uk",
            "empire@localhost.localdomain",
        ] {
            assert!(looks_like_address(good), "{good}");
        }
        for bad in [
            "",
            "a",
            "@example.com",
            "a@",
            "a@example",
            "a b@example.com",
            "a@ex..com",
            "a@example.com>",
            "a@example.com\r\nBcc: x@y.z",
            "a@exa mple.com",
            "a@.example.com",
        ] {
            assert!(!looks_like_address(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_sending_provider_needs_its_key() {
        let mut config = EmailConfig {
            provider: EmailProvider::Sendgrid,
            ..EmailConfig::default()
        };
        assert_eq!(
            config.validate().unwrap_err().0,
            "integrations.email.sendgrid_api_key"
        );
        config.sendgrid_api_key = "SG.key".into();
        assert!(config.validate().is_ok());
        config.provider = EmailProvider::Mailgun;
        config.mailgun_api_key = "key".into();
        assert_eq!(
            config.validate().unwrap_err().0,
            "integrations.email.mailgun_domain"
        );
        assert!(!format!("{:?}", config.redacted()).contains("SG.key"));
    }
}
