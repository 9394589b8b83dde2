//! The cap on open sockets: a slot is taken at the handshake and given back when the
//! connection ends, however it ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const WS_CONNECTIONS: &str = "ws_connections";

#[derive(Clone, Default)]
pub struct Slots {
    open: Arc<AtomicUsize>,
}

pub struct Slot {
    open: Arc<AtomicUsize>,
}

impl Slots {
    /// `None` when `max` sockets are already open.
    pub fn take(&self, max: usize) -> Option<Slot> {
        let taken = self
            .open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |open| {
                (open < max).then_some(open + 1)
            });
        taken.ok().map(|_| {
            metrics::gauge!(WS_CONNECTIONS).increment(1.0);
            Slot {
                open: self.open.clone(),
            }
        })
    }

    pub fn open(&self) -> usize {
        self.open.load(Ordering::Acquire)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::AcqRel);
        metrics::gauge!(WS_CONNECTIONS).decrement(1.0);
    }
}
