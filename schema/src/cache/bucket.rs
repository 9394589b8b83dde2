//! Token buckets: what a take reports, and the refill arithmetic (`bucket.lua` repeats it in Redis).

use std::time::Duration;

use super::{CacheError, CacheResult};

/// A bucket that takes longer than this to refill would need Redis expiries and retry times
/// past what the script's microsecond arithmetic keeps exact, and is a configuration mistake anyway.
pub const MAX_FILL_TIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// The outcome of one take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketState {
    pub allowed: bool,
    /// Whole tokens left after this take.
    pub remaining: u32,
    /// How long until `cost` tokens are there again; zero when allowed.
    pub retry_after: Duration,
    /// How long until the bucket is full again.
    pub reset_after: Duration,
}

/// The arguments of one take, checked once so every backend can trust them (the database's
/// `rate_buckets` too).
#[derive(Debug, Clone, Copy)]
pub struct Take {
    pub capacity: u32,
    pub refill_per_sec: f64,
    pub cost: u32,
}

impl Take {
    pub fn new(capacity: u32, refill_per_sec: f64, cost: u32) -> CacheResult<Take> {
        if capacity == 0 {
            return Err(invalid("bucket capacity must be at least 1".into()));
        }
        if !(refill_per_sec.is_finite() && refill_per_sec > 0.0) {
            return Err(invalid(format!(
                "refill rate must be a positive number, not {refill_per_sec}"
            )));
        }
        if f64::from(capacity) / refill_per_sec > MAX_FILL_TIME.as_secs_f64() {
            return Err(invalid(format!(
                "a bucket of {capacity} refilling {refill_per_sec}/s takes longer than {} days to fill",
                MAX_FILL_TIME.as_secs() / 86_400
            )));
        }
        // A cost above the capacity could never be granted, so the caller would wait forever.
        if cost > capacity {
            return Err(invalid(format!(
                "cost {cost} exceeds the bucket capacity {capacity}"
            )));
        }
        Ok(Take {
            capacity,
            refill_per_sec,
            cost,
        })
    }

    /// Adds what `elapsed` refilled to `tokens`, then takes the cost if it is there.
    /// Returns the tokens left and the state to report.
    pub fn apply(&self, tokens: f64, elapsed: Duration) -> (f64, BucketState) {
        let capacity = f64::from(self.capacity);
        let cost = f64::from(self.cost);
        let tokens = (tokens + elapsed.as_secs_f64() * self.refill_per_sec).min(capacity);
        let (tokens, allowed, retry_after) = if tokens >= cost {
            (tokens - cost, true, Duration::ZERO)
        } else {
            (tokens, false, self.time_for(cost - tokens))
        };
        let state = BucketState {
            allowed,
            remaining: whole_tokens(tokens),
            retry_after,
            reset_after: self.time_for(capacity - tokens),
        };
        (tokens, state)
    }

    /// Rounded up to the microsecond, the unit the Redis script counts in.
    fn time_for(&self, tokens: f64) -> Duration {
        let micros = (tokens.max(0.0) / self.refill_per_sec * 1e6).ceil();
        Duration::try_from_secs_f64(micros / 1e6).unwrap_or(MAX_FILL_TIME)
    }
}

/// Tokens lie in `0..=capacity`, so the clamped cast loses nothing but the fraction.
fn whole_tokens(tokens: f64) -> u32 {
    tokens.floor().clamp(0.0, f64::from(u32::MAX)) as u32
}

fn invalid(reason: String) -> CacheError {
    CacheError::InvalidArgument(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_until_empty_then_reports_the_wait() {
        let take = Take::new(2, 4.0, 1).unwrap();
        let (tokens, first) = take.apply(2.0, Duration::ZERO);
        assert!(first.allowed);
        assert_eq!(first.remaining, 1);
        assert_eq!(first.retry_after, Duration::ZERO);
        assert_eq!(first.reset_after, Duration::from_millis(250));
        let (tokens, second) = take.apply(tokens, Duration::ZERO);
        assert!(second.allowed);
        assert_eq!(second.remaining, 0);
        let (_, third) = take.apply(tokens, Duration::ZERO);
        assert!(!third.allowed);
        assert_eq!(third.retry_after, Duration::from_millis(250));
        assert_eq!(third.reset_after, Duration::from_millis(500));
    }

    #[test]
    fn refills_with_time_up_to_the_capacity() {
        let take = Take::new(3, 2.0, 1).unwrap();
        let (tokens, state) = take.apply(0.0, Duration::from_millis(500));
        assert!(state.allowed);
        assert_eq!(tokens, 0.0);
        let (tokens, state) = take.apply(0.0, Duration::from_secs(3600));
        assert!(state.allowed);
        assert_eq!(tokens, 2.0);
    }

    #[test]
    fn a_zero_cost_take_only_looks() {
        let take = Take::new(3, 1.0, 0).unwrap();
        let (tokens, state) = take.apply(1.5, Duration::ZERO);
        assert!(state.allowed);
        assert_eq!(tokens, 1.5);
        assert_eq!(state.remaining, 1);
        assert_eq!(state.reset_after, Duration::from_millis(1500));
    }

    #[test]
    fn rejects_buckets_that_could_never_answer() {
        assert!(Take::new(0, 1.0, 0).is_err());
        assert!(Take::new(5, 0.0, 1).is_err());
        assert!(Take::new(5, f64::NAN, 1).is_err());
        assert!(Take::new(5, f64::INFINITY, 1).is_err());
        assert!(Take::new(5, 1e-9, 1).is_err());
        assert!(Take::new(5, 1.0, 6).is_err());
        assert!(Take::new(5, 1.0, 5).is_ok());
    }
}
