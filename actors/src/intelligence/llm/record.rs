//! The bookkeeping of every attempt, the rows of the `llm_calls` ledger: who was asked, what it
//! cost, how long it took and how it ended.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::errors::ProviderError;

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    Ok,
    RateLimited,
    QuotaExhausted,
    Overloaded,
    ServerError,
    Timeout,
    ConnectError,
    AuthError,
    BadRequest,
    Malformed,
    StreamError,
}

impl CallOutcome {
    pub const ALL: [CallOutcome; 11] = [
        CallOutcome::Ok,
        CallOutcome::RateLimited,
        CallOutcome::QuotaExhausted,
        CallOutcome::Overloaded,
        CallOutcome::ServerError,
        CallOutcome::Timeout,
        CallOutcome::ConnectError,
        CallOutcome::AuthError,
        CallOutcome::BadRequest,
        CallOutcome::Malformed,
        CallOutcome::StreamError,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            CallOutcome::Ok => "ok",
            CallOutcome::RateLimited => "rate_limited",
            CallOutcome::QuotaExhausted => "quota_exhausted",
            CallOutcome::Overloaded => "overloaded",
            CallOutcome::ServerError => "server_error",
            CallOutcome::Timeout => "timeout",
            CallOutcome::ConnectError => "connect_error",
            CallOutcome::AuthError => "auth_error",
            CallOutcome::BadRequest => "bad_request",
            CallOutcome::Malformed => "malformed",
            CallOutcome::StreamError => "stream_error",
        }
    }

    /// The outcome of a failed attempt; `None` for a provider skipped before any request.
    pub fn for_error(error: &ProviderError) -> Option<CallOutcome> {
        Some(match error {
            ProviderError::RateLimited { .. } => CallOutcome::RateLimited,
            ProviderError::QuotaExhausted { .. } => CallOutcome::QuotaExhausted,
            ProviderError::Overloaded => CallOutcome::Overloaded,
            ProviderError::Server(_) => CallOutcome::ServerError,
            ProviderError::Timeout => CallOutcome::Timeout,
            ProviderError::Connect { .. } => CallOutcome::ConnectError,
            ProviderError::Auth(_) => CallOutcome::AuthError,
            ProviderError::BadRequest { .. } => CallOutcome::BadRequest,
            ProviderError::Malformed { .. } => CallOutcome::Malformed,
            ProviderError::StreamError { .. } => CallOutcome::StreamError,
            ProviderError::CircuitOpen { .. } | ProviderError::Throttled { .. } => return None,
        })
    }
}

impl fmt::Display for CallOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The string was not one of [`CallOutcome::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown call outcome `{0}`")]
pub struct UnknownCallOutcome(pub String);

impl FromStr for CallOutcome {
    type Err = UnknownCallOutcome;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CallOutcome::ALL
            .into_iter()
            .find(|outcome| outcome.as_str() == s)
            .ok_or_else(|| UnknownCallOutcome(s.to_owned()))
    }
}

/// One attempt at one provider, successful or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// The configured provider name.
    pub provider: String,
    /// The model that answered, else the configured one.
    pub model: String,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// The provider sent no usage; the tokens are estimates (chars / 4).
    pub usage_estimated: bool,
    pub latency_ms: u64,
    pub outcome: CallOutcome,
    /// The cost in micro-EUR (0 for a failed attempt: no usage was reported).
    pub cost_micros: u64,
    /// The provider has no configured price; the conservative default was charged.
    pub priced_by_default: bool,
    pub streamed: bool,
    /// Why the attempt failed (key-free), `None` when it succeeded.
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_round_trip_and_skips_have_none() {
        for outcome in CallOutcome::ALL {
            assert_eq!(outcome.as_str().parse::<CallOutcome>().unwrap(), outcome);
            assert_eq!(
                serde_json::to_value(outcome).unwrap(),
                serde_json::json!(outcome.as_str())
            );
        }
        assert_eq!(
            CallOutcome::for_error(&ProviderError::QuotaExhausted { detail: "x".into() }),
            Some(CallOutcome::QuotaExhausted)
        );
        assert_eq!(
            CallOutcome::for_error(&ProviderError::Throttled {
                wait: std::time::Duration::from_secs(1)
            }),
            None
        );
    }
}
