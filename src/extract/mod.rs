//! Request extractors that reject bad input as problem+json before a handler runs.

pub mod client_ip;
pub mod json;
pub mod page;
pub mod trusted_proxies;

pub use client_ip::ClientIp;
pub use json::ValidJson;
pub use page::PageQuery;
pub use trusted_proxies::TrustedProxies;
