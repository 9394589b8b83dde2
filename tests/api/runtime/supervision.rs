//! An instance that panics on a poison input is restarted; the task is retried, then dead;
//! other work keeps flowing.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestBackend, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_instance_is_restarted_and_its_poison_task_ends_dead() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.tasks.fault_injection = true;
        config.tasks.restart_backoff_ms = 20;
        // A failure is stored a moment before its instance hears of the panic. With room for
        // more, the instance could be handed the next poisoned attempt in that moment and run it
        // as it stops, one restart then covering two panics. With room for one, it cannot.
        config.tasks.max_in_flight = 1;
    })
    .await;
    let token = app.admin_token().await;
    let poison = json!({"kind": "panic", "input": {"message": "poison"}, "max_attempts": 3});

    let poisoned = app.submit_task(&token, "website_builder", &poison).await;
    let healthy = json!({"kind": "render_page", "input": {"markdown": "# Hi\n\ntext", "title": "Hi there", "meta_description": "A page", "canonical_url": "https://example.com/hi/"}});
    let mut healthy_ids = Vec::new();
    for _ in 0..5 {
        healthy_ids.push(app.submit_task(&token, "website_builder", &healthy).await);
    }

    let dead = app.wait_task(&token, &poisoned).await;
    assert_eq!(dead["status"], "dead", "{dead}");
    assert_eq!(dead["attempts"], 3);
    assert!(
        dead["error"].as_str().unwrap().contains("panicked: poison"),
        "{dead}"
    );
    for id in healthy_ids {
        assert_eq!(app.wait_task(&token, &id).await["status"], "succeeded");
    }

    // The task is dead as soon as its last failure is stored, before the instance that ran it
    // hears of the panic: wait for that restart to reach the status.
    let restarts_of = |agent: &Value| -> u64 {
        agent["instances"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["restarts"].as_u64().unwrap())
            .sum()
    };
    let mut agent = Value::Null;
    for _ in 0..100 {
        let response = app
            .with(Method::GET, "/api/v1/agents/website_builder/status", &token)
            .send()
            .await
            .unwrap();
        agent = response.json().await.unwrap();
        if agent["instances"].as_array().unwrap().len() == 2 && restarts_of(&agent) >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The instances only: the agent's catalogue of kinds would bury them in CI's output.
    let instances = &agent["instances"];
    let restarts = restarts_of(&agent);
    assert_eq!(restarts, 3, "one restart per poisoned attempt: {instances}");
    assert_eq!(
        instances.as_array().unwrap().len(),
        2,
        "both instances are back: {instances}"
    );
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(r#"agent_restarts_total{agent="website_builder"}"#),
        "restarts are counted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_past_its_timeout_fails_and_is_retried_until_dead() {
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.tasks.fault_injection = true
    })
    .await;
    let token = app.admin_token().await;
    let slow = json!({"kind": "sleep", "input": {"ms": 3000}, "timeout_s": 1, "max_attempts": 2});
    let quick = json!({"kind": "sleep", "input": {"ms": 10}, "timeout_s": 1});

    let slow = app.submit_task(&token, "seo_optimizer", &slow).await;
    let quick = app.submit_task(&token, "seo_optimizer", &quick).await;

    let dead = app.wait_task(&token, &slow).await;
    assert_eq!(dead["status"], "dead", "{dead}");
    assert_eq!(dead["attempts"], 2, "retried once, then dead");
    assert_eq!(dead["error"], "timed out after 1000 ms");
    let done = app.wait_task(&token, &quick).await;
    assert_eq!(done["result"]["slept_ms"], 10);
}
