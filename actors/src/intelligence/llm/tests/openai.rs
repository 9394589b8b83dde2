//! The OpenAI-compatible wire format against a fake `/v1/chat/completions`.

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::super::*;
use super::support::*;

fn completion_body() -> serde_json::Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-test-2026",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi there."}, "finish_reason": "stop", "logprobs": null}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
        "system_fingerprint": "fp"
    })
}

#[tokio::test]
async fn a_call_sends_the_documented_request_and_reads_the_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "model": "gpt-test",
            "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}],
            "max_tokens": 50,
            "temperature": 0.2,
            "stream": false
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion_body()))
        .expect(1)
        .mount(&server)
        .await;
    let gateway = gateway(vec![(
        "openai",
        settings(ProviderKind::Openai, &server, "gpt-test"),
    )]);

    let outcome = gateway.complete_default(&request(false)).await.unwrap();

    let completion = &outcome.completion;
    assert_eq!(completion.text, "Hi there.");
    assert_eq!(completion.provider, "openai");
    assert_eq!(completion.model, "gpt-test-2026");
    assert_eq!(
        completion.usage,
        Usage {
            input_tokens: 12,
            output_tokens: 3
        }
    );
    assert_eq!(completion.finish, FinishReason::Stop);
    assert!(!completion.streamed && !completion.usage_estimated);
    assert_eq!(outcomes(&outcome.calls), vec![("openai", CallOutcome::Ok)]);
    // 12 × 1 EUR + 3 × 2 EUR per million tokens = 18 micro-EUR.
    assert_eq!(outcome.calls[0].cost_micros, 18);
    assert!(!outcome.calls[0].priced_by_default);
}

#[tokio::test]
async fn a_stream_is_assembled_and_priced_from_its_final_usage_chunk() {
    let server = MockServer::start().await;
    let chunk = |delta: serde_json::Value, finish: serde_json::Value| {
        json!({"id": "c", "object": "chat.completion.chunk", "model": "gpt-test-2026",
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], "usage": null})
        .to_string()
    };
    let events = [
        (None, chunk(json!({"role": "assistant", "content": ""}), json!(null))),
        (None, chunk(json!({"content": "Hello"}), json!(null))),
        (None, chunk(json!({"content": ", world"}), json!(null))),
        (None, chunk(json!({}), json!("length"))),
        (None, json!({"id": "c", "model": "gpt-test-2026", "choices": [],
                      "usage": {"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500}}).to_string()),
        (None, "[DONE]".to_owned()),
    ];
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(wiremock::matchers::body_partial_json(
            json!({"stream": true, "stream_options": {"include_usage": true}}),
        ))
        .respond_with(sse(&events))
        .expect(1)
        .mount(&server)
        .await;
    let gateway = gateway(vec![(
        "openai",
        settings(ProviderKind::Openai, &server, "gpt-test"),
    )]);

    let outcome = gateway.complete_default(&request(true)).await.unwrap();

    assert_eq!(outcome.completion.text, "Hello, world");
    assert_eq!(outcome.completion.finish, FinishReason::Length);
    assert_eq!(
        outcome.completion.usage,
        Usage {
            input_tokens: 1000,
            output_tokens: 500
        }
    );
    assert!(outcome.completion.streamed);
    assert!(!outcome.completion.usage_estimated);
    let call = &outcome.calls[0];
    assert!(call.streamed);
    // 1000 × 1 + 500 × 2 micro-EUR.
    assert_eq!(call.cost_micros, 2000);
}

#[tokio::test]
async fn a_stream_without_usage_is_estimated_never_zero() {
    let server = MockServer::start().await;
    let events = [
        (None, json!({"model": "m", "choices": [{"delta": {"content": "abcdefgh"}, "finish_reason": "stop"}]}).to_string()),
        (None, "[DONE]".to_owned()),
    ];
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(sse(&events))
        .mount(&server)
        .await;
    let gateway = gateway(vec![(
        "openai",
        settings(ProviderKind::Openai, &server, "gpt-test"),
    )]);

    let outcome = gateway.complete_default(&request(true)).await.unwrap();

    assert!(outcome.completion.usage_estimated);
    // "Be brief." + "Hello" = 14 chars → 4 tokens; "abcdefgh" → 2 tokens.
    assert_eq!(
        outcome.completion.usage,
        Usage {
            input_tokens: 4,
            output_tokens: 2
        }
    );
    assert!(outcome.calls[0].usage_estimated);
    assert_eq!(outcome.calls[0].cost_micros, 8);
}

#[tokio::test]
async fn a_keyless_compatible_server_gets_no_authorization_header() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion_body()))
        .mount(&server)
        .await;
    let mut ollama = settings(ProviderKind::Openai, &server, "llama3.2");
    ollama.api_key = None;
    let gateway = gateway(vec![("ollama", ollama)]);

    gateway.complete_default(&request(false)).await.unwrap();

    let received = server.received_requests().await.unwrap();
    assert!(received[0].headers.get("authorization").is_none());
}
