//! The caps on open sockets, per node and per credential: a slot is taken at the handshake and
//! given back when the connection ends, however it ends.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::auth::{Credential, Principal};
use crate::error::ApiError;

pub const WS_CONNECTIONS: &str = "ws_connections";

#[derive(Clone, Default)]
pub struct Slots {
    open: Arc<AtomicUsize>,
    /// Open sockets per credential (`jwt:<jti>` / `key:<id>`); a credential with none is absent.
    by_credential: Arc<Mutex<HashMap<String, usize>>>,
}

/// One open socket's place under both caps.
pub struct Slot {
    open: Arc<AtomicUsize>,
    by_credential: Arc<Mutex<HashMap<String, usize>>>,
    credential: String,
}

/// Why a handshake found no slot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{0} sockets are open, the most this node accepts")]
    Node(usize),
    #[error("this credential already holds {0} open sockets on this node, the most it may")]
    Credential(usize),
}

impl Slots {
    /// A slot for a socket opened with `principal`'s credential, unless `max_open` sockets are
    /// open on the node or `max_per_credential` with this credential.
    pub fn take(
        &self,
        principal: &Principal,
        max_open: usize,
        max_per_credential: usize,
    ) -> Result<Slot, Refused> {
        let credential = match &principal.credential {
            Credential::Jwt { jti, .. } => format!("jwt:{jti}"),
            Credential::ApiKey { id, .. } => format!("key:{id}"),
        };
        let mut held = self
            .by_credential
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let count = held.get(&credential).copied().unwrap_or(0);
        if count >= max_per_credential {
            return Err(Refused::Credential(max_per_credential));
        }
        self.open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |open| {
                (open < max_open).then_some(open + 1)
            })
            .map_err(|_| Refused::Node(max_open))?;
        held.insert(credential.clone(), count + 1);
        drop(held);
        metrics::gauge!(WS_CONNECTIONS).increment(1.0);
        Ok(Slot {
            open: self.open.clone(),
            by_credential: self.by_credential.clone(),
            credential,
        })
    }

    pub fn open(&self) -> usize {
        self.open.load(Ordering::Acquire)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = self
            .by_credential
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = held.get_mut(&self.credential) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                held.remove(&self.credential);
            }
        }
        drop(held);
        self.open.fetch_sub(1, Ordering::AcqRel);
        metrics::gauge!(WS_CONNECTIONS).decrement(1.0);
    }
}

impl From<Refused> for ApiError {
    fn from(refused: Refused) -> ApiError {
        match refused {
            Refused::Node(_) => ApiError::Unavailable {
                detail: refused.to_string(),
                retry_after_s: 5,
            },
            Refused::Credential(_) => ApiError::TooManyRequests {
                detail: format!("{refused}; close one first"),
                headers: vec![(
                    actix_web::http::header::RETRY_AFTER,
                    actix_web::http::header::HeaderValue::from_static("5"),
                )],
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(jti: &str) -> Principal {
        Principal {
            user_id: "u".into(),
            email: "u@test.local".into(),
            permissions: Vec::new(),
            credential: Credential::Jwt {
                jti: jti.into(),
                expires_at: 0,
            },
        }
    }

    #[test]
    fn each_credential_has_its_own_cap_and_closing_gives_the_slot_back() {
        let slots = Slots::default();
        let first = slots.take(&principal("a"), 10, 2).unwrap();
        let _second = slots.take(&principal("a"), 10, 2).unwrap();
        assert_eq!(
            slots.take(&principal("a"), 10, 2).err(),
            Some(Refused::Credential(2))
        );
        let _other = slots.take(&principal("b"), 10, 2).unwrap();
        drop(first);
        let _again = slots.take(&principal("a"), 10, 2).unwrap();
        assert_eq!(slots.open(), 3);
    }

    #[test]
    fn a_full_node_refuses_without_counting_the_credential() {
        let slots = Slots::default();
        let only = slots.take(&principal("a"), 1, 5).unwrap();
        assert_eq!(
            slots.take(&principal("b"), 1, 5).err(),
            Some(Refused::Node(1))
        );
        drop(only);
        assert!(slots.by_credential.lock().unwrap().is_empty());
        let _both = slots.take(&principal("b"), 1, 1).unwrap();
        assert_eq!(
            slots.take(&principal("b"), 1, 1).err(),
            Some(Refused::Credential(1))
        );
    }
}
