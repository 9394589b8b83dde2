//! `[cluster]`: how this node finds and keeps its peers.

use std::net::SocketAddr;

use empire_schema::Secret;
use serde::{Deserialize, Serialize};

/// A multi-node cluster refuses a shorter cookie: it is the only thing a peer must know.
pub const MIN_COOKIE_CHARS: usize = 32;

/// The smallest `cluster.max_frame_bytes`: the largest task input (`http.body_limit_bytes`,
/// 256 KiB by default) must fit in one assignment.
pub const MIN_FRAME_BYTES: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClusterSettings {
    /// The cluster's name: nodes with the same name share agents (their process-group scope).
    pub name: String,
    /// Run a cluster node: listen on `addr`, join the seeds. Off = a single node.
    pub enabled: bool,
    /// Where this node listens for other nodes.
    pub addr: SocketAddr,
    /// How other nodes reach this one, when not `addr` (behind NAT or a proxy); "" = `addr`.
    pub advertise_addr: String,
    /// Shared secret of the cluster's nodes (EMPIRE_CLUSTER_COOKIE), at least 32 characters.
    #[serde(with = "empire_schema::secret::exposed")]
    pub cookie: Secret,
    /// `host:port` of nodes to join; this node's own address may be listed (it is skipped).
    pub seeds: Vec<String>,
    /// How often this node sends its heartbeat (with its instances' loads) to every peer.
    pub heartbeat_ms: u64,
    /// A peer silent this long is unreachable: it gets no work and its link is closed.
    pub heartbeat_timeout_ms: u64,
    /// TLS for cluster links (all three set, or none): this node's PEM certificate chain and
    /// key, and the PEM CA that signed every node's certificate. Peers verify each other.
    pub tls_cert: String,
    pub tls_key: String,
    pub tls_ca: String,
    /// The name peers' certificates carry, when not the host of the address dialled.
    pub tls_server_name: String,
    /// First delay before reconnecting a lost link; doubles per failure, with jitter.
    pub reconnect_min_ms: u64,
    pub reconnect_max_ms: u64,
    /// The largest frame read from a peer; a larger one closes the link before anything is
    /// allocated. It holds before the cookie challenge too (ractor_cluster has one limit), so
    /// it is what a stranger can make this node allocate per connection without `tls_*`.
    pub max_frame_bytes: u64,
}

impl Default for ClusterSettings {
    fn default() -> Self {
        ClusterSettings {
            name: "empire".into(),
            enabled: false,
            addr: SocketAddr::from(([127, 0, 0, 1], 4700)),
            advertise_addr: String::new(),
            cookie: Secret::default(),
            seeds: Vec::new(),
            heartbeat_ms: 500,
            heartbeat_timeout_ms: 3_000,
            tls_cert: String::new(),
            tls_key: String::new(),
            tls_ca: String::new(),
            tls_server_name: String::new(),
            reconnect_min_ms: 250,
            reconnect_max_ms: 10_000,
            max_frame_bytes: 4 * 1024 * 1024,
        }
    }
}

impl ClusterSettings {
    /// The address this node tells its peers to dial.
    pub fn advertised(&self) -> String {
        if self.advertise_addr.is_empty() {
            self.addr.to_string()
        } else {
            self.advertise_addr.clone()
        }
    }

    /// The first problem, as (setting, reason).
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if self.name.trim().is_empty() {
            return Err(("cluster.name", "must not be empty".into()));
        }
        if self.heartbeat_ms == 0 || self.heartbeat_timeout_ms < 2 * self.heartbeat_ms {
            return Err((
                "cluster.heartbeat_timeout_ms",
                "must be at least twice cluster.heartbeat_ms (which must be at least 1)".into(),
            ));
        }
        if self.reconnect_min_ms == 0 || self.reconnect_max_ms < self.reconnect_min_ms {
            return Err((
                "cluster.reconnect_max_ms",
                "must be at least cluster.reconnect_min_ms (which must be at least 1)".into(),
            ));
        }
        for seed in self
            .seeds
            .iter()
            .chain(Some(&self.advertise_addr).filter(|advertised| !advertised.is_empty()))
        {
            let valid = seed
                .rsplit_once(':')
                .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
            if !valid {
                return Err(("cluster.seeds", format!("`{seed}` is not host:port")));
            }
        }
        if self.max_frame_bytes < MIN_FRAME_BYTES {
            return Err((
                "cluster.max_frame_bytes",
                format!("must be at least {MIN_FRAME_BYTES}"),
            ));
        }
        let tls_set = [&self.tls_cert, &self.tls_key, &self.tls_ca]
            .iter()
            .filter(|path| !path.is_empty())
            .count();
        if tls_set != 0 && tls_set != 3 {
            return Err((
                "cluster.tls_cert",
                "set cluster.tls_cert, tls_key and tls_ca together (or none)".into(),
            ));
        }
        if self.enabled && self.cookie.expose().chars().count() < MIN_COOKIE_CHARS {
            return Err((
                "cluster.cookie (EMPIRE_CLUSTER_COOKIE)",
                format!("a cluster needs a cookie of at least {MIN_COOKIE_CHARS} characters"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_needs_a_long_cookie_and_sane_timings() {
        let mut settings = ClusterSettings {
            enabled: true,
            cookie: "short".into(),
            ..ClusterSettings::default()
        };
        assert!(settings.validate().is_err());
        settings.cookie = "c".repeat(MIN_COOKIE_CHARS).into();
        assert_eq!(settings.validate(), Ok(()));
        settings.seeds = vec!["127.0.0.1".into()];
        assert!(settings.validate().is_err());
        settings.seeds = vec!["127.0.0.1:4701".into()];
        settings.heartbeat_timeout_ms = settings.heartbeat_ms;
        assert!(settings.validate().is_err());
        settings.heartbeat_timeout_ms = ClusterSettings::default().heartbeat_timeout_ms;
        settings.max_frame_bytes = MIN_FRAME_BYTES - 1;
        assert!(settings.validate().is_err());
        // A single node needs no cookie.
        let single = ClusterSettings::default();
        assert_eq!(single.validate(), Ok(()));
    }
}
