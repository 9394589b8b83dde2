//! Spend budgets: set at run time, checked before a call is made; a refused task is dead with
//! `budget_exceeded` and the route answers 402 naming the budget.

use empire_schema::models::{LlmCall, Task, TaskFilter};
use empire_schema::{PageRequest, TaskStatus};
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::MockServer;

use super::support::{app_with_fake, mount_answer, research};
use crate::helpers::auth::problem;
use crate::helpers::backends;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_that_would_pass_a_budget_is_refused_before_it_is_made() {
    for backend in backends() {
        let server = MockServer::start().await;
        mount_answer(&server).await;
        let app = app_with_fake(backend, &server, |config| {
            config.llm.budget_eur_per_day = 50.0
        })
        .await;
        let token = app.admin_token().await;
        let input =
            json!({"topic": "robot vacuums", "language": "en", "depth": 1, "providers": ["fake"]});

        // 100 micro-EUR for the scanner: less than a 300-token answer at 2 EUR/Mtok may cost.
        let set: Value = app
            .with(Method::PUT, "/api/v1/llm/budgets", &token)
            .json(&json!({"per_agent": {"opportunity_scanner": 0.0001}}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(set["cluster_micro_eur_per_day"], 50_000_000, "{set}");
        assert_eq!(
            set["per_agent_micro_eur_per_day"]["opportunity_scanner"],
            100
        );

        let refused = problem(research(&app, &token, input.clone()).await, 402).await;
        assert_eq!(refused["budget"], "agent:opportunity_scanner", "{refused}");
        assert_eq!(refused["type"], "urn:empire:problem:budget-exceeded");
        assert!(
            server.received_requests().await.unwrap().is_empty(),
            "no call reached the provider"
        );

        // The task is dead at once, not retried.
        let since = chrono::Utc::now().naive_utc() - chrono::Duration::hours(1);
        assert!(LlmCall::since(&app.db, since, 10).await.unwrap().is_empty());
        let filter = TaskFilter {
            agent: None,
            status: None,
        };
        let tasks = Task::list(&app.db, &filter, &PageRequest::first(10))
            .await
            .unwrap();
        let task = tasks.items.iter().find(|t| t.kind == "research").unwrap();
        assert_eq!(task.status, TaskStatus::Dead);
        assert_eq!(task.attempts, 1);
        assert!(
            task.error
                .as_deref()
                .unwrap()
                .starts_with("budget_exceeded: agent:opportunity_scanner"),
            "{task:?}"
        );

        // Lifting the agent's limit but tightening the cluster's: the cluster budget is named.
        app.with(Method::PUT, "/api/v1/llm/budgets", &token)
            .json(&json!({"budget_eur_per_day": 0.0001, "per_agent": {"opportunity_scanner": 0}}))
            .send()
            .await
            .unwrap();
        let refused = problem(research(&app, &token, input.clone()).await, 402).await;
        assert_eq!(refused["budget"], "cluster");
        assert!(server.received_requests().await.unwrap().is_empty());

        // With room again the same call goes through.
        app.with(Method::PUT, "/api/v1/llm/budgets", &token)
            .json(&json!({"budget_eur_per_day": 1.0}))
            .send()
            .await
            .unwrap();
        assert_eq!(research(&app, &token, input.clone()).await.status(), 200);
        assert_eq!(server.received_requests().await.unwrap().len(), 1);

        // A website's budget binds the research done for it, and only that.
        app.with(Method::PUT, "/api/v1/llm/budgets", &token)
            .json(&json!({"per_website": {"site-1": 0.0001}}))
            .send()
            .await
            .unwrap();
        let mut for_site = input.clone();
        for_site["website_id"] = json!("site-1");
        let refused = problem(research(&app, &token, for_site).await, 402).await;
        assert_eq!(refused["budget"], "website:site-1");
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
        assert_eq!(research(&app, &token, input).await.status(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_budgets_are_named_and_change_nothing() {
    let server = MockServer::start().await;
    let app = app_with_fake(crate::helpers::TestBackend::Sqlite, &server, |_| {}).await;
    let token = app.admin_token().await;
    for (body, field) in [
        (json!({"budget_eur_per_day": -1}), "budget_eur_per_day"),
        (
            json!({"budget_eur_per_day": 1, "per_agent": {"nobody": 1}}),
            "per_agent.nobody",
        ),
    ] {
        let response = app
            .with(Method::PUT, "/api/v1/llm/budgets", &token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = problem(response, 422).await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let usage: Value = app
        .with(Method::GET, "/api/v1/llm/usage", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        usage["budgets"]["cluster_micro_eur_per_day"], 0,
        "nothing was written"
    );
}
