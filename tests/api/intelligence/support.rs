//! A fake OpenAI-compatible provider on 127.0.0.1 and apps configured to use it.

use empire::config::{Config, ProviderConfig};
use empire_actors::intelligence::llm::ProviderKind;
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{TestApp, TestBackend, spawn_app_with};

/// 1 EUR per million input tokens, 2 EUR per million output tokens.
pub fn fake_provider(server: &MockServer) -> ProviderConfig {
    let mut provider = ProviderConfig::new(ProviderKind::Openai);
    provider.base_url = format!("{}/v1", server.uri());
    provider.model = "gpt-fake".into();
    provider.api_key = "sk-fake-key-0123".into();
    provider.eur_per_million_input_tokens = 1.0;
    provider.eur_per_million_output_tokens = 2.0;
    provider.timeout_ms = 5_000;
    provider
}

/// Answers every chat completion with two findings, 12 tokens in and 3 out (18 micro-EUR).
pub async fn mount_answer(server: &MockServer) {
    let body = json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-fake-2026",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": "- Demand peaks in winter.\n- Prices range from 20 to 200 EUR."}}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}
    });
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

/// An app with the fake as provider `fake` (the default chain stays `local`).
pub async fn app_with_fake(
    backend: TestBackend,
    server: &MockServer,
    adjust: impl FnOnce(&mut Config),
) -> TestApp {
    let provider = fake_provider(server);
    spawn_app_with(backend, move |config| {
        config.llm.providers.insert("fake".into(), provider);
        adjust(config);
    })
    .await
}

/// `POST /api/v1/intelligence/research` with `token` (log in once per test: logins are
/// rate-limited).
pub async fn research(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.with(
        Method::POST,
        "/api/v1/intelligence/research?wait_s=60",
        token,
    )
    .json(&body)
    .send()
    .await
    .unwrap()
}
