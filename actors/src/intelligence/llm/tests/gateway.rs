//! Gateway behaviour independent of the wire format: chains, breaker skips, local throttling,
//! default prices, key hygiene and the offline default.

use std::collections::BTreeMap;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::super::*;
use super::support::*;

fn ok_body() -> serde_json::Value {
    json!({"model": "m", "choices": [{"message": {"content": "fine"}, "finish_reason": "stop"}],
           "usage": {"prompt_tokens": 1000, "completion_tokens": 1000}})
}

async fn openai_fake(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_offline_default_answers_with_no_configuration_at_all() {
    let table = BTreeMap::from([(
        "local".to_owned(),
        ProviderSettings::new(ProviderKind::Local),
    )]);
    let gateway = Gateway::new(table, vec!["local".into()]).unwrap();

    let outcome = gateway.complete_default(&request(false)).await.unwrap();

    assert_eq!(outcome.completion.provider, "local");
    assert_eq!(outcome.completion.model, LOCAL_MODEL);
    assert_eq!(outcome.calls[0].cost_micros, 0);
    assert!(!outcome.calls[0].priced_by_default);
}

#[tokio::test]
async fn empty_chains_and_unknown_providers_are_refused_before_any_call() {
    let gateway = gateway(vec![]);
    assert_eq!(
        gateway.complete(&[], &request(false)).await,
        Err(GatewayError::EmptyChain)
    );
    assert_eq!(
        gateway
            .complete(&["local".into(), "nope".into()], &request(false))
            .await,
        Err(GatewayError::UnknownProvider("nope".into()))
    );
    let table = BTreeMap::from([(
        "local".to_owned(),
        ProviderSettings::new(ProviderKind::Local),
    )]);
    assert!(matches!(
        Gateway::new(table, vec!["openai".into()]),
        Err(GatewayError::UnknownProvider(name)) if name == "openai"
    ));
}

#[tokio::test]
async fn an_open_breaker_skips_the_provider_without_a_request() {
    let server = openai_fake(ResponseTemplate::new(502)).await;
    let mut options = fast_options();
    options.breaker.failure_threshold = 3;
    let table = BTreeMap::from([
        (
            "openai".to_owned(),
            settings(ProviderKind::Openai, &server, "m"),
        ),
        (
            "local".to_owned(),
            ProviderSettings::new(ProviderKind::Local),
        ),
    ]);
    let gateway =
        Gateway::with_options(table, vec!["openai".into(), "local".into()], options).unwrap();

    gateway.complete_default(&request(false)).await.unwrap();
    assert_eq!(gateway.breaker_state("openai"), Some(BreakerState::Open));
    let outcome = gateway.complete_default(&request(false)).await.unwrap();

    assert_eq!(hits(&server).await, 3);
    assert_eq!(outcomes(&outcome.calls), vec![("local", CallOutcome::Ok)]);
    let only_openai = gateway.complete(&["openai".into()], &request(false)).await;
    assert!(
        matches!(
            &only_openai,
            Err(GatewayError::AllFailed { attempts, calls })
                if calls.is_empty() && matches!(attempts[0].1, ProviderError::CircuitOpen { .. })
        ),
        "{only_openai:?}"
    );
}

#[tokio::test]
async fn the_local_limiter_skips_a_provider_over_its_requests_per_minute() {
    let server = openai_fake(ResponseTemplate::new(200).set_body_json(ok_body())).await;
    let mut limited = settings(ProviderKind::Openai, &server, "m");
    limited.requests_per_minute = 1;
    let gateway = gateway(vec![("openai", limited)]);

    let first = gateway.complete_default(&request(false)).await.unwrap();
    let second = gateway.complete_default(&request(false)).await.unwrap();

    assert_eq!(first.completion.provider, "openai");
    assert_eq!(second.completion.provider, "local");
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn an_unpriced_provider_is_charged_the_conservative_default_and_flagged() {
    let server = openai_fake(ResponseTemplate::new(200).set_body_json(ok_body())).await;
    let mut unpriced = settings(ProviderKind::Openai, &server, "m");
    unpriced.eur_per_million_input_tokens = 0.0;
    unpriced.eur_per_million_output_tokens = 0.0;
    let gateway = gateway(vec![("openai", unpriced)]);

    let outcome = gateway.complete_default(&request(false)).await.unwrap();

    // 1000 tokens each way at 30 / 60 EUR per million.
    assert_eq!(outcome.calls[0].cost_micros, 90_000);
    assert!(outcome.calls[0].priced_by_default);
    assert_eq!(
        gateway.quote("openai").map(|q| q.priced_by_default),
        Some(true)
    );
    // Worst case before the call: 4 prompt tokens + 50 max_tokens.
    assert_eq!(
        gateway.max_cost_micros("openai", &request(false)),
        Some(4 * 30 + 50 * 60)
    );
}

#[tokio::test]
async fn the_key_never_appears_in_errors_even_when_the_provider_echoes_it() {
    let echo = json!({"error": {"message": format!("Invalid request with key {KEY}")}});
    let server = openai_fake(ResponseTemplate::new(400).set_body_json(echo)).await;
    let table = BTreeMap::from([(
        "openai".to_owned(),
        settings(ProviderKind::Openai, &server, "m"),
    )]);
    let gateway = Gateway::with_options(table, vec!["openai".into()], fast_options()).unwrap();

    let error = gateway.complete_default(&request(false)).await.unwrap_err();

    assert!(!format!("{error} {error:?}").contains(KEY), "{error:?}");
    assert!(error.to_string().contains("[redacted]"), "{error}");
}

#[test]
fn a_key_that_cannot_be_a_header_is_refused_at_construction() {
    let mut broken = ProviderSettings::new(ProviderKind::Anthropic);
    broken.api_key = Some(Secret::new("sk-line\nbreak"));
    let table = BTreeMap::from([("anthropic".to_owned(), broken)]);
    let error = Gateway::new(table, vec!["anthropic".into()]).unwrap_err();
    assert_eq!(
        error,
        GatewayError::InvalidApiKey(InvalidApiKey("anthropic".into()))
    );
    assert!(!error.to_string().contains("sk-line"));
}

#[test]
fn the_gateway_can_live_in_an_actor() {
    fn send_and_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: T) {}
    let gateway = gateway(vec![]);
    send_and_sync(&gateway);
    let request = request(false);
    send(gateway.complete_default(&request));
    assert!(!format!("{gateway:?}").is_empty());
}
