//! One lookup at a time per key: when a cached credential expires under load, hundreds of
//! requests miss the cache together. Without this each would query the store (and spend the
//! `key_lookup` limit meant for unknown keys, answering a valid key `429`); with it the first
//! looks up and caches, and the others wait for it and read the cache. When that lookup fails
//! (the store is down), those waiting behind it fail at once instead of each trying in turn:
//! otherwise the n-th would answer after n connect timeouts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// When a lookup of the key last failed.
type LastFailure = Option<Instant>;

#[derive(Clone, Default)]
pub struct Flights {
    inflight: Arc<Mutex<HashMap<String, Arc<AsyncMutex<LastFailure>>>>>,
}

/// Held while one lookup runs; the key's entry goes when its last holder drops.
pub struct Flight {
    flights: Flights,
    key: String,
    guard: Option<OwnedMutexGuard<LastFailure>>,
    failed_ahead: bool,
}

impl Flights {
    /// Waits until no other lookup of `key` runs, then holds it.
    pub async fn enter(&self, key: &str) -> Flight {
        let lock = {
            let mut inflight = self.inflight.lock().unwrap_or_else(PoisonError::into_inner);
            inflight.entry(key.to_owned()).or_default().clone()
        };
        let waiting_since = Instant::now();
        let guard = lock.lock_owned().await;
        let failed_ahead = guard.is_some_and(|failed_at| failed_at >= waiting_since);
        Flight {
            flights: self.clone(),
            key: key.to_owned(),
            guard: Some(guard),
            failed_ahead,
        }
    }
}

impl Flight {
    /// A lookup of this key failed while this one waited for it: asking again now would only
    /// wait for the same failure.
    pub fn failed_ahead(&self) -> bool {
        self.failed_ahead
    }

    /// Records that this lookup failed, for those waiting behind it.
    pub fn failed(&mut self) {
        if let Some(guard) = self.guard.as_mut() {
            **guard = Some(Instant::now());
        }
    }
}

impl Drop for Flight {
    fn drop(&mut self) {
        let mutex = self
            .guard
            .take()
            .map(|guard| OwnedMutexGuard::mutex(&guard).clone());
        let mut inflight = self
            .flights
            .inflight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // The map's own reference and this one: nobody else waits for the key.
        if let Some(mutex) = mutex
            && Arc::strong_count(&mutex) <= 2
        {
            inflight.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn one_lookup_runs_at_a_time_per_key_and_entries_go_away() {
        let flights = Flights::default();
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (flights, running, most) = (flights.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    let _flight = flights.enter("key").await;
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 1);
        assert!(flights.inflight.lock().unwrap().is_empty());
        // Other keys do not wait.
        let _a = flights.enter("a").await;
        let _b = flights.enter("b").await;
    }

    #[tokio::test]
    async fn those_waiting_behind_a_failed_lookup_fail_at_once_and_later_ones_try_again() {
        let flights = Flights::default();
        let mut first = flights.enter("key").await;
        assert!(!first.failed_ahead());
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let flights = flights.clone();
                tokio::spawn(async move { flights.enter("key").await.failed_ahead() })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        first.failed();
        drop(first);
        for waiter in waiters {
            assert!(
                waiter.await.unwrap(),
                "a waiter behind the failure tries again"
            );
        }
        // Nobody waits any more: the next lookup is a fresh one.
        assert!(!flights.enter("key").await.failed_ahead());
        assert!(flights.inflight.lock().unwrap().is_empty());
    }
}
