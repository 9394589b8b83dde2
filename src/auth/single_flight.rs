//! One lookup at a time per key: when a cached credential expires under load, hundreds of
//! requests miss the cache together. Without this each would query the store (and spend the
//! `key_lookup` limit meant for unknown keys, answering a valid key `429`); with it the first
//! looks up and caches while the others wait for it together, then all read the cache at once.
//! (A lock passed from waiter to waiter would hand the turn on a thousand times, each after a
//! pass of its worker's run queue: the last request of a thousand waited over a second.)
//! When that lookup fails (the store is down), those waiting for it fail at once instead of
//! each trying in turn: otherwise the n-th would answer after n connect timeouts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::watch;

#[derive(Clone, Default)]
pub struct Flights {
    /// The running lookup of each key: its leader holds the sender, whose value says whether
    /// the lookup failed, and whose drop ends the wait.
    inflight: Arc<Mutex<HashMap<String, watch::Receiver<bool>>>>,
}

/// What `enter` found.
pub enum Turn {
    /// No lookup of the key was running: this one leads it until the flight drops.
    Lead(Flight),
    /// A lookup of the key was running and has ended. `failed`: it failed, so asking again now
    /// would only wait for the same failure.
    Followed { failed: bool },
}

/// Held by the leader while its lookup runs; the key's entry goes when it drops.
pub struct Flight {
    flights: Flights,
    key: String,
    outcome: watch::Sender<bool>,
}

impl Flights {
    /// Leads the lookup of `key`, or waits for the one running to end.
    pub async fn enter(&self, key: &str) -> Turn {
        let mut running = {
            let mut inflight = self.inflight();
            match inflight.get(key) {
                Some(running) => running.clone(),
                None => {
                    let (outcome, running) = watch::channel(false);
                    inflight.insert(key.to_owned(), running);
                    return Turn::Lead(Flight {
                        flights: self.clone(),
                        key: key.to_owned(),
                        outcome,
                    });
                }
            }
        };
        // `changed` fails once the leader's sender is gone, whether it finished or was dropped.
        while running.changed().await.is_ok() {}
        let failed = *running.borrow();
        Turn::Followed { failed }
    }

    fn inflight(&self) -> MutexGuard<'_, HashMap<String, watch::Receiver<bool>>> {
        self.inflight.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Flight {
    /// Records that this lookup failed, for those waiting for it.
    pub fn failed(&mut self) {
        self.outcome.send_replace(true);
    }
}

impl Drop for Flight {
    fn drop(&mut self) {
        // Those who come next lead a new lookup; the sender, dropped after this, wakes those
        // who waited for this one, all at once.
        self.flights.inflight().remove(&self.key);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use tokio::sync::Barrier;

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
                    let Turn::Lead(_flight) = flights.enter("key").await else {
                        return;
                    };
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
        assert!(flights.inflight().is_empty());
        // Other keys do not wait.
        let a = flights.enter("a").await;
        let b = flights.enter("b").await;
        assert!(matches!((a, b), (Turn::Lead(_), Turn::Lead(_))));
    }

    #[tokio::test]
    async fn those_who_waited_for_one_lookup_go_on_together() {
        let flights = Flights::default();
        let Turn::Lead(leader) = flights.enter("key").await else {
            panic!("the first one leads");
        };
        let waiting = 50;
        // Each follower waits for all the others after its turn: that ends only if no
        // follower's turn depends on another follower going first.
        let together = Arc::new(Barrier::new(waiting));
        let followers: Vec<_> = (0..waiting)
            .map(|_| {
                let (flights, together) = (flights.clone(), together.clone());
                tokio::spawn(async move {
                    let turn = flights.enter("key").await;
                    together.wait().await;
                    matches!(turn, Turn::Followed { failed: false })
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(leader);
        for follower in followers {
            let followed = tokio::time::timeout(Duration::from_secs(10), follower)
                .await
                .expect("the followers go on together")
                .unwrap();
            assert!(followed, "a follower of a lookup that ended well");
        }
        assert!(flights.inflight().is_empty());
    }

    #[tokio::test]
    async fn those_waiting_for_a_failed_lookup_fail_at_once_and_later_ones_try_again() {
        let flights = Flights::default();
        let Turn::Lead(mut first) = flights.enter("key").await else {
            panic!("the first one leads");
        };
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let flights = flights.clone();
                tokio::spawn(async move {
                    matches!(flights.enter("key").await, Turn::Followed { failed: true })
                })
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
        assert!(matches!(flights.enter("key").await, Turn::Lead(_)));
        assert!(flights.inflight().is_empty());
    }
}
