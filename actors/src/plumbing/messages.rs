//! The typed messages agents exchange. `AgentMessage` crosses nodes: every payload is a
//! `Wire<T>` of serde types, so the same message reaches a local or a remote instance.

use chrono::{DateTime, Utc};
use empire_schema::AgentId;
use ractor::RpcReplyPort;
use ractor_cluster::RactorClusterMessage;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::event::InstanceState;
use super::wire::{Wire, WireError};

/// One attempt of one task, named by the lease's fencing token (the task row's `fence`), which
/// no other attempt of the task ever carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaskAttempt {
    pub task_id: String,
    pub attempt: i64,
}

/// One leased attempt of one task, handed to an instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub task_id: String,
    pub agent: AgentId,
    pub kind: String,
    pub input: Value,
    /// The lease's fencing token: every write about this attempt names it, and no other
    /// attempt of the task carries it, even after a release.
    pub attempt: i64,
    /// Which attempt this is (1, 2, …), for events and people. A release gives a number back.
    #[serde(default)]
    pub number: i64,
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
    pub agent: AgentId,
    pub instance: String,
    pub node: String,
    /// `idle` or `busy`.
    pub status: InstanceState,
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

/// What every agent instance — in-process or an external worker's socket — receives.
#[derive(RactorClusterMessage)]
pub(crate) enum AgentMessage {
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
    LeaseLost(Wire<TaskAttempt>),
    /// From an external worker's socket: how one of its attempts ended.
    Report(Wire<WorkerReport>),
    /// From an external worker's socket: it is alive.
    Heartbeat(Wire<()>),
    /// From an external worker's instance's own timer: has the worker gone silent?
    CheckHeartbeat(Wire<()>),
}

/// An `AgentMessage` with its payload decoded once: what an instance's `handle` matches on.
pub(crate) enum Incoming {
    Run(Assignment),
    Ask(AgentRequest, RpcReplyPort<Wire<AgentReply>>),
    Tell(AgentNotice),
    Status(RpcReplyPort<Wire<InstanceStatus>>),
    Ended(AttemptEnded),
    RenewLeases,
    LeaseLost(TaskAttempt),
    Report(WorkerReport),
    Heartbeat,
    CheckHeartbeat,
}

impl AgentMessage {
    /// Decodes the payload. A request that does not decode is answered `Refused` here, so
    /// the asker is not left waiting for its timeout.
    pub(crate) fn decode(self) -> Result<Incoming, WireError> {
        Ok(match self {
            AgentMessage::Run(assignment) => Incoming::Run(assignment.into_inner()?),
            AgentMessage::Ask(request, reply) => match request.into_inner() {
                Ok(request) => Incoming::Ask(request, reply),
                Err(error) => {
                    let _ = reply.send(Wire::new(AgentReply::Refused(error.to_string())));
                    return Err(error);
                }
            },
            AgentMessage::Tell(notice) => Incoming::Tell(notice.into_inner()?),
            AgentMessage::Status(reply) => Incoming::Status(reply),
            AgentMessage::Ended(ended) => Incoming::Ended(ended.into_inner()?),
            AgentMessage::RenewLeases(_) => Incoming::RenewLeases,
            AgentMessage::LeaseLost(lost) => Incoming::LeaseLost(lost.into_inner()?),
            AgentMessage::Report(report) => Incoming::Report(report.into_inner()?),
            AgentMessage::Heartbeat(_) => Incoming::Heartbeat,
            AgentMessage::CheckHeartbeat(_) => Incoming::CheckHeartbeat,
        })
    }
}

/// What an external worker reports for one attempt it was handed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerReport {
    pub task_id: String,
    /// The attempt's number, as the worker was sent it (workers never see the fence).
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
        assert_eq!(decoded.number, 0);
        let new = Assignment {
            website_id: Some("site-a".into()),
            number: 1,
            ..decoded
        };
        let bytes = Wire::new(new.clone()).into_bytes();
        assert_eq!(Wire::<Assignment>::from_bytes(bytes).into_inner(), Ok(new));
    }
}
