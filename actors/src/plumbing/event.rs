//! What the event bus carries: every task, agent, workflow and node change, typed, and the
//! stamped form in which subscribers receive it.

use std::collections::BTreeMap;
use std::sync::Arc;

use bytestring::ByteString;
use chrono::{DateTime, Utc};
use empire_schema::{AgentId, WorkflowStatus};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// What an agent instance is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InstanceState {
    Idle,
    Busy,
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    TaskQueued {
        task_id: String,
        agent: AgentId,
        kind: String,
        workflow_id: Option<String>,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    TaskStarted {
        task_id: String,
        agent: AgentId,
        attempt: i64,
        instance: String,
        node: String,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    TaskSucceeded {
        task_id: String,
        agent: AgentId,
        attempt: i64,
        duration_ms: u64,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    TaskFailed {
        task_id: String,
        agent: AgentId,
        attempt: i64,
        error: String,
        retrying: bool,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    TaskDead {
        task_id: String,
        agent: AgentId,
        error: String,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    TaskCancelled {
        task_id: String,
        agent: AgentId,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    /// How far a running task is, told by kinds that run long (an import: its phase and rows),
    /// at most about once a second. `progress` is the kind's own object.
    TaskProgress {
        task_id: String,
        agent: AgentId,
        kind: String,
        progress: serde_json::Value,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    AgentStatus {
        agent: AgentId,
        instance: String,
        status: InstanceState,
    },
    WorkflowProgress {
        workflow_id: String,
        kind: String,
        step: usize,
        status: WorkflowStatus,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    /// A cluster node started answering heartbeats (joined, or came back).
    NodeJoined {
        node: String,
        http_addr: String,
        cluster_addr: String,
    },
    /// A cluster node stopped answering heartbeats or closed its link.
    NodeLeft { node: String, reason: String },
    /// Periodic load figures for dashboards, read from the store.
    Metrics {
        agents: BTreeMap<AgentId, AgentLoad>,
        tasks_finished_per_minute: Vec<MinuteCount>,
    },
}

impl Event {
    /// The `type` this event has on the wire.
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::TaskQueued { .. } => "task_queued",
            Event::TaskStarted { .. } => "task_started",
            Event::TaskSucceeded { .. } => "task_succeeded",
            Event::TaskFailed { .. } => "task_failed",
            Event::TaskDead { .. } => "task_dead",
            Event::TaskCancelled { .. } => "task_cancelled",
            Event::TaskProgress { .. } => "task_progress",
            Event::AgentStatus { .. } => "agent_status",
            Event::WorkflowProgress { .. } => "workflow_progress",
            Event::NodeJoined { .. } => "node_joined",
            Event::NodeLeft { .. } => "node_left",
            Event::Metrics { .. } => "metrics",
        }
    }

    /// The website the event concerns, if one: task and workflow events name the website of
    /// their input (see `kinds::website`); the others never do.
    pub fn website(&self) -> Option<&str> {
        match self {
            Event::TaskQueued { website_id, .. }
            | Event::TaskStarted { website_id, .. }
            | Event::TaskSucceeded { website_id, .. }
            | Event::TaskFailed { website_id, .. }
            | Event::TaskDead { website_id, .. }
            | Event::TaskCancelled { website_id, .. }
            | Event::TaskProgress { website_id, .. }
            | Event::WorkflowProgress { website_id, .. } => website_id.as_deref(),
            Event::AgentStatus { .. }
            | Event::NodeJoined { .. }
            | Event::NodeLeft { .. }
            | Event::Metrics { .. } => None,
        }
    }

    /// The agent type the event concerns, if one.
    pub fn agent(&self) -> Option<AgentId> {
        match self {
            Event::TaskQueued { agent, .. }
            | Event::TaskStarted { agent, .. }
            | Event::TaskSucceeded { agent, .. }
            | Event::TaskFailed { agent, .. }
            | Event::TaskDead { agent, .. }
            | Event::TaskCancelled { agent, .. }
            | Event::TaskProgress { agent, .. }
            | Event::AgentStatus { agent, .. } => Some(*agent),
            Event::WorkflowProgress { .. }
            | Event::NodeJoined { .. }
            | Event::NodeLeft { .. }
            | Event::Metrics { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentLoad {
    pub queued: i64,
    pub running: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinuteCount {
    /// The minute, `YYYY-MM-DDTHH:MM:00Z`.
    pub minute: String,
    pub count: i64,
}

/// An event as delivered: `id` increases by one per event on this node. `json` is the event
/// serialised once (`{"type", "id", "ts", …fields}`), shared by every subscriber: a
/// `ByteString` so that sockets send it as a text frame as is (cloning is a reference count).
#[derive(Debug, Clone, PartialEq)]
pub struct Stamped {
    pub id: u64,
    pub ts: DateTime<Utc>,
    pub event: Event,
    pub json: ByteString,
}

/// What a subscriber gets: the events it missed (or `None` when they are gone), the id of the
/// newest event so far, and a live feed of the ones after it.
pub struct Subscription {
    pub missed: Option<Vec<Arc<Stamped>>>,
    pub last_id: u64,
    pub live: broadcast::Receiver<Arc<Stamped>>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn succeeded(website_id: Option<&str>) -> Event {
        Event::TaskSucceeded {
            task_id: "t".into(),
            agent: AgentId::SeoOptimizer,
            attempt: 1,
            duration_ms: 3,
            website_id: website_id.map(str::to_owned),
        }
    }

    #[test]
    fn the_website_is_on_the_wire_only_when_there_is_one() {
        let named = serde_json::to_value(succeeded(Some("site-a"))).unwrap();
        assert_eq!(named["website_id"], "site-a");
        let unnamed = serde_json::to_value(succeeded(None)).unwrap();
        assert!(unnamed.get("website_id").is_none(), "{unnamed}");
        // Frames without the field (an older node's) still decode.
        let old = json!({"type": "task_succeeded", "task_id": "t", "agent": "seo_optimizer", "attempt": 1, "duration_ms": 3});
        assert_eq!(
            serde_json::from_value::<Event>(old).unwrap(),
            succeeded(None)
        );
    }

    #[test]
    fn task_and_workflow_events_name_their_website() {
        assert_eq!(succeeded(Some("site-a")).website(), Some("site-a"));
        assert_eq!(succeeded(None).website(), None);
        let progress = Event::WorkflowProgress {
            workflow_id: "w".into(),
            kind: "page_pipeline".into(),
            step: 0,
            status: WorkflowStatus::Running,
            website_id: Some("site-b".into()),
        };
        assert_eq!(progress.website(), Some("site-b"));
        let status = Event::AgentStatus {
            agent: AgentId::SeoOptimizer,
            instance: "i".into(),
            status: InstanceState::Busy,
        };
        assert_eq!(status.website(), None);
    }
}
