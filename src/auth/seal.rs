//! Authenticates what the gateway caches about credentials: anyone who can write to a shared
//! Redis could otherwise plant an API key record holding `admin.full`. Each cached value is
//! stored as `<hex HMAC-SHA256>.<json>`, the MAC taken over the cache key and the JSON with a
//! key derived from the JWT secret, so an entry is only accepted from a node holding that secret.

use empire_schema::hex::hex;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::api_key::constant_time_eq;

/// Entries refused because their MAC did not match (planted, tampered or from another secret).
pub const REJECTED: &str = "auth_cache_rejected_total";

/// Separates this use of the JWT secret from signing tokens.
const CONTEXT: &[u8] = b"empire/credential-cache/v1";

pub struct Seal {
    /// HMAC keyed with the sealing key, cloned per tag (keying hashes two blocks each time).
    keyed: Hmac<Sha256>,
}

impl Seal {
    /// Derives the sealing key from the JWT secret: HMAC-SHA256(secret, context label).
    pub fn from_secret(secret: &[u8]) -> Seal {
        let mut derive = keyed(secret);
        derive.update(CONTEXT);
        Seal {
            keyed: keyed(&derive.finalize().into_bytes()),
        }
    }

    /// The value to store under `cache_key`.
    pub fn seal(&self, cache_key: &str, json: &str) -> String {
        format!("{}.{json}", hex(&self.tag(cache_key, json)))
    }

    /// The JSON of a value stored under `cache_key`, if its MAC is ours; a foreign or altered
    /// entry is counted and treated as absent.
    pub fn open<'a>(&self, cache_key: &str, stored: &'a str) -> Option<&'a str> {
        let opened = stored.split_once('.').and_then(|(tag, json)| {
            constant_time_eq(tag.as_bytes(), hex(&self.tag(cache_key, json)).as_bytes())
                .then_some(json)
        });
        if opened.is_none() {
            metrics::counter!(REJECTED).increment(1);
            tracing::warn!(
                cache_key,
                "ignored a cached credential entry with a bad MAC"
            );
        }
        opened
    }

    fn tag(&self, cache_key: &str, json: &str) -> [u8; 32] {
        // The length prefix keeps (key, json) pairs from being re-split into another valid pair.
        let length = (cache_key.len() as u64).to_be_bytes();
        let mut mac = self.keyed.clone();
        mac.update(&length);
        mac.update(cache_key.as_bytes());
        mac.update(json.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

fn keyed(key: &[u8]) -> Hmac<Sha256> {
    match <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_under_its_key_and_secret() {
        let seal = Seal::from_secret(b"a secret of at least thirty-two bytes!!");
        let stored = seal.seal("apikey:mfm_abc", r#"{"revoked":false}"#);
        assert_eq!(
            seal.open("apikey:mfm_abc", &stored),
            Some(r#"{"revoked":false}"#)
        );
        assert_eq!(seal.open("apikey:mfm_xyz", &stored), None);
        let tampered = stored.replace("false", "true");
        assert_eq!(seal.open("apikey:mfm_abc", &tampered), None);
        let other = Seal::from_secret(b"another secret of thirty-two bytes!!!!");
        assert_eq!(other.open("apikey:mfm_abc", &stored), None);
        assert_eq!(seal.open("apikey:mfm_abc", r#"{"revoked":false}"#), None);
    }
}
