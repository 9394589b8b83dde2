//! One `[llm.providers.NAME]` table: which wire format, where, which model, its key, limits and prices.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::secret::{self, Secret};

/// The wire format a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// OpenAI chat completions and compatible servers (Ollama, vLLM, llama.cpp, Gemini's compat endpoint).
    Openai,
    /// Anthropic Messages.
    Anthropic,
    /// Google Gemini `generateContent`.
    Gemini,
    /// The deterministic offline provider: no network, no key, no cost.
    Local,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 4] = [
        ProviderKind::Openai,
        ProviderKind::Anthropic,
        ProviderKind::Gemini,
        ProviderKind::Local,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Openai => "openai",
            ProviderKind::Anthropic => "anthropic",
            ProviderKind::Gemini => "gemini",
            ProviderKind::Local => "local",
        }
    }

    /// The public endpoint used when `base_url` is left empty.
    pub const fn default_base_url(self) -> &'static str {
        match self {
            ProviderKind::Openai => "https://api.openai.com/v1",
            ProviderKind::Anthropic => "https://api.anthropic.com/v1",
            ProviderKind::Gemini => "https://generativelanguage.googleapis.com/v1beta",
            ProviderKind::Local => "",
        }
    }

    /// The model used when `model` is left empty.
    pub const fn default_model(self) -> &'static str {
        match self {
            ProviderKind::Openai => "gpt-4o-mini",
            ProviderKind::Anthropic => "claude-haiku-4-5",
            ProviderKind::Gemini => "gemini-2.5-flash",
            ProviderKind::Local => super::local::LOCAL_MODEL,
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The string was not one of [`ProviderKind::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown provider kind `{0}` (expected openai, anthropic, gemini or local)")]
pub struct UnknownProviderKind(pub String);

impl FromStr for ProviderKind {
    type Err = UnknownProviderKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProviderKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| UnknownProviderKind(s.to_owned()))
    }
}

/// One configured provider. Empty `base_url`/`model` fall back to the kind's defaults; prices of 0
/// on a non-local provider mean "unknown" and are charged at the gateway's conservative default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderSettings {
    pub kind: ProviderKind,
    #[serde(default)]
    pub base_url: String,
    #[serde(default)]
    pub model: String,
    #[serde(default, deserialize_with = "secret::deserialize_optional")]
    pub api_key: Option<Secret>,
    /// 0 = no limit.
    #[serde(default = "default_requests_per_minute")]
    pub requests_per_minute: u32,
    /// 0 = no limit.
    #[serde(default = "default_tokens_per_minute")]
    pub tokens_per_minute: u64,
    #[serde(default)]
    pub eur_per_million_input_tokens: f64,
    #[serde(default)]
    pub eur_per_million_output_tokens: f64,
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
}

pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 500;
pub const DEFAULT_TOKENS_PER_MINUTE: u64 = 200_000;
pub const DEFAULT_TIMEOUT_MS: u64 = 60_000;

fn default_requests_per_minute() -> u32 {
    DEFAULT_REQUESTS_PER_MINUTE
}

fn default_tokens_per_minute() -> u64 {
    DEFAULT_TOKENS_PER_MINUTE
}

fn default_timeout_ms() -> u64 {
    DEFAULT_TIMEOUT_MS
}

impl ProviderSettings {
    /// A provider of `kind` with every other field at its default.
    pub fn new(kind: ProviderKind) -> Self {
        ProviderSettings {
            kind,
            base_url: String::new(),
            model: String::new(),
            api_key: None,
            requests_per_minute: DEFAULT_REQUESTS_PER_MINUTE,
            tokens_per_minute: DEFAULT_TOKENS_PER_MINUTE,
            eur_per_million_input_tokens: 0.0,
            eur_per_million_output_tokens: 0.0,
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }

    /// The base URL without a trailing slash, the kind's default when unset.
    pub fn effective_base_url(&self) -> &str {
        let url = self.base_url.trim();
        let url = if url.is_empty() {
            self.kind.default_base_url()
        } else {
            url
        };
        url.trim_end_matches('/')
    }

    /// The configured model, the kind's default when unset.
    pub fn effective_model(&self) -> &str {
        let model = self.model.trim();
        if model.is_empty() {
            self.kind.default_model()
        } else {
            model
        }
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_like_the_issue_parses_with_defaults() {
        let settings: ProviderSettings = serde_json::from_value(serde_json::json!({
            "kind": "openai",
            "base_url": "https://api.openai.com/v1/",
            "api_key": "",
            "eur_per_million_input_tokens": 0.15,
        }))
        .unwrap();
        assert_eq!(settings.kind, ProviderKind::Openai);
        assert_eq!(settings.api_key, None);
        assert_eq!(settings.effective_base_url(), "https://api.openai.com/v1");
        assert_eq!(settings.effective_model(), "gpt-4o-mini");
        assert_eq!(settings.requests_per_minute, 500);
        assert_eq!(settings.tokens_per_minute, 200_000);
        assert_eq!(settings.timeout_ms, 60_000);
        assert_eq!(settings.eur_per_million_output_tokens, 0.0);
    }

    #[test]
    fn a_key_is_kept_but_never_printed() {
        let settings: ProviderSettings =
            serde_json::from_value(serde_json::json!({"kind": "anthropic", "api_key": "sk-ant-1"}))
                .unwrap();
        assert_eq!(settings.api_key.as_ref().unwrap().expose(), "sk-ant-1");
        assert!(!format!("{settings:?}").contains("sk-ant-1"));
    }

    #[test]
    fn kinds_round_trip_and_unknown_kinds_are_refused() {
        for kind in ProviderKind::ALL {
            assert_eq!(kind.as_str().parse::<ProviderKind>().unwrap(), kind);
        }
        assert!("mistral".parse::<ProviderKind>().is_err());
        assert!(
            serde_json::from_value::<ProviderSettings>(serde_json::json!({"kind": "x"})).is_err()
        );
    }
}
