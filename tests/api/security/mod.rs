//! The gateway's security guarantees (README, Security): each test fails without its fix.

mod cache_seal;
mod client_ip;
mod forged_keys;
mod hung_redis;
mod key_burst;
mod lockout;
mod ready_cache;
mod sessions;
mod sockets;
