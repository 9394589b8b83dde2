//! What goes into a chat call and what comes out, independent of any provider's wire format.

use serde::{Deserialize, Serialize};

/// Who wrote a message. The system prompt is [`ChatRequest::system`], not a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    Assistant,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

impl ChatMessage {
    pub fn user(content: impl Into<String>) -> Self {
        ChatMessage {
            role: Role::User,
            content: content.into(),
        }
    }

    pub fn assistant(content: impl Into<String>) -> Self {
        ChatMessage {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// One chat call, the same for every provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    pub system: Option<String>,
    pub messages: Vec<ChatMessage>,
    pub max_tokens: u32,
    pub temperature: Option<f32>,
    pub stream: bool,
}

impl ChatRequest {
    /// A single user prompt, not streamed.
    pub fn prompt(text: impl Into<String>, max_tokens: u32) -> Self {
        ChatRequest {
            system: None,
            messages: vec![ChatMessage::user(text)],
            max_tokens,
            temperature: None,
            stream: false,
        }
    }

    /// Characters of the system prompt and every message, the basis of token estimates.
    pub fn prompt_chars(&self) -> usize {
        let system = self.system.as_deref().map_or(0, |s| s.chars().count());
        system
            + self
                .messages
                .iter()
                .map(|m| m.content.chars().count())
                .sum::<usize>()
    }
}

/// Tokens a call consumed, as the provider counted them (or as estimated, see
/// [`Completion::usage_estimated`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

/// Why the provider stopped writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    /// A natural end or a stop sequence.
    Stop,
    /// `max_tokens` reached.
    Length,
    ContentFilter,
    ToolUse,
    /// Anything else, or the provider did not say.
    Other,
}

impl FinishReason {
    pub const fn as_str(self) -> &'static str {
        match self {
            FinishReason::Stop => "stop",
            FinishReason::Length => "length",
            FinishReason::ContentFilter => "content_filter",
            FinishReason::ToolUse => "tool_use",
            FinishReason::Other => "other",
        }
    }
}

/// A finished answer: its text and who wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub text: String,
    /// The configured provider name (the key of its `[llm.providers.NAME]` table).
    pub provider: String,
    /// The model as the provider reported it, else the configured one.
    pub model: String,
    pub usage: Usage,
    /// True when the provider sent no usage and the tokens were estimated (chars / 4).
    pub usage_estimated: bool,
    pub finish: FinishReason,
    pub streamed: bool,
}

/// What a provider client gathered from a response, before gaps are filled.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    pub text: String,
    pub model: Option<String>,
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    pub finish: Option<FinishReason>,
}

impl Draft {
    pub fn into_completion(
        self,
        provider: &str,
        configured_model: &str,
        request: &ChatRequest,
        streamed: bool,
    ) -> Completion {
        let (usage, usage_estimated) =
            complete_usage(request, &self.text, self.input_tokens, self.output_tokens);
        let model = self
            .model
            .filter(|model| !model.trim().is_empty())
            .unwrap_or_else(|| configured_model.to_owned());
        Completion {
            text: self.text,
            provider: provider.to_owned(),
            model,
            usage,
            usage_estimated,
            finish: self.finish.unwrap_or(FinishReason::Other),
            streamed,
        }
    }
}

/// A token estimate for text the provider did not count: characters / 4, rounded up, at least 1.
pub fn estimate_tokens(chars: usize) -> u64 {
    (chars as u64).div_ceil(4).max(1)
}

/// Fills the parts of `usage` a provider left out with estimates; says whether it had to.
pub(crate) fn complete_usage(
    request: &ChatRequest,
    text: &str,
    input: Option<u64>,
    output: Option<u64>,
) -> (Usage, bool) {
    let estimated = input.is_none() || output.is_none();
    let usage = Usage {
        input_tokens: input.unwrap_or_else(|| estimate_tokens(request.prompt_chars())),
        output_tokens: output.unwrap_or_else(|| estimate_tokens(text.chars().count())),
    };
    (usage, estimated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_round_up_and_are_never_zero() {
        assert_eq!(estimate_tokens(0), 1);
        assert_eq!(estimate_tokens(4), 1);
        assert_eq!(estimate_tokens(5), 2);
        let request = ChatRequest::prompt("x".repeat(10), 50);
        assert_eq!(
            complete_usage(&request, "abcdefgh", None, None),
            (
                Usage {
                    input_tokens: 3,
                    output_tokens: 2
                },
                true
            )
        );
        assert!(
            !complete_usage(&request, "abc", Some(7), Some(9)).1,
            "reported usage is not an estimate"
        );
    }
}
