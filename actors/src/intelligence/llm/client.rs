//! One configured provider, whatever its wire format: built from its settings, asked with one call.

use super::anthropic::AnthropicClient;
use super::errors::ProviderError;
use super::gemini::GeminiClient;
use super::local::OfflineProvider;
use super::openai::OpenAiClient;
use super::settings::{ProviderKind, ProviderSettings};
use super::types::{ChatRequest, Completion};

/// The configured key cannot be sent in an HTTP header (control characters, line breaks).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("the API key of provider `{0}` is not a valid HTTP header value")]
pub struct InvalidApiKey(pub String);

#[derive(Debug, Clone)]
pub enum ProviderClient {
    OpenAi(OpenAiClient),
    Anthropic(AnthropicClient),
    Gemini(GeminiClient),
    Offline(OfflineProvider),
}

impl ProviderClient {
    /// The client for provider `name`; `http` is shared so connections are pooled.
    pub fn new(
        name: &str,
        settings: &ProviderSettings,
        http: &reqwest::Client,
    ) -> Result<Self, InvalidApiKey> {
        let invalid = |_| InvalidApiKey(name.to_owned());
        let http = http.clone();
        Ok(match settings.kind {
            ProviderKind::Openai => {
                ProviderClient::OpenAi(OpenAiClient::new(name, settings, http).map_err(invalid)?)
            }
            ProviderKind::Anthropic => ProviderClient::Anthropic(
                AnthropicClient::new(name, settings, http).map_err(invalid)?,
            ),
            ProviderKind::Gemini => {
                ProviderClient::Gemini(GeminiClient::new(name, settings, http).map_err(invalid)?)
            }
            ProviderKind::Local => ProviderClient::Offline(OfflineProvider::new(name)),
        })
    }

    /// One attempt, no retries: those are the gateway's business.
    pub async fn complete(&self, request: &ChatRequest) -> Result<Completion, ProviderError> {
        match self {
            ProviderClient::OpenAi(client) => client.complete(request).await,
            ProviderClient::Anthropic(client) => client.complete(request).await,
            ProviderClient::Gemini(client) => client.complete(request).await,
            ProviderClient::Offline(provider) => Ok(provider.complete(request)),
        }
    }
}

/// The shared HTTP client: pooled connections, a bounded connect time. Each request sets its
/// own total timeout from its provider's `timeout_ms`.
pub fn http_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .user_agent(concat!("empire/", env!("CARGO_PKG_VERSION")))
        .build()
}
