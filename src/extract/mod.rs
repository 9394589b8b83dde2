//! Request extractors that reject bad input as problem+json before a handler runs.

pub mod client_ip;
pub mod json;
pub mod page;

pub use client_ip::ClientIp;
pub use json::ValidJson;
pub use page::PageQuery;
