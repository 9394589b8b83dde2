//! Keeps this node linked to its seeds and to every peer it has heard of: ractor_cluster does
//! not reconnect by itself, so a missing link is dialled again with exponential backoff and
//! jitter until it is back.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use ractor::ActorRef;
use ractor_cluster::NodeServerMessage;

use super::beat::node_of;
use super::error::DialError;
use super::settings::ClusterSettings;
use super::tls::ClusterTls;
use crate::plumbing::chain::Chain;
use crate::plumbing::metrics::LINK_RECONNECTS;

/// Peers heard of through heartbeats: node name → address to dial.
pub type KnownPeers = Arc<Mutex<BTreeMap<String, String>>>;

const CHECK_EVERY: Duration = Duration::from_millis(250);

struct Dial {
    backoff: Duration,
    next: Instant,
    /// Dialled before: the next dial is a reconnect.
    dialled: bool,
}

pub async fn keep_linked(
    server: ActorRef<NodeServerMessage>,
    settings: ClusterSettings,
    known: KnownPeers,
    tls: Option<ClusterTls>,
) {
    let own = [settings.addr.to_string(), settings.advertised()];
    let min = Duration::from_millis(settings.reconnect_min_ms);
    let max = Duration::from_millis(settings.reconnect_max_ms);
    let handshake = Duration::from_millis(settings.heartbeat_timeout_ms);
    let mut dials: HashMap<String, Dial> = HashMap::new();
    loop {
        tokio::time::sleep(CHECK_EVERY).await;
        let Ok(sessions) = ractor::call_t!(server, NodeServerMessage::GetSessions, 1000) else {
            continue;
        };
        // Every address this node is linked to (or handshaking with), and every peer by name.
        let mut linked: Vec<String> = Vec::new();
        for session in sessions.values() {
            linked.push(session.peer_addr.clone());
            if let Some(peer) = &session.peer_name {
                linked.push(peer.connection_string.clone());
                linked.push(node_of(&peer.name).to_owned());
            }
        }
        let targets = targets(&settings.seeds, &known, &own);
        for (addr, name) in targets {
            let dial = dials.entry(addr.clone()).or_insert(Dial {
                backoff: min,
                next: Instant::now(),
                dialled: false,
            });
            let is_linked =
                linked.contains(&addr) || name.is_some_and(|name| linked.contains(&name));
            if is_linked {
                dial.backoff = min;
                continue;
            }
            if Instant::now() < dial.next {
                continue;
            }
            if dial.dialled {
                metrics::counter!(LINK_RECONNECTS).increment(1);
            }
            dial.dialled = true;
            let wait = jittered(dial.backoff);
            dial.backoff = (dial.backoff * 2).min(max);
            match tokio::time::timeout(handshake, connect(&server, &addr, tls.as_ref())).await {
                // Give the handshake its time before judging the link.
                Ok(Ok(())) => dial.next = Instant::now() + handshake.max(wait),
                Ok(Err(error)) => {
                    tracing::debug!(addr, error = %Chain(&error), retry_ms = wait.as_millis() as u64, "cannot reach a cluster peer");
                    dial.next = Instant::now() + wait;
                }
                Err(_) => dial.next = Instant::now() + wait,
            }
        }
    }
}

async fn connect(
    server: &ActorRef<NodeServerMessage>,
    addr: &str,
    tls: Option<&ClusterTls>,
) -> Result<(), DialError> {
    match tls {
        None => Ok(ractor_cluster::client_connect(server, addr).await?),
        Some(tls) => {
            let name = tls.server_name(addr)?;
            Ok(
                ractor_cluster::client_connect_enc(server, addr, tls.connector.clone(), name)
                    .await?,
            )
        }
    }
}

/// Seeds and known peers, without this node itself: (address, node name if known).
fn targets(seeds: &[String], known: &KnownPeers, own: &[String]) -> Vec<(String, Option<String>)> {
    let known = known.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let mut targets: Vec<(String, Option<String>)> =
        seeds.iter().map(|seed| (seed.clone(), None)).collect();
    for (name, addr) in known {
        match targets.iter_mut().find(|(target, _)| *target == addr) {
            Some(target) => target.1 = Some(name),
            None => targets.push((addr, Some(name))),
        }
    }
    targets.retain(|(addr, _)| !own.contains(addr));
    targets
}

/// `backoff` scaled by a random factor in [0.5, 1.5), so nodes that lost a peer together do
/// not all dial it at the same instant.
fn jittered(backoff: Duration) -> Duration {
    let random = std::collections::hash_map::RandomState::new().hash_one(Instant::now());
    let factor = 0.5 + (random % 1000) as f64 / 1000.0;
    backoff.mul_f64(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_seeds_and_known_peers_but_never_this_node() {
        let known: KnownPeers = Arc::default();
        known.lock().unwrap().extend([
            ("node-2".to_owned(), "127.0.0.1:4702".to_owned()),
            ("node-3".to_owned(), "127.0.0.1:4703".to_owned()),
        ]);
        let seeds = vec!["127.0.0.1:4701".to_owned(), "127.0.0.1:4702".to_owned()];
        let own = ["127.0.0.1:4701".to_owned(), "127.0.0.1:4701".to_owned()];
        let targets = targets(&seeds, &known, &own);
        assert_eq!(
            targets,
            vec![
                ("127.0.0.1:4702".to_owned(), Some("node-2".to_owned())),
                ("127.0.0.1:4703".to_owned(), Some("node-3".to_owned())),
            ]
        );
    }

    #[test]
    fn jitter_stays_within_half_to_one_and_a_half() {
        for _ in 0..100 {
            let wait = jittered(Duration::from_millis(1000));
            assert!(wait >= Duration::from_millis(500) && wait < Duration::from_millis(1500));
        }
    }
}
