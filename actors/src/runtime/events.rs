//! The event bus: every task, agent and workflow change, stamped with a monotonically
//! increasing id, fanned out to subscribers and kept in a bounded log for clients that resume.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use bytestring::ByteString;
use chrono::{DateTime, Utc};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use ractor_cluster::RactorMessage;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// Subscribers that fall this far behind lose events (and are told so by the channel).
const CHANNEL_CAPACITY: usize = 4_096;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    TaskQueued {
        task_id: String,
        agent: String,
        kind: String,
        workflow_id: Option<String>,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    TaskStarted {
        task_id: String,
        agent: String,
        attempt: i64,
        instance: String,
        node: String,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    TaskSucceeded {
        task_id: String,
        agent: String,
        attempt: i64,
        duration_ms: u64,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    TaskFailed {
        task_id: String,
        agent: String,
        attempt: i64,
        error: String,
        retrying: bool,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    TaskDead {
        task_id: String,
        agent: String,
        error: String,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    TaskCancelled {
        task_id: String,
        agent: String,
        /// See [`Event::website`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        website_id: Option<String>,
    },
    AgentStatus {
        agent: String,
        instance: String,
        status: String,
    },
    WorkflowProgress {
        workflow_id: String,
        kind: String,
        step: usize,
        status: String,
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
        agents: BTreeMap<String, AgentLoad>,
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
            | Event::WorkflowProgress { website_id, .. } => website_id.as_deref(),
            Event::AgentStatus { .. }
            | Event::NodeJoined { .. }
            | Event::NodeLeft { .. }
            | Event::Metrics { .. } => None,
        }
    }

    /// The agent type the event concerns, if one.
    pub fn agent(&self) -> Option<&str> {
        match self {
            Event::TaskQueued { agent, .. }
            | Event::TaskStarted { agent, .. }
            | Event::TaskSucceeded { agent, .. }
            | Event::TaskFailed { agent, .. }
            | Event::TaskDead { agent, .. }
            | Event::TaskCancelled { agent, .. }
            | Event::AgentStatus { agent, .. } => Some(agent),
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

#[derive(Serialize)]
struct Frame<'a> {
    id: u64,
    ts: DateTime<Utc>,
    #[serde(flatten)]
    event: &'a Event,
}

pub struct EventBus;

pub struct EventBusArgs {
    /// Events kept for subscribers that resume.
    pub capacity: usize,
    /// The cluster's process-group scope, where the other nodes' relays are.
    pub scope: String,
}

pub struct EventBusState {
    scope: String,
    next_id: u64,
    log: VecDeque<Arc<Stamped>>,
    capacity: usize,
    sender: broadcast::Sender<Arc<Stamped>>,
}

/// What a subscriber gets: the events it missed (or `None` when they are gone), the id of the
/// newest event so far, and a live feed of the ones after it.
pub struct Subscription {
    pub missed: Option<Vec<Arc<Stamped>>>,
    pub last_id: u64,
    pub live: broadcast::Receiver<Arc<Stamped>>,
}

#[derive(RactorMessage)]
pub enum EventBusMessage {
    /// An event of this node: also sent to the other nodes of the cluster.
    Publish(Event),
    /// An event another node published.
    Relayed(Event),
    /// Subscribe, replaying events after `after` when given.
    Subscribe {
        after: Option<u64>,
        reply: RpcReplyPort<Subscription>,
    },
}

impl Actor for EventBus {
    type Msg = EventBusMessage;
    type State = EventBusState;
    type Arguments = EventBusArgs;

    async fn pre_start(
        &self,
        _: ActorRef<Self::Msg>,
        EventBusArgs { capacity, scope }: EventBusArgs,
    ) -> Result<Self::State, ActorProcessingErr> {
        let (sender, _) = broadcast::channel(CHANNEL_CAPACITY);
        Ok(EventBusState {
            scope,
            next_id: first_id(),
            log: VecDeque::with_capacity(capacity.min(1024)),
            capacity: capacity.max(1),
            sender,
        })
    }

    async fn handle(
        &self,
        _: ActorRef<Self::Msg>,
        message: Self::Msg,
        state: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            EventBusMessage::Publish(event) => {
                crate::cluster::relay::send(&state.scope, &event);
                state.publish(event);
            }
            EventBusMessage::Relayed(event) => state.publish(event),
            EventBusMessage::Subscribe { after, reply } => {
                let subscription = state.subscribe(after);
                let _ = reply.send(subscription);
            }
        }
        Ok(())
    }
}

impl EventBusState {
    fn publish(&mut self, event: Event) {
        let (id, ts) = (self.next_id, Utc::now());
        let json = serde_json::to_string(&Frame {
            id,
            ts,
            event: &event,
        })
        .unwrap_or_default();
        let stamped = Arc::new(Stamped {
            id,
            ts,
            event,
            json: ByteString::from(json),
        });
        self.next_id += 1;
        if self.log.len() == self.capacity {
            self.log.pop_front();
        }
        self.log.push_back(stamped.clone());
        // No subscriber is not an error.
        let _ = self.sender.send(stamped);
    }

    fn subscribe(&self, after: Option<u64>) -> Subscription {
        let live = self.sender.subscribe();
        let missed = after.and_then(|after| {
            let oldest = self.log.front().map_or(self.next_id, |first| first.id);
            // Replayable only if the log reaches back to after + 1 and `after` is not from the
            // future (an id from before a restart, or made up).
            (after.saturating_add(1) >= oldest && after < self.next_id).then(|| {
                self.log
                    .iter()
                    .filter(|event| event.id > after)
                    .cloned()
                    .collect()
            })
        });
        Subscription {
            missed,
            last_id: self.next_id - 1,
            live,
        }
    }
}

/// Publishing never blocks and never fails the caller: a stopped bus only loses the event.
pub fn publish(bus: &ActorRef<EventBusMessage>, event: Event) {
    let _ = bus.cast(EventBusMessage::Publish(event));
}

/// Ids start from the clock (µs since the epoch), so they keep increasing across restarts and
/// a client resuming with an id from before a restart is told to resync.
fn first_id() -> u64 {
    u64::try_from(Utc::now().timestamp_micros())
        .unwrap_or(0)
        .max(1)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn succeeded(website_id: Option<&str>) -> Event {
        Event::TaskSucceeded {
            task_id: "t".into(),
            agent: "seo_optimizer".into(),
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
            status: "running".into(),
            website_id: Some("site-b".into()),
        };
        assert_eq!(progress.website(), Some("site-b"));
        let status = Event::AgentStatus {
            agent: "seo_optimizer".into(),
            instance: "i".into(),
            status: "busy".into(),
        };
        assert_eq!(status.website(), None);
    }
}
