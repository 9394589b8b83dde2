//! The client address used for per-IP limits and login counters: the TCP peer, unless the peer
//! is one of `http.trusted_proxies`; then the right-most `X-Forwarded-For` address that is not a
//! trusted proxy. Entries left of that were written by the client and prove nothing.

use std::net::IpAddr;

use actix_web::HttpRequest;

use super::trusted_proxies::TrustedProxies;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    pub fn of(request: &HttpRequest, proxies: &TrustedProxies) -> ClientIp {
        let peer = request.peer_addr().map(|addr| addr.ip().to_canonical());
        let forwarded = request
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok());
        ClientIp(peer.map(|peer| resolve(peer, forwarded, proxies)))
    }

    /// IPv6 clients share their /64, which one host usually controls.
    pub fn rate_key(&self) -> String {
        match self.0 {
            Some(ip) => crate::ratelimit::ip_key(ip),
            None => "unknown".into(),
        }
    }
}

/// Walks the hops from the nearest (the peer) outwards while each is a trusted proxy.
fn resolve<'a>(
    peer: IpAddr,
    headers: impl Iterator<Item = &'a str>,
    proxies: &TrustedProxies,
) -> IpAddr {
    // Several headers count as one list, in order.
    let hops: Vec<&str> = headers.flat_map(|value| value.split(',')).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        if !proxies.contains(client) {
            break;
        }
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => client = ip.to_canonical(),
            // A hop we cannot read: the last proxy we trust is the best address we know.
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(peer: &str, header: &str, proxies: &[&str]) -> String {
        let proxies = TrustedProxies::parse(proxies.iter().copied()).unwrap();
        resolve(peer.parse().unwrap(), [header].into_iter(), &proxies).to_string()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        assert_eq!(resolved("10.0.0.5", "1.2.3.4", &[]), "10.0.0.5");
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let proxies = ["10.0.0.0/8", "192.168.1.1"];
        // The client claimed 6.6.6.6; our proxy appended the address it saw.
        assert_eq!(
            resolved("10.0.0.5", "6.6.6.6, 1.2.3.4", &proxies),
            "1.2.3.4"
        );
        assert_eq!(
            resolved("10.0.0.5", "6.6.6.6, 1.2.3.4, 192.168.1.1", &proxies),
            "1.2.3.4"
        );
        assert_eq!(resolved("10.0.0.5", "junk, 10.0.0.7", &proxies), "10.0.0.7");
        assert_eq!(resolved("8.8.8.8", "1.2.3.4", &proxies), "8.8.8.8");
    }
}
