//! The Anthropic Messages wire format against a fake `/v1/messages`.

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::super::*;
use super::support::*;

#[tokio::test]
async fn a_call_sends_key_version_and_a_top_level_system_prompt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(header("x-api-key", KEY))
        .and(header("anthropic-version", "2023-06-01"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "model": "claude-test",
            "max_tokens": 50,
            "system": "Be brief.",
            "messages": [{"role": "user", "content": "Hello"}],
            "temperature": 0.2,
            "stream": false
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-test-20260101",
            "content": [{"type": "text", "text": "Hi"}, {"type": "text", "text": " there."}],
            "stop_reason": "max_tokens", "stop_sequence": null,
            "usage": {"input_tokens": 20, "output_tokens": 4, "cache_read_input_tokens": 0}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let gateway = gateway(vec![(
        "anthropic",
        settings(ProviderKind::Anthropic, &server, "claude-test"),
    )]);

    let outcome = gateway.complete_default(&request(false)).await.unwrap();

    let completion = &outcome.completion;
    assert_eq!(completion.text, "Hi there.");
    assert_eq!(completion.model, "claude-test-20260101");
    assert_eq!(
        completion.usage,
        Usage {
            input_tokens: 20,
            output_tokens: 4
        }
    );
    assert_eq!(completion.finish, FinishReason::Length);
    assert!(
        server.received_requests().await.unwrap()[0]
            .headers
            .get("authorization")
            .is_none()
    );
    assert_eq!(outcome.calls[0].cost_micros, 28);
}

fn stream_events(tail: Vec<(Option<&'static str>, String)>) -> Vec<(Option<&'static str>, String)> {
    let mut events = vec![
        (Some("message_start"), json!({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant",
            "model": "claude-test-20260101", "content": [], "stop_reason": null, "usage": {"input_tokens": 300, "output_tokens": 1}}}).to_string()),
        (Some("content_block_start"), json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}).to_string()),
        (Some("ping"), json!({"type": "ping"}).to_string()),
        (Some("content_block_delta"), json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}).to_string()),
    ];
    events.extend(tail);
    events
}

#[tokio::test]
async fn a_stream_takes_input_from_message_start_and_the_last_cumulative_output() {
    let server = MockServer::start().await;
    let events = stream_events(vec![
        (Some("content_block_delta"), json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": ", world"}}).to_string()),
        (Some("content_block_stop"), json!({"type": "content_block_stop", "index": 0}).to_string()),
        (Some("message_delta"), json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": 15}}).to_string()),
        (Some("message_delta"), json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 40}}).to_string()),
        (Some("message_stop"), json!({"type": "message_stop"}).to_string()),
    ]);
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(wiremock::matchers::body_partial_json(
            json!({"stream": true}),
        ))
        .respond_with(sse(&events))
        .expect(1)
        .mount(&server)
        .await;
    let gateway = gateway(vec![(
        "anthropic",
        settings(ProviderKind::Anthropic, &server, "claude-test"),
    )]);

    let outcome = gateway.complete_default(&request(true)).await.unwrap();

    assert_eq!(outcome.completion.text, "Hello, world");
    assert_eq!(
        outcome.completion.usage,
        Usage {
            input_tokens: 300,
            output_tokens: 40
        }
    );
    assert_eq!(outcome.completion.finish, FinishReason::Stop);
    assert!(outcome.completion.streamed && !outcome.completion.usage_estimated);
    // 300 × 1 + 40 × 2 micro-EUR.
    assert_eq!(outcome.calls[0].cost_micros, 380);
}

#[tokio::test]
async fn a_mid_stream_error_event_ends_the_attempt_without_a_retry() {
    let server = MockServer::start().await;
    let events = stream_events(vec![(
        Some("error"),
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
            .to_string(),
    )]);
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(sse(&events))
        .expect(1)
        .mount(&server)
        .await;
    let gateway = gateway(vec![(
        "anthropic",
        settings(ProviderKind::Anthropic, &server, "claude-test"),
    )]);

    let outcome = gateway.complete_default(&request(true)).await.unwrap();

    assert_eq!(outcome.completion.provider, "local");
    assert_eq!(
        outcomes(&outcome.calls),
        vec![
            ("anthropic", CallOutcome::StreamError),
            ("local", CallOutcome::Ok)
        ]
    );
    assert!(
        outcome.calls[0]
            .error
            .as_deref()
            .unwrap()
            .contains("overloaded_error")
    );
}

#[tokio::test]
async fn a_529_is_overload_and_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(529).set_body_json(
            json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
        ))
        .expect(3)
        .mount(&server)
        .await;
    let gateway = gateway(vec![(
        "anthropic",
        settings(ProviderKind::Anthropic, &server, "claude-test"),
    )]);

    let outcome = gateway.complete_default(&request(false)).await.unwrap();

    assert_eq!(outcome.calls[0].outcome, CallOutcome::Overloaded);
    assert_eq!(outcome.calls.len(), 4);
    assert_eq!(outcome.completion.provider, "local");
}
