//! `/api/v1/schedules`: validation, CRUD with pause and resume, firing on the clock with the
//! overlap policies and catch-up, and the claim that lets one node fire each tick.

mod crud;
mod firing;

use reqwest::Method;
use serde_json::Value;

use crate::helpers::TestApp;

/// Creates a schedule that must be accepted; returns its body.
async fn create(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = app
        .with(Method::POST, "/api/v1/schedules", token)
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "creating {body}");
    response.json().await.unwrap()
}

async fn get(app: &TestApp, token: &str, id: &str) -> Value {
    let response = app
        .with(Method::GET, &format!("/api/v1/schedules/{id}"), token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn list(app: &TestApp, token: &str) -> Vec<Value> {
    let response = app
        .with(Method::GET, "/api/v1/schedules?limit=200", token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}
