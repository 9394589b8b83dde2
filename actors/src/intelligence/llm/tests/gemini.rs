//! The Gemini native wire format against a fake `/v1beta/models/{model}:generateContent`.

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::super::*;
use super::support::*;

#[tokio::test]
async fn a_call_uses_the_colon_path_the_key_header_and_camel_case_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1beta/models/gemini-test:generateContent"))
        .and(header("x-goog-api-key", KEY))
        .and(body_json(json!({
            "contents": [{"role": "user", "parts": [{"text": "Hello"}]}],
            "systemInstruction": {"parts": [{"text": "Be brief."}]},
            "generationConfig": {"maxOutputTokens": 50, "temperature": 0.2}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "candidates": [{"content": {"role": "model", "parts": [{"text": "Hi"}, {"text": " there."}]},
                            "finishReason": "STOP", "index": 0, "safetyRatings": []}],
            "usageMetadata": {"promptTokenCount": 9, "candidatesTokenCount": 3, "thoughtsTokenCount": 5, "totalTokenCount": 17},
            "modelVersion": "gemini-test-001", "responseId": "r1"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let gateway = gateway(vec![(
        "gemini",
        settings(ProviderKind::Gemini, &server, "models/gemini-test"),
    )]);

    let outcome = gateway.complete_default(&request(false)).await.unwrap();

    let completion = &outcome.completion;
    assert_eq!(completion.text, "Hi there.");
    assert_eq!(completion.model, "gemini-test-001");
    // Thinking tokens are billed as output.
    assert_eq!(
        completion.usage,
        Usage {
            input_tokens: 9,
            output_tokens: 8
        }
    );
    assert_eq!(completion.finish, FinishReason::Stop);
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].url.query(),
        None,
        "the key never travels in the URL"
    );
    assert_eq!(outcome.calls[0].cost_micros, 25);
}

#[tokio::test]
async fn a_stream_uses_alt_sse_and_the_last_usage_metadata() {
    let server = MockServer::start().await;
    let chunk = |text: &str, usage: serde_json::Value, finish: Option<&str>| {
        let mut candidate =
            json!({"content": {"role": "model", "parts": [{"text": text}]}, "index": 0});
        if let Some(finish) = finish {
            candidate["finishReason"] = json!(finish);
        }
        (None, json!({"candidates": [candidate], "usageMetadata": usage, "modelVersion": "gemini-test-001"}).to_string())
    };
    let events = [
        chunk("Hello", json!({"promptTokenCount": 700}), None),
        chunk(
            ", world",
            json!({"promptTokenCount": 700, "candidatesTokenCount": 2}),
            None,
        ),
        chunk(
            "!",
            json!({"promptTokenCount": 700, "candidatesTokenCount": 350, "totalTokenCount": 1050}),
            Some("MAX_TOKENS"),
        ),
    ];
    Mock::given(method("POST"))
        .and(path("/v1beta/models/gemini-test:streamGenerateContent"))
        .and(query_param("alt", "sse"))
        .and(header("x-goog-api-key", KEY))
        .respond_with(sse(&events))
        .expect(1)
        .mount(&server)
        .await;
    let gateway = gateway(vec![(
        "gemini",
        settings(ProviderKind::Gemini, &server, "gemini-test"),
    )]);

    let outcome = gateway.complete_default(&request(true)).await.unwrap();

    assert_eq!(outcome.completion.text, "Hello, world!");
    assert_eq!(
        outcome.completion.usage,
        Usage {
            input_tokens: 700,
            output_tokens: 350
        }
    );
    assert_eq!(outcome.completion.finish, FinishReason::Length);
    assert!(outcome.completion.streamed);
    // 700 × 1 + 350 × 2 micro-EUR.
    assert_eq!(outcome.calls[0].cost_micros, 1400);
}

#[tokio::test]
async fn a_short_retry_info_is_honoured_as_a_transient_limit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1beta/models/gemini-test:generateContent"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({"error": {
            "code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Resource has been exhausted",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "2s"}]
        }})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1beta/models/gemini-test:generateContent"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "candidates": [{"content": {"parts": [{"text": "ok"}]}, "finishReason": "STOP"}],
            "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1}
        })))
        .mount(&server)
        .await;
    let gateway = gateway(vec![(
        "gemini",
        settings(ProviderKind::Gemini, &server, "gemini-test"),
    )]);

    let outcome = gateway.complete_default(&request(false)).await.unwrap();

    assert_eq!(
        outcomes(&outcome.calls),
        vec![
            ("gemini", CallOutcome::RateLimited),
            ("gemini", CallOutcome::Ok)
        ]
    );
    assert_eq!(outcome.completion.text, "ok");
}
