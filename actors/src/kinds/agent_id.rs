//! The ids of empire's five agents, as they appear in URLs, task rows and cluster messages.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One of the five agents; its string form is the stable id used on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentId {
    OpportunityScanner,
    ContentGenerator,
    WebsiteBuilder,
    SeoOptimizer,
    Monetization,
}

impl AgentId {
    /// Every agent, in pipeline order.
    pub const ALL: [AgentId; 5] = [
        AgentId::OpportunityScanner,
        AgentId::ContentGenerator,
        AgentId::WebsiteBuilder,
        AgentId::SeoOptimizer,
        AgentId::Monetization,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            AgentId::OpportunityScanner => "opportunity_scanner",
            AgentId::ContentGenerator => "content_generator",
            AgentId::WebsiteBuilder => "website_builder",
            AgentId::SeoOptimizer => "seo_optimizer",
            AgentId::Monetization => "monetization",
        }
    }
}

impl fmt::Display for AgentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The id was not one of [`AgentId::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown agent `{0}`")]
pub struct UnknownAgentId(pub String);

impl FromStr for AgentId {
    type Err = UnknownAgentId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AgentId::ALL
            .into_iter()
            .find(|agent| agent.as_str() == s)
            .ok_or_else(|| UnknownAgentId(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_round_trips_through_its_string() {
        for agent in AgentId::ALL {
            assert_eq!(agent.as_str().parse::<AgentId>().unwrap(), agent);
            assert_eq!(agent.to_string(), agent.as_str());
            let json = serde_json::to_value(agent).unwrap();
            assert_eq!(json, serde_json::json!(agent.as_str()));
        }
    }

    #[test]
    fn unknown_ids_are_rejected() {
        assert_eq!(
            "Monetization".parse::<AgentId>(),
            Err(UnknownAgentId("Monetization".into()))
        );
        assert!("".parse::<AgentId>().is_err());
    }
}
