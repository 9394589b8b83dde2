//! Whether the shared store answers: after a failure the limiter decides locally for a moment
//! rather than wait on a dead store in every request, and warns at most once per interval.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use empire_schema::cache::CacheError;

/// Shared-store calls that failed, by operation.
pub const BACKEND_ERRORS: &str = "ratelimit_backend_errors_total";
/// Operations the in-process fallback answered, by operation.
pub const FALLBACK_DECISIONS: &str = "ratelimit_fallback_total";

/// Describes the metrics above; call once after the recorder is installed.
pub fn describe_metrics() {
    metrics::describe_counter!(
        BACKEND_ERRORS,
        "Rate-limit store calls that failed (Redis down or slow)"
    );
    metrics::describe_counter!(
        FALLBACK_DECISIONS,
        "Rate-limit operations answered by this node's fallback"
    );
}

pub(super) struct Health {
    started: Instant,
    /// After a failure the store is skipped until then, so a silent network costs one
    /// timeout per interval instead of one per request.
    skip_until_ms: AtomicU64,
    retry_interval: Duration,
    down: AtomicBool,
    warnings: LogGate,
}

impl Health {
    pub(super) fn new(retry_interval: Duration, warn_every: Duration) -> Health {
        Health {
            started: Instant::now(),
            skip_until_ms: AtomicU64::new(0),
            retry_interval,
            down: AtomicBool::new(false),
            warnings: LogGate::new(warn_every),
        }
    }

    pub(super) fn should_try(&self) -> bool {
        millis(self.started.elapsed()) >= self.skip_until_ms.load(Ordering::Relaxed)
    }

    pub(super) fn succeeded(&self) {
        if self.down.swap(false, Ordering::Relaxed) {
            tracing::info!("rate-limit store answers again; limits are shared across nodes");
        }
    }

    pub(super) fn failed(&self, operation: &'static str, error: &CacheError) {
        metrics::counter!(BACKEND_ERRORS, "operation" => operation).increment(1);
        let until = self.started.elapsed() + self.retry_interval;
        self.skip_until_ms.store(millis(until), Ordering::Relaxed);
        self.down.store(true, Ordering::Relaxed);
        if let Some(suppressed) = self.warnings.open() {
            tracing::warn!(
                %error,
                operation,
                suppressed,
                "rate-limit store failed; this node decides alone until it answers"
            );
        }
    }

    pub(super) fn used_fallback(&self, operation: &'static str) {
        metrics::counter!(FALLBACK_DECISIONS, "operation" => operation).increment(1);
    }
}

/// Lets one log line through per interval and counts the ones it held back.
pub(super) struct LogGate {
    started: Instant,
    every: Duration,
    /// Milliseconds since `started` of the last line let through; `u64::MAX` before the first.
    last_ms: AtomicU64,
    held_back: AtomicU64,
}

impl LogGate {
    pub(super) fn new(every: Duration) -> LogGate {
        LogGate {
            started: Instant::now(),
            every,
            last_ms: AtomicU64::new(u64::MAX),
            held_back: AtomicU64::new(0),
        }
    }

    /// `Some(lines held back since the last one)` when this line may be logged.
    pub(super) fn open(&self) -> Option<u64> {
        let now = millis(self.started.elapsed());
        let last = self.last_ms.load(Ordering::Relaxed);
        let due = last == u64::MAX || now.saturating_sub(last) >= millis(self.every);
        // Of callers racing past the same `last`, only one wins the exchange and logs.
        if due
            && self
                .last_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            return Some(self.held_back.swap(0, Ordering::Relaxed));
        }
        self.held_back.fetch_add(1, Ordering::Relaxed);
        None
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error() -> CacheError {
        CacheError::Unavailable("connection refused".into())
    }

    #[test]
    fn the_gate_lets_one_line_through_per_interval() {
        let gate = LogGate::new(Duration::from_millis(30));
        assert_eq!(gate.open(), Some(0));
        assert_eq!(gate.open(), None);
        assert_eq!(gate.open(), None);
        std::thread::sleep(Duration::from_millis(35));
        assert_eq!(gate.open(), Some(2));
        assert_eq!(gate.open(), None);
    }

    #[test]
    fn a_failure_pauses_the_store_for_the_retry_interval() {
        let health = Health::new(Duration::from_millis(30), Duration::from_secs(60));
        assert!(health.should_try());
        health.failed("check", &error());
        assert!(!health.should_try());
        std::thread::sleep(Duration::from_millis(35));
        assert!(health.should_try());
        health.succeeded();
        assert!(!health.down.load(Ordering::Relaxed));
    }
}
