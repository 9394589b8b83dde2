//! The LLM gateway's provider layer: wire-format clients (OpenAI-compatible, Anthropic, Gemini,
//! offline), error classification, pricing, rate limits, circuit breakers, retries and fallback.

mod anthropic;
mod breaker;
mod client;
mod errors;
mod gateway;
mod gemini;
mod hints;
mod http;
mod limiter;
mod local;
pub mod node;
mod openai;
mod pricing;
mod record;
mod retry;
mod secret;
mod settings;
mod sse;
mod types;

pub use anthropic::{ANTHROPIC_VERSION, AnthropicClient};
pub use breaker::{BreakerSettings, BreakerState, CircuitBreaker};
pub use client::{InvalidApiKey, ProviderClient, http_client};
pub use errors::{ProviderError, QUOTA_RETRY_DELAY};
pub use gateway::{Gateway, GatewayError, GatewayOptions, Outcome};
pub use gemini::GeminiClient;
pub use limiter::{Limits, LocalRateLimiter, RateLimiter, TokenBucket};
pub use local::{LOCAL_MODEL, OfflineProvider};
pub use node::{
    BucketStore, BudgetExceeded, BudgetName, Llm, LlmError, LlmSettings, LlmStartError,
    SharedRateLimiter,
};
pub use openai::OpenAiClient;
pub use pricing::{Price, PriceQuote, cost_micros};
pub use record::{CallOutcome, CallRecord, UnknownCallOutcome};
pub use retry::{RetryPolicy, random_jitter};
pub use secret::Secret;
pub use settings::{ProviderKind, ProviderSettings, UnknownProviderKind};
pub use sse::{SseEvent, SseParser};
pub use types::{ChatMessage, ChatRequest, Completion, FinishReason, Role, Usage, estimate_tokens};

#[cfg(test)]
mod tests;
