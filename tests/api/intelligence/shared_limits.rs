//! What the nodes of a cluster share about LLM calls, tested under concurrency: budget
//! reservations (calls in flight cannot together pass a budget) and, without Redis, the
//! providers' rate buckets in the database.

use std::collections::BTreeMap;
use std::time::Duration;

use empire_actors::intelligence::llm::{
    BucketStore, ChatRequest, Limits, LlmError, RateLimiter, SharedRateLimiter,
};
use empire_schema::BudgetScope;
use empire_schema::models::{LlmBudget, LlmCall};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::app_with_fake;
use crate::helpers::{backends, spawn_app};

/// A completion that takes `delay` to arrive, so that calls overlap.
async fn mount_slow_answer(server: &MockServer, delay: Duration) {
    let body = json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-fake",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": "ok"}}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}
    });
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(body)
                .set_delay(delay),
        )
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_cannot_together_pass_a_budget() {
    for backend in backends() {
        let server = MockServer::start().await;
        mount_slow_answer(&server, Duration::from_millis(800)).await;
        let app = app_with_fake(backend, &server, |_| {}).await;
        let llm = app.runtime.services().llm.clone();
        let request = ChatRequest::prompt("Name two robot vacuums.", 300);
        let needed =
            i64::try_from(llm.gateway().max_cost_micros("fake", &request).unwrap()).unwrap();
        // Room for two calls at their worst case, not three.
        let limit = needed * 5 / 2;
        LlmBudget::set_all(&app.db, &[LlmBudget::new(BudgetScope::Cluster, "", limit)])
            .await
            .unwrap();

        let chain = vec!["fake".to_owned()];
        let calls = (0..6).map(|_| llm.complete_with(None, &chain, &request));
        let outcomes = futures::future::join_all(calls).await;

        let answered = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
        let refused = outcomes
            .iter()
            .filter(|outcome| matches!(outcome, Err(LlmError::BudgetExceeded(_))))
            .count();
        assert_eq!((answered, refused), (2, 4), "{backend:?}: {outcomes:?}");
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
        // The two calls settled: their ledger rows replaced the reservations, so the budget
        // now counts what they cost (18 micro-EUR each), not their worst case.
        let since = chrono::Utc::now().naive_utc() - chrono::Duration::hours(1);
        let ledger = LlmCall::since(&app.db, since, 10).await.unwrap();
        assert_eq!(ledger.len(), 2, "{backend:?}");
        assert!(llm.complete_with(None, &chain, &request).await.is_ok());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_redis_the_nodes_share_rate_buckets_through_the_database() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let limits = BTreeMap::from([(
            "openai".to_owned(),
            Limits {
                requests_per_minute: 5,
                tokens_per_minute: 0,
            },
        )]);
        // Two nodes' limiters over one database.
        let nodes = [
            SharedRateLimiter::new(BucketStore::Database(app.db.clone()), limits.clone()),
            SharedRateLimiter::new(BucketStore::Database(app.db.clone()), limits),
        ];
        let takes = (0..12).map(|n| nodes[n % 2].acquire("openai", 10));
        let outcomes = futures::future::join_all(takes).await;
        let admitted = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
        assert_eq!(admitted, 5, "{backend:?}: {outcomes:?}");
        let wait = outcomes.iter().find_map(|outcome| outcome.err()).unwrap();
        assert!(wait > Duration::from_secs(5), "{backend:?}: {wait:?}");
        // Another provider has its own bucket; one without limits is never held back.
        assert_eq!(nodes[0].acquire("anthropic", 10).await, Ok(()));
    }
}
