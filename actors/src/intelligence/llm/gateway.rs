//! The gateway: asks the providers of a chain in order, within their limits and breakers, retries
//! what may be retried, and returns the answer with a record of every attempt for the ledger.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::breaker::{BreakerSettings, BreakerState, CircuitBreaker};
use super::client::{self, InvalidApiKey, ProviderClient};
use super::errors::ProviderError;
use super::limiter::{Limits, LocalRateLimiter, RateLimiter};
use super::pricing::{self, Price, PriceQuote};
use super::record::{CallOutcome, CallRecord};
use super::retry::{self, RetryPolicy};
use super::settings::{ProviderKind, ProviderSettings};
use super::types::{self, ChatRequest, Completion};

/// How hard the gateway tries before it moves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GatewayOptions {
    pub retry: RetryPolicy,
    pub breaker: BreakerSettings,
    /// The longest a call may wait for its provider's rate limiter before the provider is skipped.
    pub max_limiter_wait: Duration,
    /// Charged for providers with no configured price.
    pub default_price: Price,
}

impl Default for GatewayOptions {
    fn default() -> Self {
        GatewayOptions {
            retry: RetryPolicy::default(),
            breaker: BreakerSettings::default(),
            max_limiter_wait: Duration::from_secs(5),
            default_price: Price::CONSERVATIVE_DEFAULT,
        }
    }
}

/// A successful call: the answer and every attempt it took, failed ones included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub completion: Completion,
    pub calls: Vec<CallRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum GatewayError {
    /// Every provider of the chain failed or was skipped; `calls` are the attempts made.
    #[error("no provider answered: {}", summary(attempts))]
    AllFailed {
        attempts: Vec<(String, ProviderError)>,
        calls: Vec<CallRecord>,
    },
    #[error("unknown provider `{0}`")]
    UnknownProvider(String),
    #[error("the provider chain is empty")]
    EmptyChain,
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    #[error(transparent)]
    InvalidApiKey(#[from] InvalidApiKey),
}

fn summary(attempts: &[(String, ProviderError)]) -> String {
    let parts: Vec<String> = attempts
        .iter()
        .map(|(name, error)| format!("{name}: {error}"))
        .collect();
    parts.join("; ")
}

struct Provider {
    settings: ProviderSettings,
    client: ProviderClient,
    quote: PriceQuote,
}

/// The LLM gateway: configured providers, a default chain, limits, breakers and retries.
pub struct Gateway {
    providers: BTreeMap<String, Provider>,
    default_chain: Vec<String>,
    options: GatewayOptions,
    limiter: Arc<dyn RateLimiter>,
    breakers: Mutex<BTreeMap<String, CircuitBreaker>>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let providers: BTreeMap<&str, &ProviderSettings> = self
            .providers
            .iter()
            .map(|(name, p)| (name.as_str(), &p.settings))
            .collect();
        f.debug_struct("Gateway")
            .field("providers", &providers)
            .field("default_chain", &self.default_chain)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Gateway {
    /// A gateway with default options and the in-process rate limiter.
    pub fn new(
        providers: BTreeMap<String, ProviderSettings>,
        default_chain: Vec<String>,
    ) -> Result<Self, GatewayError> {
        Self::with_options(providers, default_chain, GatewayOptions::default())
    }

    pub fn with_options(
        providers: BTreeMap<String, ProviderSettings>,
        default_chain: Vec<String>,
        options: GatewayOptions,
    ) -> Result<Self, GatewayError> {
        let http =
            client::http_client().map_err(|error| GatewayError::Client(error.to_string()))?;
        let limits = providers
            .iter()
            .filter(|(_, settings)| settings.kind != ProviderKind::Local)
            .map(|(name, settings)| {
                let limits = Limits {
                    requests_per_minute: u64::from(settings.requests_per_minute),
                    tokens_per_minute: settings.tokens_per_minute,
                };
                (name.clone(), limits)
            })
            .collect();
        let breakers = providers
            .keys()
            .map(|name| (name.clone(), CircuitBreaker::new(options.breaker)))
            .collect();
        let providers = providers
            .into_iter()
            .map(|(name, settings)| {
                let provider = Provider {
                    client: ProviderClient::new(&name, &settings, &http)?,
                    quote: PriceQuote::for_settings(&settings, options.default_price),
                    settings,
                };
                Ok((name, provider))
            })
            .collect::<Result<BTreeMap<String, Provider>, InvalidApiKey>>()?;
        if let Some(unknown) = default_chain
            .iter()
            .find(|name| !providers.contains_key(*name))
        {
            return Err(GatewayError::UnknownProvider(unknown.clone()));
        }
        Ok(Gateway {
            providers,
            default_chain,
            options,
            limiter: Arc::new(LocalRateLimiter::new(limits)),
            breakers: Mutex::new(breakers),
        })
    }

    /// Replaces the in-process limiter, e.g. with a cluster-wide one.
    pub fn with_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.limiter = limiter;
        self
    }

    pub fn default_chain(&self) -> &[String] {
        &self.default_chain
    }

    /// The price charged for `provider`, and whether it is the default.
    pub fn quote(&self, provider: &str) -> Option<PriceQuote> {
        self.providers.get(provider).map(|p| p.quote)
    }

    /// The most `request` can cost at `provider` in micro-EUR (estimated prompt plus all of
    /// `max_tokens`), for refusing a call before it would pass a budget.
    pub fn max_cost_micros(&self, provider: &str, request: &ChatRequest) -> Option<u64> {
        let quote = self.quote(provider)?;
        Some(pricing::cost_micros(worst_case_usage(request), quote.price))
    }

    /// The configuration of `provider`.
    pub fn settings(&self, provider: &str) -> Option<&ProviderSettings> {
        self.providers.get(provider).map(|p| &p.settings)
    }

    /// The configured provider names, in order.
    pub fn provider_names(&self) -> impl Iterator<Item = &str> {
        self.providers.keys().map(String::as_str)
    }

    pub fn breaker_state(&self, provider: &str) -> Option<BreakerState> {
        let breakers = self.breakers.lock().unwrap_or_else(PoisonError::into_inner);
        breakers.get(provider).map(|b| b.state(Instant::now()))
    }

    /// How much longer `provider`'s breaker stays open (`None` when it is not open).
    pub fn breaker_open_for(&self, provider: &str) -> Option<Duration> {
        let breakers = self.breakers.lock().unwrap_or_else(PoisonError::into_inner);
        breakers.get(provider)?.open_remaining(Instant::now())
    }

    /// [`Gateway::complete`] along the default chain.
    pub async fn complete_default(&self, request: &ChatRequest) -> Result<Outcome, GatewayError> {
        self.complete(&self.default_chain, request).await
    }

    /// Asks the providers of `chain` in order until one answers.
    pub async fn complete(
        &self,
        chain: &[String],
        request: &ChatRequest,
    ) -> Result<Outcome, GatewayError> {
        if chain.is_empty() {
            return Err(GatewayError::EmptyChain);
        }
        if let Some(unknown) = chain
            .iter()
            .find(|name| !self.providers.contains_key(*name))
        {
            return Err(GatewayError::UnknownProvider(unknown.clone()));
        }
        let mut calls = Vec::new();
        let mut attempts = Vec::new();
        for name in chain {
            let Some(provider) = self.providers.get(name) else {
                continue;
            };
            match self.try_provider(name, provider, request, &mut calls).await {
                Ok(completion) => return Ok(Outcome { completion, calls }),
                Err(error) => attempts.push((name.clone(), error)),
            }
        }
        Err(GatewayError::AllFailed { attempts, calls })
    }

    /// Up to `max_attempts` attempts at one provider; the error is the last reason to give up.
    async fn try_provider(
        &self,
        name: &str,
        provider: &Provider,
        request: &ChatRequest,
        calls: &mut Vec<CallRecord>,
    ) -> Result<Completion, ProviderError> {
        let mut last_error: Option<ProviderError> = None;
        let mut attempt: u32 = 0;
        loop {
            if let Err(retry_in) = self.with_breaker(name, |b| b.try_acquire(Instant::now())) {
                return Err(last_error.unwrap_or(ProviderError::CircuitOpen { retry_in }));
            }
            if let Err(wait) = self.admit(name, request).await {
                self.with_breaker(name, CircuitBreaker::on_neutral);
                return Err(last_error.unwrap_or(ProviderError::Throttled { wait }));
            }
            let started = Instant::now();
            // Backstop only: each client's request carries the same timeout and usually fires first.
            let deadline = provider.settings.timeout() + Duration::from_millis(250);
            let result = tokio::time::timeout(deadline, provider.client.complete(request))
                .await
                .unwrap_or(Err(ProviderError::Timeout));
            let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let error = match result {
                Ok(completion) => {
                    self.with_breaker(name, CircuitBreaker::on_success);
                    calls.push(success_record(&completion, provider.quote, latency_ms));
                    return Ok(completion);
                }
                Err(error) => error,
            };
            calls.push(failure_record(name, provider, request, &error, latency_ms));
            let now = Instant::now();
            if matches!(error, ProviderError::QuotaExhausted { .. }) {
                tracing::warn!(provider = name, error = %error, "quota spent: provider tripped for the long cool-down");
                self.with_breaker(name, |b| b.trip_for_quota(now));
                return Err(error);
            }
            if error.counts_against_provider() {
                self.with_breaker(name, |b| b.on_failure(now));
            } else {
                self.with_breaker(name, CircuitBreaker::on_neutral);
            }
            let policy = self.options.retry;
            let delay = (error.retryable() && policy.allows_another(attempt + 1))
                .then(|| policy.delay(attempt, error.retry_hint(), retry::random_jitter()))
                .flatten();
            let Some(delay) = delay else {
                tracing::debug!(provider = name, error = %error, "giving up on provider");
                return Err(error);
            };
            tracing::debug!(provider = name, error = %error, ?delay, "retrying");
            last_error = Some(error);
            attempt += 1;
            tokio::time::sleep(delay).await;
        }
    }

    /// Waits for the rate limiter up to `max_limiter_wait`; `Err(wait)` when it would be longer.
    async fn admit(&self, name: &str, request: &ChatRequest) -> Result<(), Duration> {
        let usage = worst_case_usage(request);
        let tokens = usage.input_tokens + usage.output_tokens;
        let mut waited = Duration::ZERO;
        loop {
            match self.limiter.acquire(name, tokens).await {
                Ok(()) => return Ok(()),
                Err(wait) if waited + wait <= self.options.max_limiter_wait => {
                    waited += wait;
                    tokio::time::sleep(wait).await;
                }
                Err(wait) => return Err(wait),
            }
        }
    }

    fn with_breaker<T>(&self, name: &str, f: impl FnOnce(&mut CircuitBreaker) -> T) -> T {
        let mut breakers = self.breakers.lock().unwrap_or_else(PoisonError::into_inner);
        let breaker = breakers
            .entry(name.to_owned())
            .or_insert_with(|| CircuitBreaker::new(self.options.breaker));
        f(breaker)
    }
}

fn worst_case_usage(request: &ChatRequest) -> types::Usage {
    types::Usage {
        input_tokens: types::estimate_tokens(request.prompt_chars()),
        output_tokens: u64::from(request.max_tokens),
    }
}

fn success_record(completion: &Completion, quote: PriceQuote, latency_ms: u64) -> CallRecord {
    CallRecord {
        provider: completion.provider.clone(),
        model: completion.model.clone(),
        input_tokens: completion.usage.input_tokens,
        output_tokens: completion.usage.output_tokens,
        usage_estimated: completion.usage_estimated,
        latency_ms,
        outcome: CallOutcome::Ok,
        cost_micros: pricing::cost_micros(completion.usage, quote.price),
        priced_by_default: quote.priced_by_default,
        streamed: completion.streamed,
        error: None,
    }
}

fn failure_record(
    name: &str,
    provider: &Provider,
    request: &ChatRequest,
    error: &ProviderError,
    latency_ms: u64,
) -> CallRecord {
    CallRecord {
        provider: name.to_owned(),
        model: provider.settings.effective_model().to_owned(),
        input_tokens: 0,
        output_tokens: 0,
        usage_estimated: false,
        latency_ms,
        // Skips never reach here: they make no request and leave no record.
        outcome: CallOutcome::for_error(error).unwrap_or(CallOutcome::ConnectError),
        cost_micros: 0,
        priced_by_default: provider.quote.priced_by_default,
        streamed: request.stream && provider.settings.kind != ProviderKind::Local,
        error: Some(error.to_string()),
    }
}
