//! A fake OpenAI-compatible provider: every call in `llm_calls` with tokens and cost, streamed
//! calls priced too, and the usage route summing it all.

use empire_actors::intelligence::llm::{ChatRequest, Outcome};
use empire_schema::models::LlmCall;
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::{app_with_fake, mount_answer, research};
use crate::helpers::backends;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_to_a_provider_are_ledgered_with_tokens_and_cost_and_summed_by_usage() {
    for backend in backends() {
        let server = MockServer::start().await;
        mount_answer(&server).await;
        let app = app_with_fake(backend, &server, |_| {}).await;
        let token = app.admin_token().await;

        let response = research(&app, &token, json!({"topic": "standing desks", "language": "en", "depth": 1, "providers": ["fake", "local"]}),
        )
        .await;
        assert_eq!(response.status(), 200, "{backend:?}");
        let task_id = response.headers()["x-task-id"].to_str().unwrap().to_owned();
        let body: Value = response.json().await.unwrap();
        let winter = body["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["text"] == "Demand peaks in winter.")
            .unwrap_or_else(|| panic!("{body}"));
        assert_eq!(winter["providers"], json!(["fake"]));
        assert_eq!(winter["models"], json!(["gpt-fake-2026"]));

        let mut calls = LlmCall::for_task(&app.db, &task_id).await.unwrap();
        calls.sort_by(|a, b| a.provider.cmp(&b.provider));
        assert_eq!(calls.len(), 2, "{calls:?}");
        let fake = &calls[0];
        assert_eq!(
            (fake.provider.as_str(), fake.model.as_str()),
            ("fake", "gpt-fake-2026")
        );
        assert_eq!((fake.input_tokens, fake.output_tokens), (12, 3));
        // 12 × 1 + 3 × 2 micro-EUR.
        assert_eq!(fake.cost_micro_eur, 18);
        assert_eq!(fake.outcome, "ok");
        assert!(!fake.priced_by_default && !fake.streamed);
        assert_eq!(fake.agent.map(|a| a.as_str()), Some("opportunity_scanner"));
        assert_eq!(calls[1].provider, "local");
        assert_eq!(calls[1].cost_micro_eur, 0);

        // A call made for no task counts for the cluster only.
        let services = app.runtime.services().clone();
        let chain = vec!["fake".to_owned()];
        services
            .complete_with(&chain, &ChatRequest::prompt("Hello", 10))
            .await
            .unwrap();

        let usage: Value = app
            .with(Method::GET, "/api/v1/llm/usage?period=30d", &token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(usage["period"], "30d");
        assert_eq!(usage["total_micro_eur"], 36, "{usage}");
        assert_eq!(usage["calls"], 3);
        let line = |group: &str, key: Value| {
            usage[group]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["key"] == key)
                .cloned()
                .unwrap_or_else(|| panic!("{group} {key}: {usage}"))
        };
        assert_eq!(line("by_provider", json!("fake"))["cost_micro_eur"], 36);
        assert_eq!(line("by_provider", json!("fake"))["input_tokens"], 24);
        assert_eq!(line("by_provider", json!("local"))["calls"], 1);
        assert_eq!(
            line("by_agent", json!("opportunity_scanner"))["cost_micro_eur"],
            18
        );
        assert_eq!(line("by_agent", Value::Null)["cost_micro_eur"], 18);
        assert_eq!(usage["budgets"]["spent_today_micro_eur"], 36);

        let bad = app
            .with(Method::GET, "/api/v1/llm/usage?period=1y", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 422);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_call_is_priced_from_its_usage() {
    for backend in backends() {
        let server = MockServer::start().await;
        let chunk = |content: &str| {
            json!({"id": "c", "object": "chat.completion.chunk", "model": "gpt-fake-2026",
                   "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]})
            .to_string()
        };
        let usage = json!({"id": "c", "model": "gpt-fake-2026", "choices": [],
                           "usage": {"prompt_tokens": 1000, "completion_tokens": 500}})
        .to_string();
        let body: String = [chunk("Hello"), chunk(", world"), usage, "[DONE]".into()]
            .iter()
            .map(|data| format!("data: {data}\n\n"))
            .collect();
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
            .mount(&server)
            .await;
        let app = app_with_fake(backend, &server, |_| {}).await;

        let mut request = ChatRequest::prompt("Stream please", 600);
        request.stream = true;
        let chain = vec!["fake".to_owned()];
        let outcome: Outcome = app
            .runtime
            .services()
            .complete_with(&chain, &request)
            .await
            .unwrap();
        assert_eq!(outcome.completion.text, "Hello, world");
        assert!(outcome.completion.streamed);
        let since = chrono::Utc::now().naive_utc() - chrono::Duration::hours(1);
        let rows = LlmCall::since(&app.db, since, 10).await.unwrap();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert!(rows[0].streamed);
        assert_eq!(rows[0].cost_micro_eur, 2000);
        assert_eq!(rows[0].task_id, None);

        let token = app.admin_token().await;
        let usage: Value = app
            .with(Method::GET, "/api/v1/llm/usage", &token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        // 1000 × 1 + 500 × 2 micro-EUR.
        assert_eq!(usage["total_micro_eur"], 2000, "{usage}");
        assert_eq!(usage["by_provider"][0]["output_tokens"], 500);
    }
}
