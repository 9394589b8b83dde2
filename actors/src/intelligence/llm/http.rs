//! The HTTP plumbing every provider client shares: send and classify failures, read a JSON body,
//! walk an SSE body event by event.

use std::time::SystemTime;

use futures::StreamExt;
use reqwest::header::{CONTENT_TYPE, HeaderValue, InvalidHeaderValue};
use reqwest::{RequestBuilder, Response};
use serde::de::DeserializeOwned;

use super::errors::{self, ProviderError};
use super::secret::Secret;
use super::sse::{SseEvent, SseParser};

/// An error body is read up to this many bytes; the rest is not worth the memory.
const ERROR_BODY_BYTES: usize = 64 * 1024;

/// A header value carrying a credential, marked sensitive so reqwest's `Debug` hides it too.
pub(crate) fn sensitive_header(value: &str) -> Result<HeaderValue, InvalidHeaderValue> {
    let mut header = HeaderValue::from_str(value)?;
    header.set_sensitive(true);
    Ok(header)
}

/// What the event handler wants after one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    Stop,
}

/// Sends `request`; a non-2xx answer becomes a classified [`ProviderError`] with the key scrubbed.
pub(crate) async fn send(
    request: RequestBuilder,
    key: Option<&Secret>,
) -> Result<Response, ProviderError> {
    let mut response = request
        .send()
        .await
        .map_err(|error| errors::transport(&error))?;
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let headers = response.headers().clone();
    let mut body = Vec::new();
    while body.len() < ERROR_BODY_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            // The status already says what matters; a cut body only loses detail.
            Ok(None) | Err(_) => break,
        }
    }
    let body = String::from_utf8_lossy(&body);
    Err(errors::classify(
        status.as_u16(),
        &headers,
        &body,
        key,
        SystemTime::now(),
    ))
}

/// Reads and decodes a whole JSON body.
pub(crate) async fn json_body<T: DeserializeOwned>(response: Response) -> Result<T, ProviderError> {
    let bytes = response
        .bytes()
        .await
        .map_err(|error| errors::transport(&error))?;
    serde_json::from_slice(&bytes).map_err(|error| ProviderError::Malformed {
        detail: format!("undecodable body: {error}"),
    })
}

/// Whether the server answered with an event stream (some compatible servers ignore
/// `stream: true` and answer with one JSON body).
pub(crate) fn is_event_stream(response: &Response) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/event-stream"))
}

/// Feeds every SSE event of the body to `on_event` until it says stop or the body ends. A
/// transport failure after the first byte is a `StreamError` (never retried: the answer was
/// already partly consumed); before it, a plain transport error.
pub(crate) async fn read_events(
    response: Response,
    mut on_event: impl FnMut(SseEvent) -> Result<Flow, ProviderError>,
) -> Result<(), ProviderError> {
    let mut body = response.bytes_stream();
    let mut parser = SseParser::new();
    let mut received = false;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|error| {
            if received {
                ProviderError::StreamError {
                    detail: format!("stream cut: {}", errors::transport(&error)),
                }
            } else {
                errors::transport(&error)
            }
        })?;
        received |= !chunk.is_empty();
        for event in parser.feed(&chunk) {
            if on_event(event)? == Flow::Stop {
                return Ok(());
            }
        }
    }
    if let Some(event) = parser.finish() {
        on_event(event)?;
    }
    Ok(())
}

/// Decodes one event's JSON data; an undecodable chunk is a malformed answer.
pub(crate) fn event_json<T: DeserializeOwned>(event: &SseEvent) -> Result<T, ProviderError> {
    serde_json::from_str(&event.data).map_err(|error| ProviderError::Malformed {
        detail: format!("undecodable stream event: {error}"),
    })
}
