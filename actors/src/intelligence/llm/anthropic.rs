//! Anthropic Messages (`POST {base}/messages`, `x-api-key`, `anthropic-version: 2023-06-01`, the
//! system prompt as a top-level field); JSON or named-event SSE.

use std::time::Duration;

use reqwest::header::{HeaderValue, InvalidHeaderValue};
use serde::{Deserialize, Serialize};

use super::errors::{self, ProviderError};
use super::http::{self, Flow};
use super::secret::Secret;
use super::settings::ProviderSettings;
use super::types::{ChatRequest, Completion, Draft, FinishReason};

pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// A client for one configured Anthropic provider.
#[derive(Debug, Clone)]
pub struct AnthropicClient {
    name: String,
    http: reqwest::Client,
    url: String,
    model: String,
    key: Option<Secret>,
    /// The key as a sensitive header value, built once.
    auth: Option<HeaderValue>,
    timeout: Duration,
}

#[derive(Serialize)]
struct WireRequest<'a> {
    model: &'a str,
    max_tokens: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    system: Option<&'a str>,
    messages: Vec<WireMessage<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f32>,
    stream: bool,
}

#[derive(Serialize)]
struct WireMessage<'a> {
    role: &'a str,
    content: &'a str,
}

#[derive(Debug, Deserialize)]
struct WireMessageResponse {
    model: Option<String>,
    content: Option<Vec<WireBlock>>,
    stop_reason: Option<String>,
    usage: Option<WireUsage>,
}

#[derive(Debug, Deserialize)]
struct WireBlock {
    #[serde(rename = "type")]
    kind: Option<String>,
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WireUsage {
    input_tokens: Option<u64>,
    output_tokens: Option<u64>,
}

/// The data of any stream event; which fields are set depends on its type.
#[derive(Debug, Deserialize)]
struct WireEvent {
    #[serde(rename = "type")]
    kind: Option<String>,
    message: Option<WireMessageResponse>,
    delta: Option<WireDelta>,
    usage: Option<WireUsage>,
    error: Option<WireError>,
}

#[derive(Debug, Deserialize)]
struct WireDelta {
    #[serde(rename = "type")]
    kind: Option<String>,
    text: Option<String>,
    stop_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WireError {
    #[serde(rename = "type")]
    kind: Option<String>,
    message: Option<String>,
}

impl AnthropicClient {
    pub fn new(
        name: &str,
        settings: &ProviderSettings,
        http: reqwest::Client,
    ) -> Result<Self, InvalidHeaderValue> {
        let auth = settings
            .api_key
            .as_ref()
            .map(|key| http::sensitive_header(key.expose()))
            .transpose()?;
        Ok(AnthropicClient {
            name: name.to_owned(),
            http,
            url: format!("{}/messages", settings.effective_base_url()),
            model: settings.effective_model().to_owned(),
            key: settings.api_key.clone(),
            auth,
            timeout: settings.timeout(),
        })
    }

    pub async fn complete(&self, request: &ChatRequest) -> Result<Completion, ProviderError> {
        let body = WireRequest {
            model: &self.model,
            max_tokens: request.max_tokens,
            system: request.system.as_deref(),
            messages: request
                .messages
                .iter()
                .map(|m| WireMessage {
                    role: m.role.as_str(),
                    content: &m.content,
                })
                .collect(),
            temperature: request.temperature,
            stream: request.stream,
        };
        let mut builder = self
            .http
            .post(&self.url)
            .timeout(self.timeout)
            .header("anthropic-version", ANTHROPIC_VERSION)
            .json(&body);
        if let Some(auth) = &self.auth {
            builder = builder.header("x-api-key", auth.clone());
        }
        let response = http::send(builder, self.key.as_ref()).await?;
        let streamed = request.stream && http::is_event_stream(&response);
        let draft = if streamed {
            read_stream(response, self.key.as_ref()).await?
        } else {
            read_message(http::json_body(response).await?)?
        };
        Ok(draft.into_completion(&self.name, &self.model, request, streamed))
    }
}

fn read_message(message: WireMessageResponse) -> Result<Draft, ProviderError> {
    let blocks = message.content.ok_or_else(|| ProviderError::Malformed {
        detail: "no content in the message".into(),
    })?;
    let text = blocks
        .into_iter()
        .filter(|block| block.kind.as_deref() == Some("text"))
        .filter_map(|block| block.text)
        .collect();
    Ok(Draft {
        text,
        model: message.model,
        input_tokens: message.usage.as_ref().and_then(|u| u.input_tokens),
        output_tokens: message.usage.as_ref().and_then(|u| u.output_tokens),
        finish: message.stop_reason.as_deref().map(stop_reason),
    })
}

async fn read_stream(
    response: reqwest::Response,
    key: Option<&Secret>,
) -> Result<Draft, ProviderError> {
    let mut draft = Draft::default();
    let mut started = false;
    http::read_events(response, |event| {
        let data: WireEvent = http::event_json(&event)?;
        let kind = event
            .event
            .as_deref()
            .or(data.kind.as_deref())
            .unwrap_or("");
        match kind {
            "message_start" => {
                started = true;
                if let Some(message) = data.message {
                    draft.model = message.model;
                    draft.input_tokens = message.usage.and_then(|u| u.input_tokens);
                }
            }
            "content_block_delta" => {
                let text = data
                    .delta
                    .filter(|d| d.kind.as_deref() == Some("text_delta"))
                    .and_then(|d| d.text);
                if let Some(text) = text {
                    draft.text.push_str(&text);
                }
            }
            "message_delta" => {
                if let Some(reason) = data.delta.and_then(|d| d.stop_reason) {
                    draft.finish = Some(stop_reason(&reason));
                }
                if let Some(usage) = data.usage {
                    // output_tokens is cumulative: the last one counts.
                    draft.output_tokens = usage.output_tokens.or(draft.output_tokens);
                    draft.input_tokens = usage.input_tokens.or(draft.input_tokens);
                }
            }
            "message_stop" => return Ok(Flow::Stop),
            "error" => {
                let error = data.error;
                let kind = error
                    .as_ref()
                    .and_then(|e| e.kind.as_deref())
                    .unwrap_or("error");
                let message = error
                    .as_ref()
                    .and_then(|e| e.message.as_deref())
                    .unwrap_or("");
                return Err(ProviderError::StreamError {
                    detail: errors::scrubbed(&format!("{kind}: {message}"), key),
                });
            }
            // ping, content_block_start/stop and event types added later.
            _ => {}
        }
        Ok(Flow::Continue)
    })
    .await?;
    if !started {
        return Err(ProviderError::StreamError {
            detail: "the stream ended before message_start".into(),
        });
    }
    Ok(draft)
}

fn stop_reason(reason: &str) -> FinishReason {
    match reason {
        "end_turn" | "stop_sequence" => FinishReason::Stop,
        "max_tokens" => FinishReason::Length,
        "tool_use" => FinishReason::ToolUse,
        "refusal" => FinishReason::ContentFilter,
        _ => FinishReason::Other,
    }
}
