//! The messages of a node's core actors — the dispatcher and the event bus — which the
//! directory routes to whichever incarnation of them runs now.

use empire_schema::AgentId;
use ractor::{ActorId, RpcReplyPort};
use ractor_cluster::RactorMessage;

use super::event::{Event, Subscription};
use super::messages::TaskAttempt;

#[derive(RactorMessage)]
pub enum DispatcherMessage {
    /// Queued work may exist for this agent.
    Wake(AgentId),
    /// An instance finished an attempt.
    Released {
        agent: AgentId,
        instance: ActorId,
        /// Only this attempt is released: the same task may have been handed again since.
        attempt: TaskAttempt,
    },
    /// Look at every agent (the periodic poll catches work queued by other nodes).
    Poll,
    /// Run the round scheduled by the messages above; several wake-ups share one round.
    Dispatch,
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
