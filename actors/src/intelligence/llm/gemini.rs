//! Google Gemini's native API: `POST {base}/models/{model}:generateContent`, or
//! `:streamGenerateContent?alt=sse`, with the key in `x-goog-api-key` (never in the URL).

use std::time::Duration;

use reqwest::header::{HeaderValue, InvalidHeaderValue};
use serde::{Deserialize, Serialize};

use super::errors::{self, ProviderError};
use super::http::{self, Flow};
use super::secret::Secret;
use super::settings::ProviderSettings;
use super::types::{ChatRequest, Completion, Draft, FinishReason, Role};

/// A client for one configured Gemini provider.
#[derive(Debug, Clone)]
pub struct GeminiClient {
    name: String,
    http: reqwest::Client,
    /// `{base}/models/{model}`, to which `:generateContent` or `:streamGenerateContent` is added.
    model_url: String,
    model: String,
    key: Option<Secret>,
    /// The key as a sensitive header value, built once.
    auth: Option<HeaderValue>,
    timeout: Duration,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireRequest<'a> {
    contents: Vec<WireContent<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    system_instruction: Option<WireContent<'a>>,
    generation_config: GenerationConfig,
}

#[derive(Serialize)]
struct WireContent<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    parts: [WirePart<'a>; 1],
}

#[derive(Serialize)]
struct WirePart<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GenerationConfig {
    max_output_tokens: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f32>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireResponse {
    candidates: Option<Vec<WireCandidate>>,
    prompt_feedback: Option<serde_json::Value>,
    usage_metadata: Option<WireUsage>,
    model_version: Option<String>,
    error: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCandidate {
    content: Option<WireCandidateContent>,
    finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WireCandidateContent {
    parts: Option<Vec<WireResponsePart>>,
}

#[derive(Debug, Deserialize)]
struct WireResponsePart {
    text: Option<String>,
    /// Thought summaries are not part of the answer.
    thought: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireUsage {
    prompt_token_count: Option<u64>,
    candidates_token_count: Option<u64>,
    /// Thinking tokens are billed as output.
    thoughts_token_count: Option<u64>,
}

impl GeminiClient {
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
        let model = settings.effective_model().to_owned();
        let path_model = model.strip_prefix("models/").unwrap_or(&model);
        Ok(GeminiClient {
            name: name.to_owned(),
            http,
            model_url: format!("{}/models/{path_model}", settings.effective_base_url()),
            model,
            key: settings.api_key.clone(),
            auth,
            timeout: settings.timeout(),
        })
    }

    pub async fn complete(&self, request: &ChatRequest) -> Result<Completion, ProviderError> {
        let url = if request.stream {
            format!("{}:streamGenerateContent?alt=sse", self.model_url)
        } else {
            format!("{}:generateContent", self.model_url)
        };
        let mut builder = self
            .http
            .post(url)
            .timeout(self.timeout)
            .json(&wire_request(request));
        if let Some(auth) = &self.auth {
            builder = builder.header("x-goog-api-key", auth.clone());
        }
        let response = http::send(builder, self.key.as_ref()).await?;
        let streamed = request.stream && http::is_event_stream(&response);
        let mut draft = Draft::default();
        if streamed {
            let mut chunks = 0_usize;
            http::read_events(response, |event| {
                chunks += 1;
                merge(&mut draft, http::event_json(&event)?, self.key.as_ref())?;
                Ok(Flow::Continue)
            })
            .await?;
            if chunks == 0 {
                return Err(ProviderError::StreamError {
                    detail: "the stream ended without a chunk".into(),
                });
            }
        } else {
            let body: WireResponse = http::json_body(response).await?;
            if body.candidates.is_none() && body.prompt_feedback.is_none() {
                return Err(ProviderError::Malformed {
                    detail: "neither candidates nor promptFeedback in the response".into(),
                });
            }
            merge(&mut draft, body, self.key.as_ref())?;
        }
        Ok(draft.into_completion(&self.name, &self.model, request, streamed))
    }
}

fn wire_request(request: &ChatRequest) -> WireRequest<'_> {
    let contents = request
        .messages
        .iter()
        .map(|m| WireContent {
            role: Some(match m.role {
                Role::User => "user",
                Role::Assistant => "model",
            }),
            parts: [WirePart { text: &m.content }],
        })
        .collect();
    WireRequest {
        contents,
        system_instruction: request.system.as_deref().map(|text| WireContent {
            role: None,
            parts: [WirePart { text }],
        }),
        generation_config: GenerationConfig {
            max_output_tokens: request.max_tokens,
            temperature: request.temperature,
        },
    }
}

/// Adds one response (or stream chunk) to the draft; the last usage and finish reason win.
fn merge(
    draft: &mut Draft,
    chunk: WireResponse,
    key: Option<&Secret>,
) -> Result<(), ProviderError> {
    if let Some(error) = chunk.error {
        let message = error
            .get("message")
            .and_then(|m| m.as_str())
            .unwrap_or("error chunk");
        return Err(ProviderError::StreamError {
            detail: errors::scrubbed(message, key),
        });
    }
    if chunk.model_version.is_some() {
        draft.model = chunk.model_version;
    }
    if chunk.prompt_feedback.is_some() && chunk.candidates.is_none() {
        draft.finish = Some(FinishReason::ContentFilter);
    }
    if let Some(candidate) = chunk.candidates.and_then(|c| c.into_iter().next()) {
        let parts = candidate.content.and_then(|c| c.parts).unwrap_or_default();
        for part in parts.into_iter().filter(|p| p.thought != Some(true)) {
            draft.text.push_str(part.text.as_deref().unwrap_or(""));
        }
        if let Some(reason) = candidate.finish_reason.as_deref() {
            draft.finish = Some(finish_reason(reason));
        }
    }
    if let Some(usage) = chunk.usage_metadata {
        draft.input_tokens = usage.prompt_token_count.or(draft.input_tokens);
        if let Some(candidates) = usage.candidates_token_count {
            draft.output_tokens = Some(candidates + usage.thoughts_token_count.unwrap_or(0));
        }
    }
    Ok(())
}

fn finish_reason(reason: &str) -> FinishReason {
    match reason {
        "STOP" => FinishReason::Stop,
        "MAX_TOKENS" => FinishReason::Length,
        "SAFETY" | "RECITATION" | "BLOCKLIST" | "PROHIBITED_CONTENT" | "SPII" => {
            FinishReason::ContentFilter
        }
        _ => FinishReason::Other,
    }
}
