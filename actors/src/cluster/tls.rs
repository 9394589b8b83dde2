//! Optional TLS for cluster links: every node presents a certificate signed by the cluster's
//! CA and verifies its peer's against it (mutual TLS), on top of the cookie handshake.

use std::sync::Arc;

use tokio_rustls::rustls::crypto::aws_lc_rs;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{ClientConfig, RootCertStore, ServerConfig};
use tokio_rustls::{TlsAcceptor, TlsConnector};

use super::error::{DialError, TlsError};
use super::settings::ClusterSettings;

#[derive(Clone)]
pub struct ClusterTls {
    pub acceptor: TlsAcceptor,
    pub connector: TlsConnector,
    server_name: Option<String>,
}

impl ClusterTls {
    /// None when `cluster.tls_cert` is empty (plaintext links).
    pub fn load(settings: &ClusterSettings) -> Result<Option<ClusterTls>, TlsError> {
        if settings.tls_cert.is_empty() {
            return Ok(None);
        }
        let file_error = |setting: &'static str, path: &str| {
            let path = path.to_owned();
            move |source| TlsError::File {
                setting,
                path,
                source,
            }
        };
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&settings.tls_cert)
            .and_then(Iterator::collect)
            .map_err(file_error("tls_cert", &settings.tls_cert))?;
        if certs.is_empty() {
            return Err(TlsError::NoCertificate(settings.tls_cert.clone()));
        }
        let key = || {
            PrivateKeyDer::from_pem_file(&settings.tls_key)
                .map_err(file_error("tls_key", &settings.tls_key))
        };
        let mut roots = RootCertStore::empty();
        for ca in CertificateDer::pem_file_iter(&settings.tls_ca)
            .map_err(file_error("tls_ca", &settings.tls_ca))?
        {
            let ca = ca.map_err(file_error("tls_ca", &settings.tls_ca))?;
            roots.add(ca).map_err(|source| TlsError::Authority {
                path: settings.tls_ca.clone(),
                source,
            })?;
        }
        let roots = Arc::new(roots);
        let provider = Arc::new(aws_lc_rs::default_provider());
        let verifier =
            WebPkiClientVerifier::builder_with_provider(roots.clone(), provider.clone()).build()?;
        let server = ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()?
            .with_client_cert_verifier(verifier)
            .with_single_cert(certs.clone(), key()?)?;
        let client = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_client_auth_cert(certs, key()?)?;
        Ok(Some(ClusterTls {
            acceptor: TlsAcceptor::from(Arc::new(server)),
            connector: TlsConnector::from(Arc::new(client)),
            server_name: Some(settings.tls_server_name.clone()).filter(|name| !name.is_empty()),
        }))
    }

    /// The name a peer's certificate must carry: `cluster.tls_server_name`, else the host
    /// part of the address dialled (an IP address or a DNS name).
    pub fn server_name(&self, addr: &str) -> Result<ServerName<'static>, DialError> {
        let host = match &self.server_name {
            Some(name) => name.as_str(),
            None => addr.rsplit_once(':').map_or(addr, |(host, _)| host),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        ServerName::try_from(host.to_owned()).map_err(|source| DialError::ServerName {
            name: host.to_owned(),
            source,
        })
    }
}
