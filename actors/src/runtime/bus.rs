//! The event bus: every task, agent and workflow change, stamped with a monotonically
//! increasing id, fanned out to subscribers and kept in a bounded log for clients that resume.

use std::collections::VecDeque;
use std::sync::Arc;

use bytestring::ByteString;
use chrono::{DateTime, Utc};
use ractor::{Actor, ActorProcessingErr, ActorRef};
use serde::Serialize;
use tokio::sync::broadcast;

use crate::plumbing::control::EventBusMessage;
use crate::plumbing::event::{Event, Stamped, Subscription};

/// Subscribers that fall this far behind lose events (and are told so by the channel).
const CHANNEL_CAPACITY: usize = 4_096;

/// Sends this node's events on to the other nodes of the cluster (see `cluster::relay`).
pub type Relay = Arc<dyn Fn(&Event) + Send + Sync>;

pub struct EventBus;

pub struct EventBusArgs {
    /// Events kept for subscribers that resume.
    pub capacity: usize,
    pub relay: Relay,
}

pub struct EventBusState {
    relay: Relay,
    next_id: u64,
    log: VecDeque<Arc<Stamped>>,
    capacity: usize,
    sender: broadcast::Sender<Arc<Stamped>>,
}

#[derive(Serialize)]
struct Frame<'a> {
    id: u64,
    ts: DateTime<Utc>,
    #[serde(flatten)]
    event: &'a Event,
}

impl Actor for EventBus {
    type Msg = EventBusMessage;
    type State = EventBusState;
    type Arguments = EventBusArgs;

    async fn pre_start(
        &self,
        _: ActorRef<Self::Msg>,
        EventBusArgs { capacity, relay }: EventBusArgs,
    ) -> Result<Self::State, ActorProcessingErr> {
        let (sender, _) = broadcast::channel(CHANNEL_CAPACITY);
        Ok(EventBusState {
            relay,
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
                (state.relay)(&event);
                state.publish(event);
            }
            EventBusMessage::Relayed(event) => state.publish(event),
            EventBusMessage::Subscribe { after, reply } => {
                let _ = reply.send(state.subscribe(after));
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

/// Ids start from the clock (µs since the epoch), so they keep increasing across restarts and
/// a client resuming with an id from before a restart is told to resync.
fn first_id() -> u64 {
    u64::try_from(Utc::now().timestamp_micros())
        .unwrap_or(0)
        .max(1)
}
