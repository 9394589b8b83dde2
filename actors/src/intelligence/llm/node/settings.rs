//! `[llm]`: the default chain, the cluster's daily budget, the providers and per-kind chains.

use std::collections::BTreeMap;

use crate::intelligence::llm::{ProviderKind, ProviderSettings};

/// The name of the offline provider every node has, configured or not.
pub const LOCAL: &str = "local";

/// What the node's LLM gateway is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmSettings {
    /// The default fallback chain.
    pub chain: Vec<String>,
    /// The whole cluster's daily spend limit in micro-EUR (0 = none); a budget set at run time
    /// (`llm_budgets`) overrides it.
    pub budget_micro_eur_per_day: u64,
    pub providers: BTreeMap<String, ProviderSettings>,
    /// Chains per task kind, e.g. `research = ["anthropic", "openai", "local"]`.
    pub chains: BTreeMap<String, Vec<String>>,
}

impl Default for LlmSettings {
    fn default() -> Self {
        LlmSettings {
            chain: vec![LOCAL.to_owned()],
            budget_micro_eur_per_day: 0,
            providers: BTreeMap::from([(
                LOCAL.to_owned(),
                ProviderSettings::new(ProviderKind::Local),
            )]),
            chains: BTreeMap::new(),
        }
    }
}

/// A chain naming a provider that is not configured.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{chain} names provider `{provider}`, which has no [llm.providers.{provider}] table")]
pub struct UnknownChainProvider {
    pub chain: String,
    pub provider: String,
}

impl LlmSettings {
    /// The settings with the offline provider added when missing, so `local` always works.
    pub fn with_local(mut self) -> Self {
        self.providers
            .entry(LOCAL.to_owned())
            .or_insert_with(|| ProviderSettings::new(ProviderKind::Local));
        self
    }

    /// Every chain names configured providers (`local` counts, as [`LlmSettings::with_local`] adds it).
    pub fn validate(&self) -> Result<(), UnknownChainProvider> {
        let chains = std::iter::once(("llm.chain".to_owned(), &self.chain)).chain(
            self.chains
                .iter()
                .map(|(kind, chain)| (format!("llm.chains.{kind}"), chain)),
        );
        for (name, chain) in chains {
            if let Some(missing) = chain
                .iter()
                .find(|p| p.as_str() != LOCAL && !self.providers.contains_key(p.as_str()))
            {
                return Err(UnknownChainProvider {
                    chain: name,
                    provider: missing.clone(),
                });
            }
        }
        Ok(())
    }

    /// The chain for task kind `kind`: its own, else the default.
    pub fn chain_for(&self, kind: &str) -> &[String] {
        self.chains.get(kind).unwrap_or(&self.chain)
    }
}
