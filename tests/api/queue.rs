//! The durable task queue: claims, leases, fencing, reaping, cancellation and workflow steps.

mod claims;
mod failures;
mod workflows;

use chrono::{Duration, NaiveDateTime};
use empire_schema::clock::now;
use empire_schema::models::*;
use empire_schema::{AgentId, Db, Json, PageRequest, StoreError, TaskStatus, WorkflowStatus};
use serde_json::json;

use crate::helpers::{backends, spawn_store_app as spawn_app};

const AGENT: AgentId = AgentId::SeoOptimizer;

fn new_task(agent: AgentId, priority: i64, max_attempts: i64) -> NewTask {
    NewTask {
        agent,
        kind: "audit_page".into(),
        input: json!({"keyword": "espresso"}),
        priority,
        max_attempts,
        timeout_ms: 30_000,
        idempotency_key: None,
        workflow_id: None,
    }
}

async fn queued(db: &Db, new: NewTask) -> Task {
    match Task::create(db, new).await.unwrap() {
        Created::New(task) => task,
        Created::Existing(task) => panic!("expected a new task, found {}", task.id),
    }
}

fn new_workflow() -> NewWorkflow {
    NewWorkflow {
        kind: "page_pipeline".into(),
        status: WorkflowStatus::Running,
        input: json!({"keyword": "espresso"}),
        state: json!({"step": 0}),
    }
}

fn lease() -> NaiveDateTime {
    now() + Duration::seconds(60)
}

fn expired() -> NaiveDateTime {
    now() - Duration::seconds(60)
}

/// Claims the single queued task of `agent`.
async fn claim_one(db: &Db, agent: AgentId, owner: &str, lease_until: NaiveDateTime) -> Task {
    let mut claimed = Task::claim_next(db, agent, owner, lease_until, 1)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1, "one task claimed");
    claimed.remove(0)
}

fn ids(tasks: &[Task]) -> Vec<&str> {
    tasks.iter().map(|task| task.id.as_str()).collect()
}
