//! The ids of empire's five agents, as they appear in URLs, task rows, cluster messages and events.

crate::text_enum! {
    /// One of the five agents, in pipeline order.
    pub enum AgentId("agent") {
        OpportunityScanner = "opportunity_scanner",
        ContentGenerator = "content_generator",
        WebsiteBuilder = "website_builder",
        SeoOptimizer = "seo_optimizer",
        Monetization = "monetization",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::UnknownValue;

    #[test]
    fn every_id_round_trips_through_its_string() {
        for agent in AgentId::ALL {
            assert_eq!(agent.as_str().parse::<AgentId>().unwrap(), agent);
            assert_eq!(agent.to_string(), agent.as_str());
            let json = serde_json::to_value(agent).unwrap();
            assert_eq!(json, serde_json::json!(agent.as_str()));
            assert_eq!(serde_json::from_value::<AgentId>(json).unwrap(), agent);
        }
    }

    #[test]
    fn unknown_ids_are_rejected() {
        assert_eq!(
            "Monetization".parse::<AgentId>(),
            Err(UnknownValue {
                what: "agent",
                value: "Monetization".into()
            })
        );
        assert!("".parse::<AgentId>().is_err());
        assert!(serde_json::from_str::<AgentId>("\"seo\"").is_err());
    }
}
