//! Why a node could not join its cluster, load its TLS files or dial a peer.

use std::net::SocketAddr;

use ractor_cluster::node::client::ClientConnectErr;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::InvalidDnsNameError;
use tokio_rustls::rustls::pki_types::pem;

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error("cannot listen for cluster nodes on {addr}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: ractor::SpawnErr,
    },
    #[error("the cluster {actor} did not start")]
    Spawn {
        actor: &'static str,
        #[source]
        source: ractor::SpawnErr,
    },
    #[error("the cluster node server stopped")]
    ServerStopped,
}

/// A `cluster.tls_*` file that cannot be used; the text names the setting and the path.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cluster.{setting} {path}")]
    File {
        setting: &'static str,
        path: String,
        #[source]
        source: pem::Error,
    },
    #[error("cluster.tls_cert {0}: no certificate")]
    NoCertificate(String),
    #[error("cluster.tls_ca {path}")]
    Authority {
        path: String,
        #[source]
        source: rustls::Error,
    },
    #[error("cluster.tls_ca: cannot verify peers")]
    Verifier(#[from] rustls::server::VerifierBuilderError),
    #[error("cluster.tls_cert / tls_key")]
    Config(#[from] rustls::Error),
}

/// Why one dial of a peer failed; the link keeper retries with backoff.
#[derive(Debug, thiserror::Error)]
pub enum DialError {
    #[error("`{name}` is not a valid TLS server name")]
    ServerName {
        name: String,
        #[source]
        source: InvalidDnsNameError,
    },
    #[error("cannot connect")]
    Connect(#[from] ClientConnectErr),
}
