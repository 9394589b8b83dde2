//! `[llm]` as the file spells it: EUR amounts and plain-text keys (so that `EMPIRE_LLM_PROVIDERS_
//! <NAME>_API_KEY` can set them under the generic rule), turned into the gateway's settings once.

use std::collections::BTreeMap;
use std::fmt;

use empire_actors::intelligence::llm::{LlmSettings, ProviderKind, ProviderSettings, Secret};
use serde::{Deserialize, Serialize};

const MICROS_PER_EUR: f64 = 1_000_000.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LlmConfig {
    /// The default fallback chain of provider names.
    pub chain: Vec<String>,
    /// The whole cluster's spend per UTC day; 0 = no limit. `PUT /api/v1/llm/budgets` overrides it.
    pub budget_eur_per_day: f64,
    /// `[llm.providers.NAME]`, any name; `local` (offline) is always there.
    pub providers: BTreeMap<String, ProviderConfig>,
    /// Chains per task kind, e.g. `research = ["anthropic", "openai", "local"]`.
    pub chains: BTreeMap<String, Vec<String>>,
}

impl Default for LlmConfig {
    fn default() -> Self {
        LlmConfig {
            chain: vec!["local".into()],
            budget_eur_per_day: 0.0,
            providers: BTreeMap::from([("local".into(), ProviderConfig::new(ProviderKind::Local))]),
            chains: BTreeMap::new(),
        }
    }
}

/// One provider. `api_key` serialises as itself so the file and environment round-trip; it is
/// masked by `Debug` and by [`crate::config::Config::redacted`].
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    pub kind: ProviderKind,
    #[serde(default)]
    pub base_url: String,
    #[serde(default)]
    pub model: String,
    #[serde(default, with = "empire_schema::secret::exposed")]
    pub api_key: Secret,
    #[serde(default = "defaults::requests_per_minute")]
    pub requests_per_minute: u32,
    #[serde(default = "defaults::tokens_per_minute")]
    pub tokens_per_minute: u64,
    #[serde(default)]
    pub eur_per_million_input_tokens: f64,
    #[serde(default)]
    pub eur_per_million_output_tokens: f64,
    #[serde(default = "defaults::timeout_ms")]
    pub timeout_ms: u64,
}

mod defaults {
    use empire_actors::intelligence::llm::ProviderKind;
    use empire_actors::intelligence::llm::ProviderSettings;

    fn base() -> ProviderSettings {
        ProviderSettings::new(ProviderKind::Local)
    }
    pub fn requests_per_minute() -> u32 {
        base().requests_per_minute
    }
    pub fn tokens_per_minute() -> u64 {
        base().tokens_per_minute
    }
    pub fn timeout_ms() -> u64 {
        base().timeout_ms
    }
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("kind", &self.kind)
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

impl ProviderConfig {
    pub fn new(kind: ProviderKind) -> Self {
        let base = ProviderSettings::new(kind);
        ProviderConfig {
            kind,
            base_url: String::new(),
            model: String::new(),
            api_key: Secret::default(),
            requests_per_minute: base.requests_per_minute,
            tokens_per_minute: base.tokens_per_minute,
            eur_per_million_input_tokens: 0.0,
            eur_per_million_output_tokens: 0.0,
            timeout_ms: base.timeout_ms,
        }
    }

    fn settings(&self) -> ProviderSettings {
        let key = self.api_key.expose().trim();
        ProviderSettings {
            kind: self.kind,
            base_url: self.base_url.clone(),
            model: self.model.clone(),
            api_key: (!key.is_empty()).then(|| Secret::new(key)),
            requests_per_minute: self.requests_per_minute,
            tokens_per_minute: self.tokens_per_minute,
            eur_per_million_input_tokens: self.eur_per_million_input_tokens,
            eur_per_million_output_tokens: self.eur_per_million_output_tokens,
            timeout_ms: self.timeout_ms,
        }
    }
}

impl LlmConfig {
    /// The gateway's settings: money in micro-EUR, keys as secrets, `local` added.
    pub fn settings(&self) -> LlmSettings {
        let budget = (self.budget_eur_per_day * MICROS_PER_EUR).round();
        LlmSettings {
            chain: self.chain.clone(),
            budget_micro_eur_per_day: if budget.is_finite() && budget > 0.0 {
                budget as u64
            } else {
                0
            },
            providers: self
                .providers
                .iter()
                .map(|(name, p)| (name.clone(), p.settings()))
                .collect(),
            chains: self.chains.clone(),
        }
        .with_local()
    }

    /// Bad settings as (setting, value, reason), checked at load.
    pub fn validate(&self) -> Result<(), (String, String, String)> {
        if !(self.budget_eur_per_day.is_finite() && self.budget_eur_per_day >= 0.0) {
            return Err((
                "llm.budget_eur_per_day".into(),
                self.budget_eur_per_day.to_string(),
                "must be 0 (no limit) or a positive amount of EUR".into(),
            ));
        }
        for (name, p) in &self.providers {
            for (field, value) in [
                (
                    "eur_per_million_input_tokens",
                    p.eur_per_million_input_tokens,
                ),
                (
                    "eur_per_million_output_tokens",
                    p.eur_per_million_output_tokens,
                ),
            ] {
                if !(value.is_finite() && value >= 0.0) {
                    return Err((
                        format!("llm.providers.{name}.{field}"),
                        value.to_string(),
                        "must be a price of 0 or more EUR".into(),
                    ));
                }
            }
        }
        self.settings().validate().map_err(|error| {
            (
                error.chain.clone(),
                error.provider.clone(),
                error.to_string(),
            )
        })
    }

    /// The same with every key masked, for printing.
    pub fn redacted(&self) -> LlmConfig {
        let mut shown = self.clone();
        for provider in shown.providers.values_mut() {
            if !provider.api_key.is_empty() {
                provider.api_key = "***".into();
            }
        }
        shown
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, apply_env};

    const ISSUE_TOML: &str = r#"
[llm]
chain = ["openai", "local"]
budget_eur_per_day = 20.0
[llm.providers.openai]
kind = "openai"
base_url = "https://api.openai.com/v1"
model = "gpt-4o-mini"
api_key = ""
requests_per_minute = 500
tokens_per_minute = 200000
eur_per_million_input_tokens = 0.15
eur_per_million_output_tokens = 0.60
[llm.chains]
research = ["openai", "local"]
"#;

    #[test]
    fn the_issue_table_parses_and_the_key_comes_from_the_environment() {
        let mut config: Config = toml::from_str(ISSUE_TOML).unwrap();
        let vars = |name: &str| {
            (name == "EMPIRE_LLM_PROVIDERS_OPENAI_API_KEY").then(|| "sk-live-secret".to_owned())
        };
        apply_env(&mut config, vars).unwrap();
        config.validate().unwrap();
        let settings = config.llm.settings();
        assert_eq!(settings.budget_micro_eur_per_day, 20_000_000);
        assert_eq!(settings.chain_for("research"), ["openai", "local"]);
        assert!(
            settings.providers.contains_key("local"),
            "local is always there"
        );
        let openai = &settings.providers["openai"];
        assert_eq!(openai.api_key.as_ref().unwrap().expose(), "sk-live-secret");
        assert_eq!(openai.eur_per_million_output_tokens, 0.60);

        // Never shown: not by Debug, not by the printed configuration.
        assert!(!format!("{config:?}").contains("sk-live-secret"));
        let printed = toml::to_string(&config.redacted()).unwrap();
        assert!(!printed.contains("sk-live-secret"), "{printed}");
        assert!(printed.contains("api_key = \"***\""), "{printed}");
    }

    #[test]
    fn a_chain_naming_an_unknown_provider_or_a_negative_budget_is_refused() {
        let mut config = Config::default();
        config.llm.chain = vec!["anthropic".into()];
        let error = config.validate().unwrap_err().to_string();
        assert!(
            error.contains("llm.chain") && error.contains("anthropic"),
            "{error}"
        );
        let mut config = Config::default();
        config.llm.budget_eur_per_day = -1.0;
        assert!(
            config
                .validate()
                .unwrap_err()
                .to_string()
                .contains("llm.budget_eur_per_day")
        );
    }
}
