//! Shared helpers: settings pointing at a fake server, fast test options, SSE bodies.

use std::collections::BTreeMap;
use std::time::Duration;

use wiremock::{MockServer, ResponseTemplate};

use super::super::*;

pub const KEY: &str = "sk-test-key-0123456789";

/// Settings for a provider of `kind` served by `server`, priced 1 EUR / 2 EUR per million tokens.
pub fn settings(kind: ProviderKind, server: &MockServer, model: &str) -> ProviderSettings {
    let base_path = match kind {
        ProviderKind::Gemini => "/v1beta",
        _ => "/v1",
    };
    ProviderSettings {
        base_url: format!("{}{base_path}", server.uri()),
        model: model.to_owned(),
        api_key: Some(Secret::new(KEY)),
        eur_per_million_input_tokens: 1.0,
        eur_per_million_output_tokens: 2.0,
        timeout_ms: 2_000,
        ..ProviderSettings::new(kind)
    }
}

/// Retries without real waits: 1 ms backoff, any hint capped at 5 ms.
pub fn fast_options() -> GatewayOptions {
    GatewayOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            base: Duration::from_millis(1),
            cap: Duration::from_millis(5),
            max_hint: Duration::from_secs(60),
        },
        max_limiter_wait: Duration::ZERO,
        ..GatewayOptions::default()
    }
}

/// A gateway over `providers` plus the offline provider `local`, chained in the given order.
pub fn gateway(providers: Vec<(&str, ProviderSettings)>) -> Gateway {
    let mut chain: Vec<String> = providers
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    chain.push("local".into());
    let mut table: BTreeMap<String, ProviderSettings> = providers
        .into_iter()
        .map(|(name, settings)| (name.to_owned(), settings))
        .collect();
    table.insert("local".into(), ProviderSettings::new(ProviderKind::Local));
    Gateway::with_options(table, chain, fast_options()).unwrap()
}

pub fn request(stream: bool) -> ChatRequest {
    ChatRequest {
        system: Some("Be brief.".into()),
        messages: vec![ChatMessage::user("Hello")],
        max_tokens: 50,
        temperature: Some(0.2),
        stream,
    }
}

/// An SSE response from `(event name, data)` pairs.
pub fn sse(events: &[(Option<&str>, String)]) -> ResponseTemplate {
    let body: String = events
        .iter()
        .map(|(name, data)| match name {
            Some(name) => format!("event: {name}\ndata: {data}\n\n"),
            None => format!("data: {data}\n\n"),
        })
        .collect();
    ResponseTemplate::new(200).set_body_raw(body, "text/event-stream")
}

pub fn outcomes(calls: &[CallRecord]) -> Vec<(&str, CallOutcome)> {
    calls
        .iter()
        .map(|c| (c.provider.as_str(), c.outcome))
        .collect()
}

pub async fn hits(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}
