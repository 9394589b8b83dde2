//! `[sites.cloudflare]`: the account, token and project naming for Pages deploys.

use std::fmt;

use serde::{Deserialize, Serialize};

/// `[sites.cloudflare]` of `cluster.toml`; deploying is on when both the account and the token
/// are set.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CloudflareSettings {
    /// The v4 API's base; tests point it at a local fake.
    pub api_url: String,
    pub account_id: String,
    /// Needs "Cloudflare Pages: Edit"; best given as `EMPIRE_SITES_CLOUDFLARE_API_TOKEN`.
    pub api_token: String,
    /// The Pages project of each site; `{slug}` becomes the site's slug. Created when missing.
    pub project: String,
    /// The production branch: a deployment to it goes live.
    pub branch: String,
    pub timeout_ms: u64,
    /// How long a publish waits for the deployment to go live (0: not at all).
    pub wait_ms: u64,
    /// How often it asks meanwhile.
    pub poll_ms: u64,
}

impl Default for CloudflareSettings {
    fn default() -> Self {
        CloudflareSettings {
            api_url: "https://api.cloudflare.com/client/v4".to_owned(),
            account_id: String::new(),
            api_token: String::new(),
            project: "empire-{slug}".to_owned(),
            branch: "main".to_owned(),
            timeout_ms: 30_000,
            wait_ms: 120_000,
            poll_ms: 2_000,
        }
    }
}

impl fmt::Debug for CloudflareSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudflareSettings")
            .field("api_url", &self.api_url)
            .field("account_id", &self.account_id)
            // Shows whether a token is set, never the token.
            .field(
                "api_token",
                &if self.api_token.is_empty() {
                    ""
                } else {
                    "[redacted]"
                },
            )
            .field("project", &self.project)
            .field("branch", &self.branch)
            .field("timeout_ms", &self.timeout_ms)
            .field("wait_ms", &self.wait_ms)
            .field("poll_ms", &self.poll_ms)
            .finish()
    }
}

impl CloudflareSettings {
    pub fn enabled(&self) -> bool {
        !self.account_id.trim().is_empty() && !self.api_token.trim().is_empty()
    }

    /// The project name for a site: lower-case letters, digits and `-`, at most 58 characters.
    pub fn project_for(&self, slug: &str) -> String {
        self.project.replace("{slug}", slug)
    }

    /// `(setting, value, reason)` for the first bad setting.
    pub fn validate(&self) -> Result<(), (String, String, String)> {
        if !self.enabled() {
            return Ok(());
        }
        let probe = self.project_for("a-site");
        let project_ok = (1..=58).contains(&probe.len())
            && probe
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !project_ok || !self.project.contains("{slug}") {
            return Err((
                "sites.cloudflare.project".into(),
                self.project.clone(),
                "must contain {slug} and otherwise only a-z, 0-9 and `-` (58 characters at most)"
                    .into(),
            ));
        }
        if !(self.api_url.starts_with("https://") || self.api_url.starts_with("http://")) {
            return Err((
                "sites.cloudflare.api_url".into(),
                self.api_url.clone(),
                "must be an http(s) URL".into(),
            ));
        }
        Ok(())
    }
}
