//! Cluster membership. Each clustered node runs a ractor_cluster `NodeServer` (cookie-
//! authenticated links between nodes, optionally over mutual TLS; process groups span them),
//! a link keeper that dials the seeds and every peer it has heard of whenever a link is
//! missing, a monitor that exchanges heartbeats (instance loads, known peers), and an event
//! relay. A single node runs only the monitor.

pub mod beat;
mod error;
mod links;
pub mod monitor;
pub mod relay;
pub mod settings;
mod tls;

use std::sync::Arc;

use ractor::{Actor, ActorRef};
use ractor_cluster::node::{NodeConnectionMode, NodeServerSessionInformation};
use ractor_cluster::{
    IncomingEncryptionMode, NodeEventSubscription, NodeServer, NodeServerMessage,
};
use tokio::task::JoinHandle;

pub use beat::{NodeStatus, NodeView};
pub use error::{ClusterError, DialError, TlsError};
pub use monitor::NodeIdentity;
pub use settings::{ClusterSettings, MIN_COOKIE_CHARS};

use crate::plumbing::directory::Directory;
use crate::plumbing::wire::Wire;
use beat::{LinkChange, LinkNote};
use links::KnownPeers;
use monitor::{Monitor, MonitorArgs, MonitorMessage};

/// This node's place in the cluster. Cheap to clone.
#[derive(Clone)]
pub struct Cluster {
    monitor: ActorRef<MonitorMessage>,
    /// What only a clustered node runs.
    linked: Option<Linked>,
}

#[derive(Clone)]
struct Linked {
    server: ActorRef<NodeServerMessage>,
    relay: ActorRef<relay::RelayMessage>,
    keeper: Arc<JoinHandle<()>>,
}

impl Cluster {
    /// Starts the monitor, and when `settings.enabled` the NodeServer and the link keeper.
    pub async fn start(
        settings: ClusterSettings,
        identity: NodeIdentity,
        directory: Directory,
    ) -> Result<Cluster, ClusterError> {
        let known = KnownPeers::default();
        let tls = tls::ClusterTls::load(&settings)?;
        let server = if settings.enabled {
            Some(start_server(&settings, &identity.node, tls.as_ref()).await?)
        } else {
            None
        };
        let args = MonitorArgs {
            identity,
            settings: settings.clone(),
            directory: directory.clone(),
            server: server.clone(),
            known: known.clone(),
        };
        let (monitor, _) =
            Actor::spawn(None, Monitor, args)
                .await
                .map_err(|source| ClusterError::Spawn {
                    actor: "monitor",
                    source,
                })?;
        let linked = match &server {
            Some(server) => {
                let subscription = LinkNotes(monitor.clone());
                server
                    .cast(NodeServerMessage::SubscribeToEvents {
                        id: "empire.monitor".into(),
                        subscription: Box::new(subscription),
                    })
                    .map_err(|_| ClusterError::ServerStopped)?;
                let relay_args = (settings.name.clone(), directory.clone());
                let (relay, _) = Actor::spawn(None, relay::EventRelay, relay_args)
                    .await
                    .map_err(|source| ClusterError::Spawn {
                        actor: "event relay",
                        source,
                    })?;
                let keeper = links::keep_linked(server.clone(), settings, known, tls);
                Some(Linked {
                    server: server.clone(),
                    relay,
                    keeper: Arc::new(tokio::spawn(keeper)),
                })
            }
            None => None,
        };
        Ok(Cluster { monitor, linked })
    }

    /// Every node this one knows, itself first.
    pub async fn nodes(&self) -> Vec<NodeView> {
        match ractor::call_t!(self.monitor, MonitorMessage::Nodes, 2000) {
            Ok(nodes) => nodes.into_inner().unwrap_or_default(),
            Err(error) => {
                tracing::warn!(%error, "the cluster monitor did not answer");
                Vec::new()
            }
        }
    }

    pub fn stop(&self) {
        self.monitor.stop(None);
        if let Some(linked) = &self.linked {
            linked.keeper.abort();
            linked.relay.stop(None);
            linked.server.stop(None);
        }
    }
}

/// The NodeServer runs isolated: which peers to dial is the link keeper's business (it
/// learns them from heartbeats, and dials with TLS when configured).
async fn start_server(
    settings: &ClusterSettings,
    node: &str,
    tls: Option<&tls::ClusterTls>,
) -> Result<ActorRef<NodeServerMessage>, ClusterError> {
    let server = NodeServer::new(
        settings.addr.port(),
        settings.cookie.expose().to_owned(),
        node.to_owned(),
        settings.addr.ip().to_string(),
        tls.map(|tls| IncomingEncryptionMode::Tls(tls.acceptor.clone())),
        Some(NodeConnectionMode::Isolated),
    )
    .with_listen_addr(settings.addr.ip())
    .with_max_inbound_frame_size(settings.max_frame_bytes);
    // Spawning binds the listener: a port in use fails here.
    let (server, _) =
        Actor::spawn(None, server, ())
            .await
            .map_err(|source| ClusterError::Listen {
                addr: settings.addr,
                source,
            })?;
    tracing::info!(addr = %settings.addr, seeds = ?settings.seeds, tls = tls.is_some(), "cluster node listening");
    Ok(server)
}

/// Forwards the NodeServer's link events to the monitor.
struct LinkNotes(ActorRef<MonitorMessage>);

impl LinkNotes {
    fn send(&self, session: &NodeServerSessionInformation, change: LinkChange) {
        let note = LinkNote {
            node_id: session.node_id,
            change,
            peer: session.peer_name.as_ref().map(|peer| peer.name.clone()),
            peer_addr: session.peer_addr.clone(),
        };
        let _ = self.0.cast(MonitorMessage::Link(Wire::new(note)));
    }
}

impl NodeEventSubscription for LinkNotes {
    fn node_session_opened(&self, session: NodeServerSessionInformation) {
        self.send(&session, LinkChange::Opened);
    }

    fn node_session_disconnected(&self, session: NodeServerSessionInformation) {
        self.send(&session, LinkChange::Closed);
    }

    fn node_session_authenticated(&self, session: NodeServerSessionInformation) {
        self.send(&session, LinkChange::Authenticated);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::*;

    #[tokio::test]
    async fn a_stranger_announcing_a_frame_over_the_limit_is_cut_off_at_once() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .unwrap()
            .port();
        let settings = ClusterSettings {
            enabled: true,
            addr: ([127, 0, 0, 1], port).into(),
            cookie: "c".repeat(settings::MIN_COOKIE_CHARS).into(),
            ..ClusterSettings::default()
        };
        let server = start_server(&settings, "node-a", None).await.unwrap();
        let mut stranger = TcpStream::connect(settings.addr).await.unwrap();
        let announced = settings.max_frame_bytes + 1;
        stranger.write_all(&announced.to_be_bytes()).await.unwrap();
        let mut byte = [0_u8; 1];
        let read = tokio::time::timeout(Duration::from_secs(5), stranger.read(&mut byte)).await;
        assert!(
            matches!(read, Ok(Ok(0) | Err(_))),
            "the link is closed without waiting for {announced} bytes: {read:?}"
        );
        server.stop(None);
    }
}
