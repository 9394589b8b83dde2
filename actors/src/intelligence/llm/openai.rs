//! OpenAI chat completions (`POST {base}/chat/completions`), which Ollama, vLLM, the llama.cpp
//! server and Gemini's compatibility endpoint also speak; JSON or SSE with a final usage chunk.

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderValue, InvalidHeaderValue};
use serde::{Deserialize, Serialize};

use super::errors::{self, ProviderError};
use super::http::{self, Flow};
use super::secret::Secret;
use super::settings::ProviderSettings;
use super::types::{ChatRequest, Completion, Draft, FinishReason};

/// A client for one configured OpenAI-compatible provider.
#[derive(Debug, Clone)]
pub struct OpenAiClient {
    name: String,
    http: reqwest::Client,
    url: String,
    model: String,
    key: Option<Secret>,
    /// `Bearer <key>`, built once.
    auth: Option<HeaderValue>,
    timeout: Duration,
    /// api.openai.com wants `max_completion_tokens` (newer models refuse `max_tokens`);
    /// compatible servers know only `max_tokens`.
    completion_tokens_field: bool,
}

#[derive(Serialize)]
struct WireRequest<'a> {
    model: &'a str,
    messages: Vec<WireMessage<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_completion_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f32>,
    stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream_options: Option<StreamOptions>,
}

#[derive(Serialize)]
struct WireMessage<'a> {
    role: &'a str,
    content: &'a str,
}

#[derive(Serialize)]
struct StreamOptions {
    include_usage: bool,
}

/// A `chat.completion` or a `chat.completion.chunk`; every field optional, unknown ones ignored.
#[derive(Debug, Deserialize)]
struct WireResponse {
    model: Option<String>,
    choices: Option<Vec<WireChoice>>,
    usage: Option<WireUsage>,
    error: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct WireChoice {
    message: Option<WireContent>,
    delta: Option<WireContent>,
    finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WireContent {
    content: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WireUsage {
    prompt_tokens: Option<u64>,
    completion_tokens: Option<u64>,
}

impl OpenAiClient {
    pub fn new(
        name: &str,
        settings: &ProviderSettings,
        http: reqwest::Client,
    ) -> Result<Self, InvalidHeaderValue> {
        let base = settings.effective_base_url();
        let auth = settings
            .api_key
            .as_ref()
            .map(|key| http::sensitive_header(&format!("Bearer {}", key.expose())))
            .transpose()?;
        Ok(OpenAiClient {
            name: name.to_owned(),
            http,
            url: format!("{base}/chat/completions"),
            model: settings.effective_model().to_owned(),
            key: settings.api_key.clone(),
            auth,
            timeout: settings.timeout(),
            completion_tokens_field: base.starts_with("https://api.openai.com"),
        })
    }

    pub async fn complete(&self, request: &ChatRequest) -> Result<Completion, ProviderError> {
        let mut builder = self
            .http
            .post(&self.url)
            .timeout(self.timeout)
            .json(&self.wire_request(request));
        if let Some(auth) = &self.auth {
            builder = builder.header(AUTHORIZATION, auth.clone());
        }
        let response = http::send(builder, self.key.as_ref()).await?;
        let streamed = request.stream && http::is_event_stream(&response);
        let draft = if streamed {
            read_stream(response, self.key.as_ref()).await?
        } else {
            let body: WireResponse = http::json_body(response).await?;
            read_body(body)?
        };
        Ok(draft.into_completion(&self.name, &self.model, request, streamed))
    }

    fn wire_request<'a>(&'a self, request: &'a ChatRequest) -> WireRequest<'a> {
        let system = request.system.as_deref().map(|content| WireMessage {
            role: "system",
            content,
        });
        let messages = system
            .into_iter()
            .chain(request.messages.iter().map(|m| WireMessage {
                role: m.role.as_str(),
                content: &m.content,
            }))
            .collect();
        let limit = Some(request.max_tokens);
        WireRequest {
            model: &self.model,
            messages,
            max_tokens: limit.filter(|_| !self.completion_tokens_field),
            max_completion_tokens: limit.filter(|_| self.completion_tokens_field),
            temperature: request.temperature,
            stream: request.stream,
            stream_options: request.stream.then_some(StreamOptions {
                include_usage: true,
            }),
        }
    }
}

fn read_body(body: WireResponse) -> Result<Draft, ProviderError> {
    let choice = body
        .choices
        .and_then(|choices| choices.into_iter().next())
        .ok_or_else(|| ProviderError::Malformed {
            detail: "no choices in the response".into(),
        })?;
    let usage = body.usage;
    Ok(Draft {
        text: choice.message.and_then(|m| m.content).unwrap_or_default(),
        model: body.model,
        input_tokens: usage.as_ref().and_then(|u| u.prompt_tokens),
        output_tokens: usage.as_ref().and_then(|u| u.completion_tokens),
        finish: choice.finish_reason.as_deref().map(finish_reason),
    })
}

async fn read_stream(
    response: reqwest::Response,
    key: Option<&Secret>,
) -> Result<Draft, ProviderError> {
    let mut draft = Draft::default();
    let mut events = 0_usize;
    http::read_events(response, |event| {
        if event.is_done() {
            return Ok(Flow::Stop);
        }
        events += 1;
        let chunk: WireResponse = http::event_json(&event)?;
        if let Some(error) = chunk.error {
            return Err(ProviderError::StreamError {
                detail: errors::scrubbed(&error_message(&error), key),
            });
        }
        if chunk.model.is_some() {
            draft.model = chunk.model;
        }
        for choice in chunk.choices.into_iter().flatten() {
            if let Some(text) = choice.delta.and_then(|d| d.content) {
                draft.text.push_str(&text);
            }
            if let Some(reason) = choice.finish_reason.as_deref() {
                draft.finish = Some(finish_reason(reason));
            }
        }
        if let Some(usage) = chunk.usage {
            draft.input_tokens = usage.prompt_tokens.or(draft.input_tokens);
            draft.output_tokens = usage.completion_tokens.or(draft.output_tokens);
        }
        Ok(Flow::Continue)
    })
    .await?;
    if events == 0 {
        return Err(ProviderError::StreamError {
            detail: "the stream ended without a chunk".into(),
        });
    }
    Ok(draft)
}

fn error_message(error: &serde_json::Value) -> String {
    error
        .get("message")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("error event")
        .to_owned()
}

fn finish_reason(reason: &str) -> FinishReason {
    match reason {
        "stop" => FinishReason::Stop,
        "length" => FinishReason::Length,
        "content_filter" => FinishReason::ContentFilter,
        "tool_calls" | "function_call" => FinishReason::ToolUse,
        _ => FinishReason::Other,
    }
}
