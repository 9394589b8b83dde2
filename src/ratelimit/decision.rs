//! The answer to one rate-limit check, and the response headers that announce it.

use std::time::Duration;

use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use empire_schema::cache::BucketState;

use super::Policy;

/// draft-ietf-httpapi-ratelimit-headers-11: the policy (`q` requests per `w` seconds)…
pub const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
/// …and the state of the client's bucket (`r` left, full again in `t` seconds).
pub const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    pub policy: Policy,
    /// Whole requests left in the bucket after this one.
    pub remaining: u32,
    /// How long until a refused request would be allowed; zero when allowed.
    pub retry_after: Duration,
    /// How long until the bucket is full again.
    pub reset_after: Duration,
    /// Decided by this node alone because the shared store did not answer, so for now the
    /// limit applies per node rather than across the cluster.
    pub degraded: bool,
}

impl Decision {
    pub(super) fn from_bucket(policy: Policy, state: BucketState, degraded: bool) -> Decision {
        Decision {
            allowed: state.allowed,
            policy,
            remaining: state.remaining,
            retry_after: state.retry_after,
            reset_after: state.reset_after,
            degraded,
        }
    }

    /// Allows the request without a bucket behind it, when no store could decide.
    pub(super) fn unlimited(policy: Policy) -> Decision {
        Decision {
            allowed: true,
            policy,
            remaining: policy.capacity,
            retry_after: Duration::ZERO,
            reset_after: Duration::ZERO,
            degraded: true,
        }
    }

    /// `Retry-After` in whole seconds: rounded up, and at least 1 so a client never retries at once.
    pub fn retry_after_secs(&self) -> u64 {
        ceil_secs(self.retry_after).max(1)
    }

    /// Sets `RateLimit-Policy` and `RateLimit` (replacing earlier values), and `Retry-After`
    /// on a refusal:
    ///
    /// ```text
    /// RateLimit-Policy: "api";q=120;w=12
    /// RateLimit: "api";r=0;t=12
    /// Retry-After: 1
    /// ```
    pub fn apply_headers(&self, headers: &mut HeaderMap) {
        let name = sf_string(self.policy.name);
        let policy = format!(
            "{name};q={};w={}",
            self.policy.capacity,
            self.policy.window_secs()
        );
        let state = format!(
            "{name};r={};t={}",
            self.remaining,
            ceil_secs(self.reset_after)
        );
        // Both are built from digits and an escaped visible-ASCII string, so they always parse.
        if let Ok(value) = HeaderValue::try_from(policy) {
            headers.insert(RATELIMIT_POLICY, value);
        }
        if let Ok(value) = HeaderValue::try_from(state) {
            headers.insert(RATELIMIT, value);
        }
        if !self.allowed {
            headers.insert(
                header::RETRY_AFTER,
                HeaderValue::from(self.retry_after_secs()),
            );
        }
    }
}

fn ceil_secs(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

/// An RFC 9651 sf-string: quoted, with `"` and `\` escaped and anything but visible ASCII dropped.
fn sf_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars().filter(|c| (' '..='~').contains(c)) {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: Policy = Policy {
        name: "api",
        capacity: 120,
        refill_per_sec: 10.0,
    };

    fn decision(allowed: bool, remaining: u32, retry_ms: u64, reset_ms: u64) -> Decision {
        Decision {
            allowed,
            policy: API,
            remaining,
            retry_after: Duration::from_millis(retry_ms),
            reset_after: Duration::from_millis(reset_ms),
            degraded: false,
        }
    }

    fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
        headers.get(name).and_then(|value| value.to_str().ok())
    }

    #[test]
    fn an_allowed_request_announces_policy_and_state() {
        let mut headers = HeaderMap::new();
        decision(true, 117, 0, 300).apply_headers(&mut headers);
        assert_eq!(
            header(&headers, "ratelimit-policy"),
            Some(r#""api";q=120;w=12"#)
        );
        assert_eq!(header(&headers, "ratelimit"), Some(r#""api";r=117;t=1"#));
        assert_eq!(header(&headers, "retry-after"), None);
    }

    #[test]
    fn a_refusal_adds_retry_after_rounded_up() {
        let mut headers = HeaderMap::new();
        decision(false, 0, 1_200, 12_000).apply_headers(&mut headers);
        assert_eq!(header(&headers, "ratelimit"), Some(r#""api";r=0;t=12"#));
        assert_eq!(header(&headers, "retry-after"), Some("2"));
    }

    #[test]
    fn retry_after_is_never_zero() {
        let mut headers = HeaderMap::new();
        decision(false, 0, 0, 0).apply_headers(&mut headers);
        assert_eq!(header(&headers, "retry-after"), Some("1"));
        assert_eq!(header(&headers, "ratelimit"), Some(r#""api";r=0;t=0"#));
        assert_eq!(decision(false, 0, 3_000, 0).retry_after_secs(), 3);
    }

    #[test]
    fn headers_replace_earlier_values() {
        let mut headers = HeaderMap::new();
        decision(true, 5, 0, 0).apply_headers(&mut headers);
        decision(true, 4, 0, 0).apply_headers(&mut headers);
        assert_eq!(headers.get_all("ratelimit").count(), 1);
        assert_eq!(header(&headers, "ratelimit"), Some(r#""api";r=4;t=0"#));
    }

    #[test]
    fn policy_names_are_escaped() {
        assert_eq!(sf_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(sf_string("x\r\ny"), r#""xy""#);
    }
}
