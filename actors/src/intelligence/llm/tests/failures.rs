//! Failure scenarios run against each wire format: 429 with Retry-After, a spent quota, 500,
//! a timeout and a malformed body; each ends at the next provider of the chain.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::super::*;
use super::support::*;

struct Format {
    name: &'static str,
    kind: ProviderKind,
    path: &'static str,
    ok: Value,
    rate_limited: Value,
    quota: Value,
}

fn formats() -> Vec<Format> {
    vec![
        Format {
            name: "openai",
            kind: ProviderKind::Openai,
            path: "/v1/chat/completions",
            ok: json!({"model": "m", "choices": [{"message": {"content": "fine"}, "finish_reason": "stop"}],
                       "usage": {"prompt_tokens": 5, "completion_tokens": 1}}),
            rate_limited: json!({"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}),
            quota: json!({"error": {"message": "You exceeded your current quota", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}),
        },
        Format {
            name: "anthropic",
            kind: ProviderKind::Anthropic,
            path: "/v1/messages",
            ok: json!({"model": "m", "content": [{"type": "text", "text": "fine"}], "stop_reason": "end_turn",
                       "usage": {"input_tokens": 5, "output_tokens": 1}}),
            rate_limited: json!({"type": "error", "error": {"type": "rate_limit_error", "message": "Number of requests has exceeded your rate limit"}}),
            quota: json!({"type": "error", "error": {"type": "rate_limit_error", "message": "Spend limit reached",
                          "details": {"error_code": "enforced_spend_limit_reached"}}}),
        },
        Format {
            name: "gemini",
            kind: ProviderKind::Gemini,
            path: "/v1beta/models/m:generateContent",
            ok: json!({"candidates": [{"content": {"parts": [{"text": "fine"}]}, "finishReason": "STOP"}],
                       "usageMetadata": {"promptTokenCount": 5, "candidatesTokenCount": 1}}),
            rate_limited: json!({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Resource has been exhausted"}}),
            quota: json!({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Quota exceeded",
                "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                             "violations": [{"quotaId": "GenerateRequestsPerDayPerProjectPerModel"}]}]}}),
        },
    ]
}

async fn serve(format: &Format, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format.path))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_and_then_succeeds() {
    for format in formats() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(format.path))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("retry-after", "1")
                    .set_body_json(&format.rate_limited),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format.path))
            .respond_with(ResponseTemplate::new(200).set_body_json(&format.ok))
            .mount(&server)
            .await;
        let gateway = gateway(vec![(format.name, settings(format.kind, &server, "m"))]);

        let outcome = gateway.complete_default(&request(false)).await.unwrap();

        assert_eq!(outcome.completion.provider, format.name);
        assert_eq!(
            outcomes(&outcome.calls),
            vec![
                (format.name, CallOutcome::RateLimited),
                (format.name, CallOutcome::Ok)
            ]
        );
        assert_eq!(hits(&server).await, 2, "{}", format.name);
    }
}

#[tokio::test]
async fn a_spent_quota_is_never_retried_and_trips_the_breaker_for_long() {
    for format in formats() {
        let server = serve(
            &format,
            ResponseTemplate::new(429).set_body_json(&format.quota),
        )
        .await;
        let gateway = gateway(vec![(format.name, settings(format.kind, &server, "m"))]);

        let outcome = gateway.complete_default(&request(false)).await.unwrap();

        assert_eq!(
            outcomes(&outcome.calls),
            vec![
                (format.name, CallOutcome::QuotaExhausted),
                ("local", CallOutcome::Ok)
            ],
            "{}",
            format.name
        );
        assert_eq!(outcome.completion.provider, "local");
        assert_eq!(hits(&server).await, 1, "{}", format.name);
        assert_eq!(gateway.breaker_state(format.name), Some(BreakerState::Open));
        let open_for = gateway.breaker_open_for(format.name).unwrap();
        assert!(
            open_for > Duration::from_secs(3500),
            "the long trip: {open_for:?}"
        );

        // The tripped provider is skipped without a request.
        let again = gateway.complete_default(&request(false)).await.unwrap();
        assert_eq!(outcomes(&again.calls), vec![("local", CallOutcome::Ok)]);
        assert_eq!(hits(&server).await, 1, "{}", format.name);
    }
}

#[tokio::test]
async fn a_500_is_retried_then_the_next_provider_answers() {
    for format in formats() {
        let server = serve(&format, ResponseTemplate::new(500).set_body_string("oops")).await;
        let gateway = gateway(vec![(format.name, settings(format.kind, &server, "m"))]);

        let outcome = gateway.complete_default(&request(false)).await.unwrap();

        let failed = (format.name, CallOutcome::ServerError);
        assert_eq!(
            outcomes(&outcome.calls),
            vec![failed, failed, failed, ("local", CallOutcome::Ok)]
        );
        assert_eq!(hits(&server).await, 3, "{}", format.name);
        assert_eq!(outcome.calls[0].cost_micros, 0);
    }
}

#[tokio::test]
async fn a_provider_slower_than_its_timeout_gives_way_to_the_next() {
    for format in formats() {
        let slow = ResponseTemplate::new(200)
            .set_body_json(&format.ok)
            .set_delay(Duration::from_secs(5));
        let server = serve(&format, slow).await;
        let mut settings = settings(format.kind, &server, "m");
        settings.timeout_ms = 100;
        let gateway = gateway(vec![(format.name, settings)]);

        let outcome = gateway.complete_default(&request(false)).await.unwrap();

        assert_eq!(outcome.completion.provider, "local");
        let timeouts = outcome
            .calls
            .iter()
            .filter(|c| c.outcome == CallOutcome::Timeout)
            .count();
        assert_eq!(timeouts, 3, "{}: {:?}", format.name, outcome.calls);
    }
}

#[tokio::test]
async fn a_malformed_body_is_reported_and_not_retried() {
    for format in formats() {
        let server = serve(
            &format,
            ResponseTemplate::new(200).set_body_string("<html>not json"),
        )
        .await;
        let gateway = gateway(vec![(format.name, settings(format.kind, &server, "m"))]);

        let outcome = gateway.complete_default(&request(false)).await.unwrap();

        assert_eq!(
            outcomes(&outcome.calls),
            vec![
                (format.name, CallOutcome::Malformed),
                ("local", CallOutcome::Ok)
            ]
        );
        assert_eq!(hits(&server).await, 1, "{}", format.name);
    }
}

#[tokio::test]
async fn when_every_provider_fails_the_error_names_each_and_keeps_the_records() {
    let format = &formats()[0];
    let first = serve(format, ResponseTemplate::new(503)).await;
    let second = serve(
        format,
        ResponseTemplate::new(400).set_body_json(json!({"error": {"message": "bad max_tokens"}})),
    )
    .await;
    let table = [
        ("a".to_owned(), settings(format.kind, &first, "m")),
        ("b".to_owned(), settings(format.kind, &second, "m")),
    ];
    let gateway =
        Gateway::with_options(table.into(), vec!["a".into(), "b".into()], fast_options()).unwrap();

    let error = gateway.complete_default(&request(false)).await.unwrap_err();

    let GatewayError::AllFailed { attempts, calls } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        attempts,
        &vec![
            ("a".to_owned(), ProviderError::Server(503)),
            (
                "b".to_owned(),
                ProviderError::BadRequest {
                    status: 400,
                    detail: "bad max_tokens".into()
                }
            ),
        ]
    );
    assert_eq!(calls.len(), 4, "three attempts at a, one at b");
    assert!(error.to_string().contains("a: server error 503"), "{error}");
}
