//! The client address used for per-IP limits: the TCP peer, or the first `X-Forwarded-For`
//! hop only when `http.trust_forwarded_for` says a proxy in front of us sets it.

use std::net::IpAddr;

use actix_web::HttpRequest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    pub fn of(request: &HttpRequest, trust_forwarded_for: bool) -> ClientIp {
        if trust_forwarded_for {
            let forwarded = request
                .headers()
                .get("x-forwarded-for")
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.split(',').next())
                .and_then(|first| first.trim().parse().ok());
            if forwarded.is_some() {
                return ClientIp(forwarded);
            }
        }
        ClientIp(request.peer_addr().map(|addr| addr.ip()))
    }

    /// IPv6 clients share their /64, which one host usually controls.
    pub fn rate_key(&self) -> String {
        match self.0 {
            Some(ip) => crate::ratelimit::ip_key(ip),
            None => "unknown".into(),
        }
    }
}
