//! The typed messages agents exchange. `AgentMessage` crosses nodes: every payload is a
//! `Wire<T>` of serde types, so the same message reaches a local or a remote instance.

use chrono::{DateTime, Utc};
use ractor::RpcReplyPort;
use ractor_cluster::RactorClusterMessage;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::wire::Wire;

/// One leased attempt of one task, handed to an instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub task_id: String,
    pub agent: String,
    pub kind: String,
    pub input: Value,
    pub attempt: i64,
    pub timeout_ms: u64,
    pub workflow_id: Option<String>,
    /// When the task was queued (Unix ms), for the queued→started latency.
    pub queued_at_ms: i64,
    /// The website the task concerns ([`crate::kinds::website_of`] its input), read once when
    /// it is handed out, for the events of the attempt. Absent from older nodes' messages.
    #[serde(default)]
    pub website_id: Option<String>,
}

/// A request from one agent to another, answered by the receiver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AgentRequest {
    /// Run one of the receiver's task kinds directly and return its output (no task row).
    Execute {
        from: String,
        kind: String,
        input: Value,
    },
    Ping {
        from: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AgentReply {
    Output(Value),
    Pong { instance: String },
    Refused(String),
}

/// A fire-and-forget note from one agent to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentNotice {
    pub from: String,
    pub topic: String,
    pub payload: Value,
}

/// What an instance reports about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InstanceStatus {
    pub agent: String,
    pub instance: String,
    pub node: String,
    /// `idle` or `busy`.
    pub status: String,
    pub current_tasks: Vec<String>,
    pub in_flight: usize,
    pub max_in_flight: usize,
    pub processed: u64,
    pub failed: u64,
    pub restarts: u64,
    pub messages_received: u64,
    pub last_activity: Option<DateTime<Utc>>,
}

/// How one attempt ended, reported by the attempt's runner to its instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptEnded {
    pub task_id: String,
    pub attempt: i64,
    pub succeeded: bool,
    /// Set when the work panicked: the instance then fails and is restarted.
    pub panic: Option<String>,
}

#[derive(RactorClusterMessage)]
pub enum AgentMessage {
    Run(Wire<Assignment>),
    #[rpc]
    Ask(Wire<AgentRequest>, RpcReplyPort<Wire<AgentReply>>),
    Tell(Wire<AgentNotice>),
    #[rpc]
    Status(RpcReplyPort<Wire<InstanceStatus>>),
    /// From the instance's own attempt runners.
    Ended(Wire<AttemptEnded>),
    /// From the instance's own timer.
    RenewLeases(Wire<()>),
    /// A renewal found this attempt no longer holds its lease: stop working on it.
    LeaseLost(Wire<(String, i64)>),
    /// From an external worker's socket: how one of its attempts ended.
    Report(Wire<WorkerReport>),
    /// From an external worker's socket: it is alive.
    Heartbeat(Wire<()>),
}

/// What an external worker reports for one attempt it was handed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerReport {
    pub task_id: String,
    pub attempt: i64,
    pub outcome: ReportOutcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReportOutcome {
    Output(Value),
    Error(String),
}

#[cfg(test)]
mod tests {
    use ractor::BytesConvertable;
    use serde_json::json;

    use super::*;

    /// An assignment as a node from before `website_id` existed sends it.
    #[derive(Serialize, Deserialize)]
    struct OldAssignment {
        task_id: String,
        agent: String,
        kind: String,
        input: Value,
        attempt: i64,
        timeout_ms: u64,
        workflow_id: Option<String>,
        queued_at_ms: i64,
    }

    #[test]
    fn an_assignment_without_a_website_still_decodes() {
        let old = OldAssignment {
            task_id: "t".into(),
            agent: "seo_optimizer".into(),
            kind: "audit_page".into(),
            input: json!({"html": "<p>", "keyword": "k"}),
            attempt: 1,
            timeout_ms: 1000,
            workflow_id: None,
            queued_at_ms: 0,
        };
        let bytes = Wire::new(old).into_bytes();
        let decoded = Wire::<Assignment>::from_bytes(bytes).into_inner().unwrap();
        assert_eq!(decoded.website_id, None);
        assert_eq!(decoded.kind, "audit_page");
        let new = Assignment {
            website_id: Some("site-a".into()),
            ..decoded
        };
        let bytes = Wire::new(new.clone()).into_bytes();
        assert_eq!(Wire::<Assignment>::from_bytes(bytes).into_inner(), Ok(new));
    }
}
