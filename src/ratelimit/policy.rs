//! A rate-limit policy and the cache keys of its buckets.

use std::net::IpAddr;

use empire_schema::hex::hex;
use sha2::{Digest, Sha256};

/// A token bucket per key: `capacity` requests back to back, then `refill_per_sec` sustained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// Names the policy in cache keys, response headers and metrics, e.g. `api`.
    pub name: &'static str,
    pub capacity: u32,
    pub refill_per_sec: f64,
}

impl Policy {
    /// Seconds an empty bucket takes to fill: with `q = capacity` this is the draft's `w`,
    /// since the bucket grants `capacity` requests per such window in the long run.
    pub fn window_secs(&self) -> u64 {
        ceil_secs(f64::from(self.capacity) / self.refill_per_sec).max(1)
    }

    /// `rl:<policy>:<hash>`: a hash, so user input (emails, addresses) never becomes a raw
    /// Redis key and every key has the same short length.
    pub(crate) fn bucket_key(&self, key: &str) -> String {
        format!("rl:{}:{}", self.name, digest(key))
    }
}

/// The key of an account's failed-login counter for one client address, and of the pause
/// that address must wait before its next attempt.
pub(crate) fn failed_login_key(email: &str, client: &str) -> String {
    format!("rl:failed_login:{}", login_digest(email, client))
}

pub(crate) fn login_wait_key(email: &str, client: &str) -> String {
    format!("rl:login_wait:{}", login_digest(email, client))
}

fn login_digest(email: &str, client: &str) -> String {
    digest(&format!("{}\n{client}", normalize_email(email)))
}

/// Emails as login keys: trimmed and lower-cased, so `Bob@x.io` and `bob@x.io ` share a bucket.
/// Pass emails through this before `RateLimiter::check` with the `login_email` policy.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A client address as a limit key. An IPv6 client usually holds a whole /64, so it is
/// limited per /64; otherwise it could take a fresh address for every request.
pub fn ip_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            format!(
                "{:x}:{:x}:{:x}:{:x}::/64",
                segments[0], segments[1], segments[2], segments[3]
            )
        }
    }
}

/// The first 128 bits of SHA-256 in hex: short, and no collision anyone could aim for.
fn digest(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes())[..16])
}

/// Whole seconds, rounded up. Buckets count in microseconds, so less than one is float
/// noise (5 / (5 / 60) is a hair above 60) and must not add a second.
fn ceil_secs(secs: f64) -> u64 {
    let secs = (secs - 1e-6).ceil();
    // `as` saturates, and NaN (impossible for a validated policy) becomes 0.
    if secs > 0.0 { secs as u64 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: Policy = Policy {
        name: "api",
        capacity: 120,
        refill_per_sec: 10.0,
    };

    #[test]
    fn keys_are_namespaced_hashed_and_fixed_length() {
        let key = API.bucket_key("user:42");
        assert!(key.starts_with("rl:api:"));
        assert_eq!(key.len(), "rl:api:".len() + 32);
        assert!(!key.contains("42"));
        assert_ne!(key, API.bucket_key("user:43"));
        let long = API.bucket_key(&"x".repeat(10_000));
        assert_eq!(long.len(), key.len());
        let odd = API.bucket_key("a b\r\n*3\r\n$3\r\nDEL");
        assert!(
            odd.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '_')
        );
    }

    #[test]
    fn emails_match_whatever_their_case() {
        let key = |email| failed_login_key(email, "10.0.0.1");
        assert_eq!(key(" Bob@X.io"), key("bob@x.io"));
        assert_ne!(key("bob@x.io"), key("bob@y.io"));
        assert_ne!(key("bob@x.io"), failed_login_key("bob@x.io", "10.0.0.2"));
        assert!(key("bob@x.io").starts_with("rl:failed_login:"));
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(ip_key(a), ip_key(b));
        assert_ne!(ip_key(a), ip_key(c));
        assert_eq!(ip_key("203.0.113.7".parse().unwrap()), "203.0.113.7");
        assert_eq!(ip_key("::ffff:203.0.113.7".parse().unwrap()), "203.0.113.7");
    }

    #[test]
    fn the_window_is_the_time_to_fill() {
        assert_eq!(API.window_secs(), 12);
        let per_minute = Policy {
            name: "login_email",
            capacity: 5,
            refill_per_sec: 5.0 / 60.0,
        };
        assert_eq!(per_minute.window_secs(), 60);
        let fast = Policy {
            name: "fast",
            capacity: 1,
            refill_per_sec: 1000.0,
        };
        assert_eq!(fast.window_secs(), 1);
    }
}
