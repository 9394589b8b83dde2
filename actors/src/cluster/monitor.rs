//! The cluster monitor: sends this node's heartbeat (identity, database, instance loads) to
//! every peer, tracks the peers' heartbeats, and decides who is up. A peer silent past the
//! heartbeat timeout is unreachable: its instances get no more work and its link is closed
//! (the link keeper dials it again). Joins and leaves are published on the event bus.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort, pg};
use ractor_cluster::{NodeServerMessage, RactorClusterMessage};

use super::beat::{Beat, LinkChange, LinkNote, NodeStatus, NodeView, local_instances, node_of};
use super::links::KnownPeers;
use super::settings::ClusterSettings;
use crate::plumbing::directory::Directory;
use crate::plumbing::event::Event;
use crate::plumbing::metrics::{FOREIGN_NODES, HANDSHAKES_REFUSED, LINKS_LOST, NODES_UP};
use crate::plumbing::wire::Wire;

/// The process group every node's monitor joins, within the cluster's scope.
const MONITORS: &str = "cluster.monitors";

pub struct Monitor;

/// Who this node is, as its heartbeat tells it.
#[derive(Debug, Clone)]
pub struct NodeIdentity {
    pub node: String,
    pub http_addr: String,
    pub cluster_addr: String,
    pub database_id: String,
}

pub struct MonitorArgs {
    pub identity: NodeIdentity,
    pub settings: ClusterSettings,
    pub directory: Directory,
    /// None on a single node.
    pub server: Option<ActorRef<NodeServerMessage>>,
    pub known: KnownPeers,
}

#[derive(RactorClusterMessage)]
pub enum MonitorMessage {
    /// Another node's heartbeat.
    Beat(Wire<Beat>),
    /// This node's timer: send a heartbeat, look for silent peers.
    Tick(Wire<()>),
    /// A link opened, authenticated or closed (from the NodeServer).
    Link(Wire<LinkNote>),
    #[rpc]
    Nodes(RpcReplyPort<Wire<Vec<NodeView>>>),
}

struct Peer {
    /// Its latest heartbeat.
    beat: Beat,
    last_beat: Instant,
    last_beat_at: DateTime<Utc>,
    up: bool,
    foreign: bool,
}

struct Link {
    peer: Option<String>,
    peer_addr: String,
    authenticated: bool,
    opened: Instant,
}

pub struct MonitorState {
    args: MonitorArgs,
    peers: BTreeMap<String, Peer>,
    links: HashMap<u64, Link>,
    /// Another node's heartbeat named this node (logged once).
    name_clash: bool,
    timer: tokio::task::JoinHandle<()>,
}

impl Actor for Monitor {
    type Msg = MonitorMessage;
    type State = MonitorState;
    type Arguments = MonitorArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<Self::Msg>,
        args: MonitorArgs,
    ) -> Result<MonitorState, ActorProcessingErr> {
        pg::join_scoped(
            args.settings.name.clone(),
            MONITORS.to_owned(),
            vec![myself.get_cell()],
        );
        let every = Duration::from_millis(args.settings.heartbeat_ms);
        let timer = myself.send_interval(every, || MonitorMessage::Tick(Wire::new(())));
        metrics::gauge!(NODES_UP).set(1.0);
        Ok(MonitorState {
            args,
            peers: BTreeMap::new(),
            links: HashMap::new(),
            name_clash: false,
            timer,
        })
    }

    async fn post_stop(
        &self,
        _: ActorRef<Self::Msg>,
        state: &mut MonitorState,
    ) -> Result<(), ActorProcessingErr> {
        state.timer.abort();
        Ok(())
    }

    async fn handle(
        &self,
        _: ActorRef<Self::Msg>,
        message: MonitorMessage,
        state: &mut MonitorState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            MonitorMessage::Beat(beat) => match beat.into_inner() {
                Ok(beat) => state.heard(beat),
                Err(error) => tracing::warn!(%error, "an undecodable heartbeat was ignored"),
            },
            MonitorMessage::Tick(_) => state.tick().await,
            MonitorMessage::Link(note) => {
                if let Ok(note) = note.into_inner() {
                    state.link_changed(note);
                }
            }
            MonitorMessage::Nodes(reply) => {
                let _ = reply.send(Wire::new(state.view()));
            }
        }
        Ok(())
    }
}

impl MonitorState {
    fn heard(&mut self, beat: Beat) {
        let node = beat.node.clone();
        if node == self.args.identity.node {
            if !self.name_clash {
                self.name_clash = true;
                tracing::error!(
                    node,
                    "another node uses this node's name; its heartbeats are ignored"
                );
            }
            return;
        }
        let foreign = beat.database_id != self.args.identity.database_id;
        let link = self.link_of(&node);
        let peer = match self.peers.entry(node.clone()) {
            Entry::Occupied(entry) => {
                let peer = entry.into_mut();
                peer.beat = beat;
                peer
            }
            Entry::Vacant(entry) => entry.insert(Peer {
                beat,
                last_beat: Instant::now(),
                last_beat_at: Utc::now(),
                up: false,
                foreign: false,
            }),
        };
        peer.last_beat = Instant::now();
        peer.last_beat_at = Utc::now();
        if foreign {
            if !peer.foreign {
                metrics::counter!(FOREIGN_NODES).increment(1);
                tracing::error!(
                    node,
                    "a cluster node uses another database; it gets no work until it shares this one"
                );
            }
            peer.foreign = true;
            peer.up = false;
            if let Some(node_id) = link {
                self.args.directory.forget_node(node_id);
            }
            return;
        }
        peer.foreign = false;
        if let Some(node_id) = link {
            let loads: Vec<(u64, usize)> = peer
                .beat
                .instances
                .iter()
                .map(|instance| (instance.pid, instance.in_flight))
                .collect();
            self.args.directory.set_node_loads(node_id, &loads);
        }
        {
            let mut known = self
                .args
                .known
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            known.insert(node.clone(), peer.beat.cluster_addr.clone());
            for (name, addr) in &peer.beat.peers {
                if *name != self.args.identity.node {
                    known.entry(name.clone()).or_insert_with(|| addr.clone());
                }
            }
        }
        if !peer.up {
            peer.up = true;
            tracing::info!(node, http_addr = peer.beat.http_addr, "cluster node up");
            let event = Event::NodeJoined {
                node,
                http_addr: peer.beat.http_addr.clone(),
                cluster_addr: peer.beat.cluster_addr.clone(),
            };
            self.args.directory.publish(event);
            self.count_up();
        }
    }

    async fn tick(&mut self) {
        let beat = Wire::new(self.own_beat());
        for monitor in pg::get_scoped_members(&self.args.settings.name, &MONITORS.to_owned()) {
            if !monitor.get_id().is_local() {
                let monitor: ActorRef<MonitorMessage> = monitor.into();
                let _ = monitor.cast(MonitorMessage::Beat(beat.clone()));
            }
        }
        let timeout = Duration::from_millis(self.args.settings.heartbeat_timeout_ms);
        let silent: Vec<String> = self
            .peers
            .iter()
            .filter(|(_, peer)| peer.up && peer.last_beat.elapsed() > timeout)
            .map(|(node, _)| node.clone())
            .collect();
        for node in silent {
            metrics::counter!(LINKS_LOST).increment(1);
            let reason = format!("no heartbeat for {} ms", timeout.as_millis());
            self.mark_down(&node, &reason);
        }
        // A link open longer than the timeout is closed, and the link keeper dials its peer
        // again, when it never authenticated (a black-holed address) or its peer is down for
        // silence: on every tick until it is gone, so a close the NodeServer did not answer in
        // time is tried again. A new link gets the timeout to carry its first heartbeat.
        let down: Vec<String> = self
            .peers
            .iter()
            .filter(|(_, peer)| !peer.up && !peer.foreign)
            .map(|(node, _)| node.clone())
            .collect();
        self.close_links(|link| {
            link.opened.elapsed() > timeout
                && (!link.authenticated
                    || link.peer.as_ref().is_some_and(|peer| down.contains(peer)))
        })
        .await;
    }

    fn link_changed(&mut self, note: LinkNote) {
        let peer = note.peer.as_deref().map(node_of).map(str::to_owned);
        match note.change {
            LinkChange::Opened => {
                self.links.insert(
                    note.node_id,
                    Link {
                        peer,
                        peer_addr: note.peer_addr,
                        authenticated: false,
                        opened: Instant::now(),
                    },
                );
            }
            LinkChange::Authenticated => {
                let link = self.links.entry(note.node_id).or_insert(Link {
                    peer: None,
                    peer_addr: note.peer_addr,
                    authenticated: false,
                    opened: Instant::now(),
                });
                link.authenticated = true;
                link.peer = peer.or(link.peer.take());
            }
            LinkChange::Closed => {
                self.args.directory.forget_node(note.node_id);
                let Some(link) = self.links.remove(&note.node_id) else {
                    return;
                };
                if !link.authenticated {
                    metrics::counter!(HANDSHAKES_REFUSED).increment(1);
                    tracing::warn!(
                        peer_addr = link.peer_addr,
                        "a cluster connection closed before authenticating (wrong cookie, not a cluster node, or no route)"
                    );
                    return;
                }
                if let Some(node) = link.peer
                    && self.link_of(&node).is_none()
                {
                    self.mark_down(&node, "link closed");
                }
            }
        }
    }

    fn mark_down(&mut self, node: &str, reason: &str) {
        let Some(peer) = self.peers.get_mut(node) else {
            return;
        };
        if !peer.up {
            return;
        }
        peer.up = false;
        tracing::warn!(node, reason, "cluster node unreachable");
        if let Some(node_id) = self.link_of(node) {
            self.args.directory.forget_node(node_id);
        }
        self.args.directory.publish(Event::NodeLeft {
            node: node.to_owned(),
            reason: reason.to_owned(),
        });
        self.count_up();
    }

    /// Stops the NodeServer's sessions whose link matches; the link keeper reconnects.
    async fn close_links(&mut self, matches: impl Fn(&Link) -> bool) {
        let ids: Vec<u64> = self
            .links
            .iter()
            .filter(|(_, link)| matches(link))
            .map(|(id, _)| *id)
            .collect();
        let Some(server) = &self.args.server else {
            return;
        };
        if ids.is_empty() {
            return;
        }
        let Ok(sessions) = ractor::call_t!(server, NodeServerMessage::GetSessions, 1000) else {
            return;
        };
        for id in ids {
            if let Some(session) = sessions.get(&id) {
                session.actor.stop(Some("cluster link silent".into()));
            }
        }
    }

    /// The node id of the authenticated link to `node`, if there is one.
    fn link_of(&self, node: &str) -> Option<u64> {
        self.links
            .iter()
            .find(|(_, link)| link.authenticated && link.peer.as_deref() == Some(node))
            .map(|(id, _)| *id)
    }

    fn count_up(&self) {
        let up = 1 + self.peers.values().filter(|peer| peer.up).count();
        metrics::gauge!(NODES_UP).set(up as f64);
    }

    fn own_beat(&self) -> Beat {
        let identity = &self.args.identity;
        Beat {
            node: identity.node.clone(),
            http_addr: identity.http_addr.clone(),
            cluster_addr: identity.cluster_addr.clone(),
            database_id: identity.database_id.clone(),
            instances: local_instances(&self.args.settings.name, &self.args.directory),
            peers: self
                .peers
                .iter()
                .filter(|(_, peer)| peer.up)
                .map(|(name, peer)| (name.clone(), peer.beat.cluster_addr.clone()))
                .collect(),
        }
    }

    fn view(&self) -> Vec<NodeView> {
        let mut nodes = vec![NodeView::of(
            &self.own_beat(),
            NodeStatus::Up,
            true,
            Utc::now(),
        )];
        for peer in self.peers.values() {
            let status = match (peer.foreign, peer.up) {
                (true, _) => NodeStatus::Foreign,
                (false, true) => NodeStatus::Up,
                (false, false) => NodeStatus::Unreachable,
            };
            nodes.push(NodeView::of(&peer.beat, status, false, peer.last_beat_at));
        }
        nodes
    }
}
