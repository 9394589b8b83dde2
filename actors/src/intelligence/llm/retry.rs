//! When to ask the same provider again: at most a few attempts, exponential backoff with full
//! jitter, and never sooner than the server asked.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// Attempts and waits per provider (reference 5.4; the official SDKs retry twice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per provider, the first included.
    pub max_attempts: u32,
    /// Backoff before retry `n` (0-based) is jitter × min(cap, base × 2^n).
    pub base: Duration,
    /// No wait is longer than this.
    pub cap: Duration,
    /// A server hint longer than this sends the call to the next provider instead of waiting.
    pub max_hint: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(30),
            max_hint: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Whether another attempt is allowed after `attempts_made`.
    pub fn allows_another(&self, attempts_made: u32) -> bool {
        attempts_made < self.max_attempts
    }

    /// The wait before retry `retry` (0 for the first retry), given the server's `hint` and a
    /// `jitter` in [0, 1]: max(hint, backoff), capped. `None` when the hint is too long to wait.
    pub fn delay(&self, retry: u32, hint: Option<Duration>, jitter: f64) -> Option<Duration> {
        if hint.is_some_and(|hint| hint > self.max_hint) {
            return None;
        }
        let exponential = self
            .base
            .checked_mul(2_u32.saturating_pow(retry.min(31)))
            .unwrap_or(self.cap)
            .min(self.cap);
        let backoff = exponential.mul_f64(jitter.clamp(0.0, 1.0));
        Some(hint.unwrap_or(Duration::ZERO).max(backoff).min(self.cap))
    }
}

/// A fresh random fraction in [0, 1) for full jitter, from the process's random hasher keys.
pub fn random_jitter() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0);
    (hasher.finish() >> 11) as f64 / (1_u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_attempts_by_default() {
        let policy = RetryPolicy::default();
        assert!(policy.allows_another(1));
        assert!(policy.allows_another(2));
        assert!(!policy.allows_another(3));
    }

    #[test]
    fn backoff_doubles_is_jittered_and_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(0, None, 1.0), Some(Duration::from_millis(500)));
        assert_eq!(policy.delay(2, None, 1.0), Some(Duration::from_secs(2)));
        assert_eq!(policy.delay(2, None, 0.5), Some(Duration::from_secs(1)));
        assert_eq!(policy.delay(2, None, 0.0), Some(Duration::ZERO));
        assert_eq!(policy.delay(40, None, 1.0), Some(Duration::from_secs(30)));
    }

    #[test]
    fn a_hint_is_a_floor_and_a_too_long_hint_gives_up() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(7)), 1.0),
            Some(Duration::from_secs(7))
        );
        assert_eq!(policy.delay(0, Some(Duration::from_secs(31)), 1.0), None);
        let tiny = RetryPolicy {
            cap: Duration::from_millis(5),
            max_hint: Duration::from_secs(60),
            ..policy
        };
        assert_eq!(
            tiny.delay(0, Some(Duration::from_secs(1)), 1.0),
            Some(Duration::from_millis(5)),
            "tests cap a one-second Retry-After"
        );
    }

    #[test]
    fn jitter_stays_in_range() {
        for _ in 0..100 {
            let jitter = random_jitter();
            assert!((0.0..1.0).contains(&jitter), "{jitter}");
        }
    }
}
