//! Where the node's core actors are now. The supervisor updates it when it restarts one, so
//! instances and the HTTP front door never hold a stale reference.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Instant;

use empire_schema::AgentId;
use ractor::{ActorId, ActorRef};

use super::control::{DispatcherMessage, EventBusMessage};
use super::event::Event;
use super::messages::TaskAttempt;

#[derive(Clone, Default)]
pub struct Directory {
    refs: Arc<RwLock<Refs>>,
    /// Attempts in flight per instance as last reported: by local instances themselves, and
    /// for remote ones by their node's heartbeat. A remote instance is only used while its
    /// node's reports arrive.
    loads: Arc<RwLock<HashMap<ActorId, Load>>>,
}

/// One instance's reported load.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub in_flight: usize,
    pub at: Instant,
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

    /// An event another node published (not sent on again).
    pub(crate) fn publish_relayed(&self, event: Event) {
        if let Some(bus) = self.bus() {
            let _ = bus.cast(EventBusMessage::Relayed(event));
        }
    }

    /// There may be queued work for `agent`: the dispatcher should look.
    pub fn wake(&self, agent: AgentId) {
        if let Some(dispatcher) = self.dispatcher() {
            let _ = dispatcher.cast(DispatcherMessage::Wake(agent));
        }
    }

    /// An instance finished an attempt and has room for another.
    pub fn released(&self, agent: AgentId, instance: ActorId, attempt: TaskAttempt) {
        if let Some(dispatcher) = self.dispatcher() {
            let _ = dispatcher.cast(DispatcherMessage::Released {
                agent,
                instance,
                attempt,
            });
        }
    }

    /// Attempts in flight on `instance` as last reported (0 when unknown).
    pub fn load(&self, instance: ActorId) -> usize {
        self.reported(instance).map_or(0, |load| load.in_flight)
    }

    pub fn reported(&self, instance: ActorId) -> Option<Load> {
        self.read_loads(|loads| loads.get(&instance).copied())
    }

    /// Local instances always are; remote ones while their node reports their load.
    pub fn reachable(&self, instance: ActorId) -> bool {
        instance.is_local() || self.read_loads(|loads| loads.contains_key(&instance))
    }

    /// A local instance reports its own load.
    pub(crate) fn set_load(&self, instance: ActorId, in_flight: usize) {
        let load = Load {
            in_flight,
            at: Instant::now(),
        };
        self.write_loads(|loads| {
            loads.insert(instance, load);
        });
    }

    pub(crate) fn forget(&self, instance: ActorId) {
        self.write_loads(|loads| {
            loads.remove(&instance);
        });
    }

    /// A heartbeat from remote node `node_id`: the loads of its instances (pid, in flight)
    /// replace what it reported before.
    pub(crate) fn set_node_loads(&self, node_id: u64, instances: &[(u64, usize)]) {
        let at = Instant::now();
        self.write_loads(|loads| {
            loads.retain(|id, _| id.node() != node_id || id.is_local());
            for &(pid, in_flight) in instances {
                loads.insert(ActorId::Remote { node_id, pid }, Load { in_flight, at });
            }
        });
    }

    /// Remote node `node_id` is unreachable or untrusted: none of its instances get work.
    pub(crate) fn forget_node(&self, node_id: u64) {
        self.write_loads(|loads| loads.retain(|id, _| id.is_local() || id.node() != node_id));
    }

    fn read_loads<T>(&self, f: impl FnOnce(&HashMap<ActorId, Load>) -> T) -> T {
        f(&self.loads.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn write_loads(&self, f: impl FnOnce(&mut HashMap<ActorId, Load>)) {
        f(&mut self.loads.write().unwrap_or_else(PoisonError::into_inner));
    }

    pub(crate) fn set_dispatcher(&self, dispatcher: ActorRef<DispatcherMessage>) {
        self.write(|refs| refs.dispatcher = Some(dispatcher));
    }

    pub(crate) fn set_bus(&self, bus: ActorRef<EventBusMessage>) {
        self.write(|refs| refs.bus = Some(bus));
    }

    fn read<T>(&self, f: impl FnOnce(&Refs) -> T) -> T {
        f(&self.refs.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn write(&self, f: impl FnOnce(&mut Refs)) {
        f(&mut self.refs.write().unwrap_or_else(PoisonError::into_inner));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_loads_come_and_go_with_their_node() {
        let directory = Directory::default();
        let local = ActorId::Local(7);
        directory.set_load(local, 3);
        directory.set_node_loads(5, &[(7, 2), (8, 0)]);
        directory.set_node_loads(6, &[(7, 4)]);
        let remote = |node_id, pid| ActorId::Remote { node_id, pid };
        assert_eq!(directory.load(local), 3);
        assert_eq!(directory.load(remote(5, 7)), 2);
        assert!(directory.reachable(remote(5, 8)));
        // A newer heartbeat replaces the node's instances; others stay.
        directory.set_node_loads(5, &[(8, 1)]);
        assert!(!directory.reachable(remote(5, 7)));
        assert_eq!(directory.load(remote(5, 8)), 1);
        assert_eq!(directory.load(remote(6, 7)), 4);
        // An unreachable node's instances get no work; local ones are always reachable.
        directory.forget_node(5);
        assert!(!directory.reachable(remote(5, 8)));
        assert!(directory.reachable(remote(6, 7)));
        assert!(directory.reachable(ActorId::Local(99)));
        assert_eq!(directory.load(local), 3);
    }
}
