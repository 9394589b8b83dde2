//! A circuit breaker per provider: consecutive failures open it for a cool-down, a spent quota
//! opens it for a long trip, and one probe call in half-open decides whether it closes again.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// When the breaker opens and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerSettings {
    /// Consecutive failures that open the breaker.
    pub failure_threshold: u32,
    pub cool_down: Duration,
    /// How long a spent quota keeps the provider out.
    pub quota_trip: Duration,
}

impl Default for BreakerSettings {
    fn default() -> Self {
        BreakerSettings {
            failure_threshold: 5,
            cool_down: Duration::from_secs(30),
            quota_trip: Duration::from_secs(3600),
        }
    }
}

/// The breaker's state as seen from outside (metrics, tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

impl BreakerState {
    pub const fn as_str(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half_open",
        }
    }
}

#[derive(Debug, Clone)]
pub struct CircuitBreaker {
    settings: BreakerSettings,
    consecutive_failures: u32,
    open_until: Option<Instant>,
    /// When the half-open probe in flight started; other calls wait for its verdict. A probe
    /// whose caller vanished stops blocking after one cool-down.
    probing: Option<Instant>,
}

impl CircuitBreaker {
    pub fn new(settings: BreakerSettings) -> Self {
        CircuitBreaker {
            settings,
            consecutive_failures: 0,
            open_until: None,
            probing: None,
        }
    }

    pub fn state(&self, now: Instant) -> BreakerState {
        match self.open_until {
            None => BreakerState::Closed,
            Some(until) if now < until => BreakerState::Open,
            Some(_) => BreakerState::HalfOpen,
        }
    }

    /// The time left before the breaker half-opens, `None` unless it is open.
    pub fn open_remaining(&self, now: Instant) -> Option<Duration> {
        self.open_until
            .filter(|until| now < *until)
            .map(|until| until - now)
    }

    /// Asks to make a call at `now`: `Err(remaining)` while open (or while a half-open probe is
    /// out, with a zero remaining time); the first call after the cool-down becomes the probe.
    pub fn try_acquire(&mut self, now: Instant) -> Result<(), Duration> {
        match self.open_until {
            None => Ok(()),
            Some(until) if now < until => Err(until - now),
            Some(_) => match self.probing {
                Some(started) if now < started + self.settings.cool_down => Err(Duration::ZERO),
                _ => {
                    self.probing = Some(now);
                    Ok(())
                }
            },
        }
    }

    pub fn on_success(&mut self) {
        self.consecutive_failures = 0;
        self.open_until = None;
        self.probing = None;
    }

    /// A failed call: a failed probe reopens at once, otherwise the threshold decides.
    pub fn on_failure(&mut self, now: Instant) {
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        if self.probing.is_some() || self.consecutive_failures >= self.settings.failure_threshold {
            self.open_for(now, self.settings.cool_down);
        }
    }

    /// A spent quota: open for the long trip whatever the count.
    pub fn trip_for_quota(&mut self, now: Instant) {
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        self.open_for(now, self.settings.quota_trip);
    }

    /// The call ended without a verdict on the provider (e.g. our own bad request).
    pub fn on_neutral(&mut self) {
        self.probing = None;
    }

    fn open_for(&mut self, now: Instant, duration: Duration) {
        let until = now + duration;
        // A long quota trip is never shortened by a later, shorter one.
        self.open_until = Some(self.open_until.map_or(until, |current| current.max(until)));
        self.probing = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker() -> CircuitBreaker {
        CircuitBreaker::new(BreakerSettings {
            failure_threshold: 3,
            cool_down: Duration::from_secs(10),
            quota_trip: Duration::from_secs(3600),
        })
    }

    #[test]
    fn opens_after_consecutive_failures_and_a_success_resets_the_count() {
        let mut breaker = breaker();
        let now = Instant::now();
        breaker.on_failure(now);
        breaker.on_failure(now);
        breaker.on_success();
        breaker.on_failure(now);
        breaker.on_failure(now);
        assert_eq!(breaker.state(now), BreakerState::Closed);
        breaker.on_failure(now);
        assert_eq!(breaker.state(now), BreakerState::Open);
        assert_eq!(
            breaker.try_acquire(now + Duration::from_secs(4)),
            Err(Duration::from_secs(6))
        );
    }

    #[test]
    fn half_open_lets_one_probe_through_which_closes_or_reopens() {
        let mut breaker = breaker();
        let now = Instant::now();
        for _ in 0..3 {
            breaker.on_failure(now);
        }
        let later = now + Duration::from_secs(10);
        assert_eq!(breaker.state(later), BreakerState::HalfOpen);
        assert_eq!(breaker.try_acquire(later), Ok(()));
        assert_eq!(
            breaker.try_acquire(later),
            Err(Duration::ZERO),
            "one probe at a time"
        );
        assert_eq!(
            breaker.try_acquire(later + Duration::from_secs(10)),
            Ok(()),
            "a probe that never reported stops blocking after a cool-down"
        );
        breaker.on_failure(later);
        assert_eq!(breaker.state(later), BreakerState::Open);

        let again = later + Duration::from_secs(10);
        assert_eq!(breaker.try_acquire(again), Ok(()));
        breaker.on_success();
        assert_eq!(breaker.state(again), BreakerState::Closed);
        assert_eq!(breaker.try_acquire(again), Ok(()));
    }

    #[test]
    fn a_spent_quota_trips_for_the_long_duration_at_once() {
        let mut breaker = breaker();
        let now = Instant::now();
        breaker.trip_for_quota(now);
        assert_eq!(
            breaker.state(now + Duration::from_secs(3599)),
            BreakerState::Open
        );
        for _ in 0..3 {
            breaker.on_failure(now);
        }
        assert_eq!(
            breaker.try_acquire(now + Duration::from_secs(60)),
            Err(Duration::from_secs(3540)),
            "a short cool-down does not shorten the quota trip"
        );
        assert_eq!(
            breaker.state(now + Duration::from_secs(3600)),
            BreakerState::HalfOpen
        );
    }
}
