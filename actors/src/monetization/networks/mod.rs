//! The affiliate networks' reporting APIs, as real HTTP clients: AWIN's publisher API
//! (programmes and transactions, external-apis.md §1.2–1.3) and Digistore24's `listPurchases`
//! (§2.2). Base URLs are settings, so tests (and proxies) point them elsewhere.

pub mod awin_api;
pub mod digistore24_api;

use std::time::Duration;

pub use awin_api::AwinApi;
pub use digistore24_api::Digistore24Api;

/// The network APIs this node may call: each is `None` until its credentials are configured.
#[derive(Debug, Clone, Default)]
pub struct NetworkApis {
    pub awin: Option<AwinApi>,
    pub digistore24: Option<Digistore24Api>,
}

/// A call that did not give an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    #[error("the API refused our credentials (HTTP {0}): check the token or key")]
    Unauthorized(u16),
    #[error("rate limited (HTTP 429); retry later")]
    RateLimited,
    #[error("HTTP {status}: {excerpt}")]
    Http { status: u16, excerpt: String },
    #[error("the API reported an error: {0}")]
    Refused(String),
    #[error("request failed: {0}")]
    Transport(String),
    #[error("unreadable answer: {0}")]
    Decode(String),
}

/// The HTTP client every network API uses: a timeout, no redirects (an API never redirects a
/// token elsewhere).
pub fn client(timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("empire-networks/1.0")
        .build()
}

/// A non-2xx answer as an error; the body is kept as a short excerpt.
async fn failure(response: reqwest::Response) -> NetworkError {
    let status = response.status().as_u16();
    match status {
        401 | 403 => NetworkError::Unauthorized(status),
        429 => NetworkError::RateLimited,
        _ => {
            let body = response.text().await.unwrap_or_default();
            NetworkError::Http {
                status,
                excerpt: body.chars().take(200).collect(),
            }
        }
    }
}

/// A 2xx answer's JSON body, or the failure.
async fn json<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, NetworkError> {
    if !response.status().is_success() {
        return Err(failure(response).await);
    }
    let body = response.bytes().await.map_err(transport)?;
    serde_json::from_slice(&body).map_err(|error| NetworkError::Decode(error.to_string()))
}

/// A transport failure without the URL (its query may carry a key).
fn transport(error: reqwest::Error) -> NetworkError {
    NetworkError::Transport(error.without_url().to_string())
}
