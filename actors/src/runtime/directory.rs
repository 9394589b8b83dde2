//! Where the node's core actors are now. The supervisor updates it when it restarts one, so
//! instances and the HTTP front door never hold a stale reference.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use ractor::{ActorId, ActorRef};

use super::dispatcher::DispatcherMessage;
use super::events::{Event, EventBusMessage};
use crate::kinds::AgentId;

#[derive(Clone, Default)]
pub struct Directory {
    refs: Arc<RwLock<Refs>>,
    /// Attempts in flight per instance, as the dispatcher assigned them.
    loads: Arc<RwLock<HashMap<ActorId, usize>>>,
}

#[derive(Default)]
struct Refs {
    dispatcher: Option<ActorRef<DispatcherMessage>>,
    bus: Option<ActorRef<EventBusMessage>>,
}

impl Directory {
    pub fn dispatcher(&self) -> Option<ActorRef<DispatcherMessage>> {
        self.read(|refs| refs.dispatcher.clone())
    }

    pub fn bus(&self) -> Option<ActorRef<EventBusMessage>> {
        self.read(|refs| refs.bus.clone())
    }

    /// Publishing never blocks and never fails the caller.
    pub fn publish(&self, event: Event) {
        if let Some(bus) = self.bus() {
            let _ = bus.cast(EventBusMessage::Publish(event));
        }
    }

    /// There may be queued work for `agent`: the dispatcher should look.
    pub fn wake(&self, agent: AgentId) {
        if let Some(dispatcher) = self.dispatcher() {
            let _ = dispatcher.cast(DispatcherMessage::Wake(agent));
        }
    }

    /// An instance finished an attempt and has room for another.
    pub fn released(&self, agent: AgentId, instance: ActorId, task_id: &str) {
        if let Some(dispatcher) = self.dispatcher() {
            let _ = dispatcher.cast(DispatcherMessage::Released {
                agent,
                instance,
                task_id: task_id.to_owned(),
            });
        }
    }

    pub fn load(&self, instance: ActorId) -> usize {
        self.loads
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&instance)
            .copied()
            .unwrap_or(0)
    }

    pub(super) fn set_load(&self, instance: ActorId, load: usize) {
        self.loads
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(instance, load);
    }

    pub(super) fn set_dispatcher(&self, dispatcher: ActorRef<DispatcherMessage>) {
        self.write(|refs| refs.dispatcher = Some(dispatcher));
    }

    pub(super) fn set_bus(&self, bus: ActorRef<EventBusMessage>) {
        self.write(|refs| refs.bus = Some(bus));
    }

    fn read<T>(&self, f: impl FnOnce(&Refs) -> T) -> T {
        f(&self.refs.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn write(&self, f: impl FnOnce(&mut Refs)) {
        f(&mut self.refs.write().unwrap_or_else(PoisonError::into_inner));
    }
}
