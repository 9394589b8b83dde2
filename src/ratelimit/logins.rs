//! Failed logins, counted per account *and* client address: an address that keeps guessing
//! waits longer after each failure and is locked out after `failed_login_per_hour`, while the
//! account's owner, from an address without failures, still logs in. Success resets the count.

use std::time::Duration;

use empire_schema::cache::{Cache, Space};

use super::RateLimiter;
use super::policy::{failed_login_key, login_wait_key};

const FAILED_LOGIN_WINDOW: Duration = Duration::from_secs(3600);
/// Failures an address may make back to back before each further one makes it wait.
const FREE_FAILURES: u32 = 3;
const MAX_DELAY: Duration = Duration::from_secs(60);

impl RateLimiter {
    /// Counts a failed login of `client` for `email` in the current hour, and makes `client`
    /// wait `login_delay(count)` before its next attempt; returns the count so far.
    pub async fn record_failed_login(&self, email: &str, client: &str) -> u32 {
        let key = failed_login_key(email, client);
        let (result, _) = self
            .run("record_failed_login", async |cache: &Cache| {
                cache.incr(Space::Logins, &key, FAILED_LOGIN_WINDOW).await
            })
            .await;
        let count = result.map_or(0, |count| u32::try_from(count).unwrap_or(u32::MAX));
        let delay = login_delay(count);
        if !delay.is_zero() {
            let wait = login_wait_key(email, client);
            let _ = self
                .run("record_failed_login", async |cache: &Cache| {
                    cache.set(Space::Logins, &wait, "1", delay).await
                })
                .await;
        }
        count
    }

    /// Failed logins of `client` for `email` in the current hour.
    pub async fn failed_logins(&self, email: &str, client: &str) -> u32 {
        let key = failed_login_key(email, client);
        let (result, _) = self
            .run("failed_logins", async |cache: &Cache| {
                cache.get(Space::Logins, &key).await
            })
            .await;
        result
            .ok()
            .flatten()
            .and_then(|count| count.parse().ok())
            .unwrap_or(0)
    }

    /// Whether `client` must still wait after its last failure for `email`.
    pub async fn login_waiting(&self, email: &str, client: &str) -> bool {
        let key = login_wait_key(email, client);
        let (result, _) = self
            .run("login_waiting", async |cache: &Cache| {
                cache.get(Space::Logins, &key).await
            })
            .await;
        matches!(result, Ok(Some(_)))
    }

    /// A successful login clears the address's failures for the account.
    pub async fn reset_failed_logins(&self, email: &str, client: &str) {
        for key in [
            failed_login_key(email, client),
            login_wait_key(email, client),
        ] {
            let _ = self
                .run("reset_failed_logins", async |cache: &Cache| {
                    cache.delete(Space::Logins, &key).await
                })
                .await;
        }
    }

    /// Whether an address with `count` failed logins this hour must not try again yet.
    pub fn locked_out(&self, count: u32) -> bool {
        count >= self.inner.config.failed_login_per_hour
    }
}

/// The pause after the `count`-th failure: none for the first few, then 1 s doubling to 60 s.
pub fn login_delay(count: u32) -> Duration {
    match count.checked_sub(FREE_FAILURES) {
        None => Duration::ZERO,
        Some(extra) => Duration::from_secs(1u64 << extra.min(6)).min(MAX_DELAY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_after_the_free_failures() {
        let delays: Vec<u64> = (1..=11).map(|n| login_delay(n).as_secs()).collect();
        assert_eq!(delays, [0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
