//! Submitting tasks and waiting for them to end.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use super::TestApp;

pub const ENDED: [&str; 4] = ["succeeded", "dead", "cancelled", "failed"];

/// How long `wait_task` waits for a task to end.
pub const TASK_WAIT: Duration = Duration::from_secs(20);

impl TestApp {
    pub async fn submit(&self, token: &str, agent: &str, body: &Value) -> reqwest::Response {
        self.with(
            Method::POST,
            &format!("/api/v1/agents/{agent}/tasks"),
            token,
        )
        .json(body)
        .send()
        .await
        .unwrap()
    }

    /// Submits a task that must be queued (202); returns its id.
    pub async fn submit_task(&self, token: &str, agent: &str, body: &Value) -> String {
        let response = self.submit(token, agent, body).await;
        assert_eq!(response.status(), 202, "submitting {body} to {agent}");
        let task: Value = response.json().await.unwrap();
        task["id"].as_str().unwrap().to_owned()
    }

    /// The task once it has ended; panics after `TASK_WAIT`.
    pub async fn wait_task(&self, token: &str, id: &str) -> Value {
        self.wait_for_task(token, id, TASK_WAIT).await
    }

    pub async fn task(&self, token: &str, id: &str) -> Value {
        let response = self
            .with(Method::GET, &format!("/api/v1/tasks/{id}"), token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Polls until the task ends; panics after `within`.
    pub async fn wait_for_task(&self, token: &str, id: &str, within: Duration) -> Value {
        let started = Instant::now();
        loop {
            let task = self.task(token, id).await;
            if ENDED.contains(&task["status"].as_str().unwrap_or_default()) {
                return task;
            }
            assert!(
                started.elapsed() < within,
                "task {id} still {} after {within:?}",
                task["status"]
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
