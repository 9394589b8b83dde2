//! Runtime settings: how many instances of each agent this node hosts and how work is leased.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::kinds::AgentId;

/// `[agents]`: instances of each agent type on this node (0 = none; tasks for it still queue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AgentCounts {
    pub opportunity_scanner: usize,
    pub content_generator: usize,
    pub website_builder: usize,
    pub seo_optimizer: usize,
    pub monetization: usize,
}

impl Default for AgentCounts {
    fn default() -> Self {
        AgentCounts {
            opportunity_scanner: 2,
            content_generator: 2,
            website_builder: 2,
            seo_optimizer: 2,
            monetization: 2,
        }
    }
}

impl AgentCounts {
    pub fn of(&self, agent: AgentId) -> usize {
        match agent {
            AgentId::OpportunityScanner => self.opportunity_scanner,
            AgentId::ContentGenerator => self.content_generator,
            AgentId::WebsiteBuilder => self.website_builder,
            AgentId::SeoOptimizer => self.seo_optimizer,
            AgentId::Monetization => self.monetization,
        }
    }

    pub fn set(&mut self, agent: AgentId, count: usize) {
        let slot = match agent {
            AgentId::OpportunityScanner => &mut self.opportunity_scanner,
            AgentId::ContentGenerator => &mut self.content_generator,
            AgentId::WebsiteBuilder => &mut self.website_builder,
            AgentId::SeoOptimizer => &mut self.seo_optimizer,
            AgentId::Monetization => &mut self.monetization,
        };
        *slot = count;
    }
}

/// `[tasks]`: leases, limits and pacing of the task runtime.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TaskSettings {
    /// Tasks one instance runs at once.
    pub max_in_flight: usize,
    /// Queued tasks an agent may have before submissions get 429.
    pub backlog_cap: i64,
    /// How long a claim holds a task without renewal.
    pub lease_ms: u64,
    /// How often a running instance renews its leases (well under `lease_ms`).
    pub renew_ms: u64,
    /// How often the reaper looks for expired leases and refreshes queue metrics.
    pub reap_ms: u64,
    /// How often the dispatcher looks for queued work when nothing woke it.
    pub poll_ms: u64,
    pub default_max_attempts: i64,
    pub default_timeout_s: u64,
    /// Delay before restarting a failed instance; doubles per consecutive failure, capped.
    pub restart_backoff_ms: u64,
    pub restart_backoff_max_ms: u64,
    /// Events kept for clients that reconnect and ask for what they missed.
    pub event_log_capacity: usize,
    /// How often a `metrics` event (queue depths, tasks finished per minute) is published.
    pub metrics_event_ms: u64,
    /// Adds `panic` and `sleep` kinds to every agent, for supervision, timeout and chaos tests.
    /// Never enable in production.
    pub fault_injection: bool,
}

impl Default for TaskSettings {
    fn default() -> Self {
        TaskSettings {
            max_in_flight: 4,
            backlog_cap: 100_000,
            lease_ms: 30_000,
            renew_ms: 10_000,
            reap_ms: 1_000,
            poll_ms: 500,
            default_max_attempts: 3,
            default_timeout_s: 60,
            restart_backoff_ms: 100,
            restart_backoff_max_ms: 10_000,
            event_log_capacity: 10_000,
            metrics_event_ms: 5_000,
            fault_injection: false,
        }
    }
}

impl TaskSettings {
    pub fn lease(&self) -> Duration {
        Duration::from_millis(self.lease_ms)
    }

    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.max_in_flight == 0 {
            return Err(SettingsError("tasks.max_in_flight must be at least 1"));
        }
        if self.renew_ms == 0 || self.renew_ms * 2 > self.lease_ms {
            return Err(SettingsError(
                "tasks.renew_ms must be at most half of tasks.lease_ms",
            ));
        }
        if self.default_max_attempts < 1 || self.backlog_cap < 1 {
            return Err(SettingsError(
                "tasks.default_max_attempts and tasks.backlog_cap must be at least 1",
            ));
        }
        if self.reap_ms == 0 || self.poll_ms == 0 {
            return Err(SettingsError(
                "tasks.reap_ms and tasks.poll_ms must be at least 1",
            ));
        }
        Ok(())
    }
}

/// A `[tasks]` setting out of range; the text names it and its bounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SettingsError(&'static str);

/// Everything the runtime needs to start on this node.
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// This node's name: the lease owner of the tasks it claims.
    pub node: String,
    /// The process-group scope shared by the nodes of one cluster.
    pub scope: String,
    pub agents: AgentCounts,
    pub tasks: TaskSettings,
    /// Where this node's HTTP API listens, as its heartbeat tells other nodes.
    pub http_addr: String,
    pub cluster: crate::cluster::ClusterSettings,
    /// This node's search index directory (`<data_dir>/search`); `None` keeps it in memory.
    pub search_dir: Option<std::path::PathBuf>,
    /// `[llm]`: providers, chains and the cluster's daily budget.
    pub llm: crate::intelligence::llm::LlmSettings,
    /// `[web]`: how research fetches other sites' pages.
    pub web: crate::intelligence::web::WebSettings,
    /// Shared counters (Redis when configured): the LLM rate buckets of every node meet there.
    /// `None` keeps them in this process.
    pub shared_cache: Option<empire_schema::cache::Cache>,
    /// `[sites]`, with the folder resolved (`<data_dir>/sites` when unset).
    pub sites: crate::website_builder::sites::Sites,
    /// The affiliate networks' reporting APIs that have credentials.
    pub networks: crate::monetization::networks::NetworkApis,
}
