//! How long a provider asks us to wait: `retry-after-ms`, `Retry-After` (seconds or HTTP-date),
//! Google's `RetryInfo.retryDelay`, then the providers' rate-limit reset headers.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use serde_json::Value;

/// The server's wait hint, in the order of precedence of the reference (5.4).
pub(crate) fn retry_hint(headers: &HeaderMap, body: &Value, now: SystemTime) -> Option<Duration> {
    header(headers, "retry-after-ms")
        .and_then(|ms| ms.trim().parse::<f64>().ok())
        .and_then(|ms| Duration::try_from_secs_f64(ms / 1000.0).ok())
        .or_else(|| header(headers, "retry-after").and_then(|value| retry_after(value, now)))
        .or_else(|| google_retry_delay(body))
        .or_else(|| reset_headers(headers, now))
}

/// `Retry-After` is either delta-seconds or an HTTP-date.
pub(crate) fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some(until(at.with_timezone(&Utc), now))
}

/// `RetryInfo.retryDelay` from a Google error body (`{"error": {"details": [...]}}`).
pub(crate) fn google_retry_delay(body: &Value) -> Option<Duration> {
    let error = google_error(body)?;
    error
        .get("details")?
        .as_array()?
        .iter()
        .filter(|detail| {
            detail
                .get("@type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.ends_with("google.rpc.RetryInfo"))
        })
        .find_map(|detail| detail.get("retryDelay")?.as_str().and_then(go_duration))
}

/// The `error` object of a Google-style body, which some endpoints wrap in a one-element array.
pub(crate) fn google_error(body: &Value) -> Option<&Value> {
    let body = match body {
        Value::Array(items) => items.first()?,
        other => other,
    };
    body.get("error")
}

/// The longest reset among exhausted OpenAI (`6m0s`) or Anthropic (RFC 3339) limits.
fn reset_headers(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let openai = ["requests", "tokens"].into_iter().filter_map(|limit| {
        exhausted(headers, &format!("x-ratelimit-remaining-{limit}"))?;
        go_duration(header(headers, &format!("x-ratelimit-reset-{limit}"))?)
    });
    let anthropic = ["requests", "tokens", "input-tokens", "output-tokens"]
        .into_iter()
        .filter_map(|limit| {
            exhausted(headers, &format!("anthropic-ratelimit-{limit}-remaining"))?;
            let reset = header(headers, &format!("anthropic-ratelimit-{limit}-reset"))?;
            let at = DateTime::parse_from_rfc3339(reset.trim()).ok()?;
            Some(until(at.with_timezone(&Utc), now))
        });
    openai.chain(anthropic).max()
}

fn exhausted(headers: &HeaderMap, name: &str) -> Option<()> {
    (header(headers, name)?.trim() == "0").then_some(())
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok()
}

fn until(at: DateTime<Utc>, now: SystemTime) -> Duration {
    let now: DateTime<Utc> = now.into();
    (at - now).to_std().unwrap_or(Duration::ZERO)
}

/// A Go/protobuf duration: `46s`, `1.5s`, `20ms`, `6m0s`, `1h2m3.5s`.
pub(crate) fn go_duration(text: &str) -> Option<Duration> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0_f64;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds_per_unit = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "us" | "µs" => 0.000_001,
            "ns" => 0.000_000_001,
            _ => return None,
        };
        total += number * seconds_per_unit;
        rest = &rest[unit_len..];
    }
    Duration::try_from_secs_f64(total).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use serde_json::json;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn at(rfc3339: &str) -> SystemTime {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().into()
    }

    #[test]
    fn retry_after_ms_wins_over_retry_after() {
        let h = headers(&[("retry-after-ms", "250"), ("retry-after", "3")]);
        assert_eq!(
            retry_hint(&h, &Value::Null, SystemTime::now()),
            Some(Duration::from_millis(250))
        );
    }

    #[test]
    fn retry_after_takes_seconds_or_an_http_date() {
        let now = at("2015-10-21T07:27:00Z");
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn google_retry_info_is_read_from_the_body() {
        let body = json!({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "details": [
            {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []},
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "46s"}
        ]}});
        assert_eq!(
            retry_hint(&HeaderMap::new(), &body, SystemTime::now()),
            Some(Duration::from_secs(46))
        );
    }

    #[test]
    fn reset_headers_count_only_for_exhausted_limits() {
        let now = at("2026-01-01T00:00:00Z");
        let h = headers(&[
            ("x-ratelimit-remaining-requests", "0"),
            ("x-ratelimit-reset-requests", "6m0s"),
            ("x-ratelimit-remaining-tokens", "100"),
            ("x-ratelimit-reset-tokens", "1h"),
        ]);
        assert_eq!(
            retry_hint(&h, &Value::Null, now),
            Some(Duration::from_secs(360))
        );
        let h = headers(&[
            ("anthropic-ratelimit-tokens-remaining", "0"),
            ("anthropic-ratelimit-tokens-reset", "2026-01-01T00:00:30Z"),
        ]);
        assert_eq!(
            retry_hint(&h, &Value::Null, now),
            Some(Duration::from_secs(30))
        );
    }

    #[test]
    fn go_durations_parse() {
        assert_eq!(go_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(go_duration("20ms"), Some(Duration::from_millis(20)));
        assert_eq!(go_duration("1h2m3s"), Some(Duration::from_secs(3723)));
        assert_eq!(go_duration("3 days"), None);
        assert_eq!(go_duration(""), None);
    }
}
