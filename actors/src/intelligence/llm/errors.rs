//! Why a provider call failed, told apart the way retries need it: transient limits from spent
//! quotas, overload from server faults, our mistakes from theirs.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::hints;
use super::secret::Secret;

/// A Google `RetryInfo` longer than this is a spent (daily) quota, not a passing limit.
pub const QUOTA_RETRY_DELAY: Duration = Duration::from_secs(300);

/// Error details are cut to this many characters.
const DETAIL_CHARS: usize = 300;

/// One failed attempt (or a provider skipped before any request was sent).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ProviderError {
    #[error("rate limited (retry after {retry_after:?})")]
    RateLimited { retry_after: Option<Duration> },
    #[error("quota or spend limit exhausted: {detail}")]
    QuotaExhausted { detail: String },
    #[error("provider overloaded")]
    Overloaded,
    #[error("server error {0}")]
    Server(u16),
    #[error("timed out")]
    Timeout,
    #[error("cannot connect: {detail}")]
    Connect { detail: String },
    #[error("authentication refused ({0})")]
    Auth(u16),
    #[error("request refused ({status}): {detail}")]
    BadRequest { status: u16, detail: String },
    #[error("malformed response: {detail}")]
    Malformed { detail: String },
    #[error("stream failed: {detail}")]
    StreamError { detail: String },
    /// Skipped: the provider's circuit breaker is open.
    #[error("circuit open (retry in {retry_in:?})")]
    CircuitOpen { retry_in: Duration },
    /// Skipped: the rate limiter would have made the call wait longer than allowed.
    #[error("throttled locally (would wait {wait:?})")]
    Throttled { wait: Duration },
}

impl ProviderError {
    /// Whether the same provider may be asked again (reference 5.4). Spent quotas, refused
    /// requests and broken streams are not retried; a stream that failed after its first byte
    /// arrives here as `StreamError`.
    pub fn retryable(&self) -> bool {
        match self {
            ProviderError::RateLimited { .. }
            | ProviderError::Overloaded
            | ProviderError::Server(_)
            | ProviderError::Timeout
            | ProviderError::Connect { .. } => true,
            ProviderError::BadRequest { status, .. } => matches!(status, 408 | 409),
            ProviderError::QuotaExhausted { .. }
            | ProviderError::Auth(_)
            | ProviderError::Malformed { .. }
            | ProviderError::StreamError { .. }
            | ProviderError::CircuitOpen { .. }
            | ProviderError::Throttled { .. } => false,
        }
    }

    /// The server's own wait hint, if it gave one.
    pub fn retry_hint(&self) -> Option<Duration> {
        match self {
            ProviderError::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }

    /// Whether a request reached the provider (skips did not).
    pub fn was_sent(&self) -> bool {
        !matches!(
            self,
            ProviderError::CircuitOpen { .. } | ProviderError::Throttled { .. }
        )
    }

    /// Whether this failure says something about the provider's health (our own bad
    /// requests do not).
    pub fn counts_against_provider(&self) -> bool {
        self.was_sent() && !matches!(self, ProviderError::BadRequest { .. })
    }
}

/// A transport failure from reqwest; the message names no key (keys travel in headers only).
pub(crate) fn transport(error: &reqwest::Error) -> ProviderError {
    if error.is_timeout() {
        ProviderError::Timeout
    } else {
        ProviderError::Connect {
            detail: truncate(&error.to_string()),
        }
    }
}

/// Classifies an error response of any of the three wire formats (OpenAI-compatible servers
/// may answer in Google's shape, so every shape is checked).
pub(crate) fn classify(
    status: u16,
    headers: &HeaderMap,
    body: &str,
    key: Option<&Secret>,
    now: SystemTime,
) -> ProviderError {
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let detail = scrubbed(message(&json).as_deref().unwrap_or(body), key);
    let hint = hints::retry_hint(headers, &json, now);
    if is_quota(status, &json) {
        return ProviderError::QuotaExhausted { detail };
    }
    let error_type = error_field(&json, "type");
    match status {
        401 | 403 => ProviderError::Auth(status),
        429 => ProviderError::RateLimited { retry_after: hint },
        529 => ProviderError::Overloaded,
        _ if error_type == Some("overloaded_error") => ProviderError::Overloaded,
        500..=599 => ProviderError::Server(status),
        400..=499 => ProviderError::BadRequest { status, detail },
        _ => ProviderError::Malformed {
            detail: format!("unexpected status {status}: {detail}"),
        },
    }
}

/// OpenAI `insufficient_quota`, Anthropic `enforced_spend_limit_reached` or `billing_error`
/// (402), Google RESOURCE_EXHAUSTED on a per-day quota, `limit: 0`, or a very long RetryInfo.
fn is_quota(status: u16, json: &Value) -> bool {
    if status == 402 || error_field(json, "type") == Some("billing_error") {
        return true;
    }
    if error_field(json, "code") == Some("insufficient_quota")
        || error_field(json, "type") == Some("insufficient_quota")
    {
        return true;
    }
    let spend_limit = json
        .pointer("/error/details/error_code")
        .and_then(Value::as_str);
    if spend_limit == Some("enforced_spend_limit_reached") {
        return true;
    }
    let Some(google) = hints::google_error(json) else {
        return false;
    };
    if google.get("status").and_then(Value::as_str) != Some("RESOURCE_EXHAUSTED") {
        return false;
    }
    let message = google.get("message").and_then(Value::as_str).unwrap_or("");
    let per_day = google
        .get("details")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|detail| detail.get("violations")?.as_array())
        .flatten()
        .filter_map(|violation| violation.get("quotaId")?.as_str())
        .any(|quota| quota.contains("PerDay"));
    per_day
        || message.contains("limit: 0")
        || hints::google_retry_delay(json).is_some_and(|delay| delay > QUOTA_RETRY_DELAY)
}

/// `error.<field>` as a string, for the OpenAI and Anthropic shapes.
fn error_field<'a>(json: &'a Value, field: &str) -> Option<&'a str> {
    hints::google_error(json)?.get(field)?.as_str()
}

fn message(json: &Value) -> Option<String> {
    hints::google_error(json)
        .and_then(|error| error.get("message"))
        .or_else(|| json.get("message"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// A detail safe to store and log: the key removed, the length bounded.
pub(crate) fn scrubbed(text: &str, key: Option<&Secret>) -> String {
    let clean = key.map_or_else(|| text.to_owned(), |key| key.scrub(text));
    truncate(&clean)
}

fn truncate(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(DETAIL_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use serde_json::json;

    fn classify_json(status: u16, body: Value) -> ProviderError {
        classify(
            status,
            &HeaderMap::new(),
            &body.to_string(),
            None,
            SystemTime::now(),
        )
    }

    #[test]
    fn openai_insufficient_quota_is_not_a_rate_limit() {
        let body = json!({"error": {"message": "You exceeded your current quota", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}});
        let error = classify_json(429, body);
        assert!(
            matches!(error, ProviderError::QuotaExhausted { .. }),
            "{error:?}"
        );
        assert!(!error.retryable());
        let transient = classify_json(
            429,
            json!({"error": {"message": "slow down", "type": "requests", "code": "rate_limit_exceeded"}}),
        );
        assert_eq!(transient, ProviderError::RateLimited { retry_after: None });
        assert!(transient.retryable());
    }

    #[test]
    fn anthropic_spend_limit_billing_and_overload() {
        let spend = json!({"type": "error", "error": {"type": "rate_limit_error", "message": "spend limit", "details": {"error_code": "enforced_spend_limit_reached"}}});
        assert!(matches!(
            classify_json(429, spend),
            ProviderError::QuotaExhausted { .. }
        ));
        let billing =
            json!({"type": "error", "error": {"type": "billing_error", "message": "pay up"}});
        assert!(matches!(
            classify_json(402, billing),
            ProviderError::QuotaExhausted { .. }
        ));
        let overloaded =
            json!({"type": "error", "error": {"type": "overloaded_error", "message": "busy"}});
        assert_eq!(classify_json(529, overloaded), ProviderError::Overloaded);
        assert!(ProviderError::Overloaded.retryable());
    }

    #[test]
    fn google_daily_quota_and_long_delays_are_quota_short_ones_are_limits() {
        let daily = json!({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Quota exceeded", "details": [
            {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{"quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}
        ]}});
        assert!(matches!(
            classify_json(429, daily),
            ProviderError::QuotaExhausted { .. }
        ));
        let long = json!({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "later", "details": [
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "3600s"}
        ]}});
        assert!(matches!(
            classify_json(429, long),
            ProviderError::QuotaExhausted { .. }
        ));
        let short = json!({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "later", "details": [
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "46s"}
        ]}});
        assert_eq!(
            classify_json(429, short),
            ProviderError::RateLimited {
                retry_after: Some(Duration::from_secs(46))
            }
        );
    }

    #[test]
    fn statuses_map_to_their_kinds() {
        assert_eq!(classify_json(401, json!({})), ProviderError::Auth(401));
        assert_eq!(classify_json(503, json!({})), ProviderError::Server(503));
        let bad = classify_json(400, json!({"error": {"message": "max_tokens too large"}}));
        assert_eq!(
            bad,
            ProviderError::BadRequest {
                status: 400,
                detail: "max_tokens too large".into()
            }
        );
        assert!(!bad.retryable());
        assert!(classify_json(408, json!({})).retryable());
        assert!(!ProviderError::Auth(401).retryable());
    }

    #[test]
    fn retry_after_header_is_kept_and_the_key_never_leaks() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("2"));
        let error = classify(429, &headers, "{}", None, SystemTime::now());
        assert_eq!(error.retry_hint(), Some(Duration::from_secs(2)));
        let key = Secret::new("sk-secret-999");
        let body =
            json!({"error": {"message": "Incorrect API key provided: sk-secret-999"}}).to_string();
        let error = classify(400, &HeaderMap::new(), &body, Some(&key), SystemTime::now());
        assert!(!error.to_string().contains("sk-secret-999"), "{error}");
    }
}
