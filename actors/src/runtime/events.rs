//! The event bus: every task, agent and workflow change, stamped with a monotonically
//! increasing id, fanned out to subscribers and kept in a bounded log for clients that resume.

use std::collections::VecDeque;
use std::sync::Arc;

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
    },
    TaskStarted {
        task_id: String,
        agent: String,
        attempt: i64,
        instance: String,
        node: String,
    },
    TaskSucceeded {
        task_id: String,
        agent: String,
        attempt: i64,
        duration_ms: u64,
    },
    TaskFailed {
        task_id: String,
        agent: String,
        attempt: i64,
        error: String,
        retrying: bool,
    },
    TaskDead {
        task_id: String,
        agent: String,
        error: String,
    },
    TaskCancelled {
        task_id: String,
        agent: String,
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
    },
}

/// An event as delivered: `id` increases by one per event on this node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stamped {
    pub id: u64,
    pub ts: DateTime<Utc>,
    #[serde(flatten)]
    pub event: Event,
}

pub struct EventBus;

pub struct EventBusState {
    next_id: u64,
    log: VecDeque<Arc<Stamped>>,
    capacity: usize,
    sender: broadcast::Sender<Arc<Stamped>>,
}

/// What a subscriber gets: the events it missed (or `None` when they are gone) and a live feed.
pub struct Subscription {
    pub missed: Option<Vec<Arc<Stamped>>>,
    pub live: broadcast::Receiver<Arc<Stamped>>,
}

#[derive(RactorMessage)]
pub enum EventBusMessage {
    Publish(Event),
    /// Subscribe, replaying events after `after` when given.
    Subscribe {
        after: Option<u64>,
        reply: RpcReplyPort<Subscription>,
    },
}

impl Actor for EventBus {
    type Msg = EventBusMessage;
    type State = EventBusState;
    type Arguments = usize;

    async fn pre_start(
        &self,
        _: ActorRef<Self::Msg>,
        capacity: usize,
    ) -> Result<Self::State, ActorProcessingErr> {
        let (sender, _) = broadcast::channel(CHANNEL_CAPACITY);
        Ok(EventBusState {
            next_id: 1,
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
            EventBusMessage::Publish(event) => state.publish(event),
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
        let stamped = Arc::new(Stamped {
            id: self.next_id,
            ts: Utc::now(),
            event,
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
            // Events after `after` are all still here only if the log reaches back to after + 1.
            (after + 1 >= oldest || after + 1 == self.next_id).then(|| {
                self.log
                    .iter()
                    .filter(|event| event.id > after)
                    .cloned()
                    .collect()
            })
        });
        Subscription { missed, live }
    }
}

/// Publishing never blocks and never fails the caller: a stopped bus only loses the event.
pub fn publish(bus: &ActorRef<EventBusMessage>, event: Event) {
    let _ = bus.cast(EventBusMessage::Publish(event));
}
