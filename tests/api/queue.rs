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

fn lease() -> Duration {
    Duration::seconds(60)
}

fn expired() -> Duration {
    Duration::seconds(-60)
}

/// Asserts that `until` is `lease` after the database's now at some instant since `before`
/// (the database runs on this machine, so its clock is ours give or take a second).
fn assert_leased_for(until: Option<NaiveDateTime>, lease: Duration, before: NaiveDateTime) {
    let until = until.expect("a running task has a lease");
    let slack = Duration::seconds(1);
    assert!(
        until >= before + lease - slack && until <= now() + lease + slack,
        "the lease ends {until}, not {lease} after now"
    );
}

/// Claims the single queued task of `agent`.
async fn claim_one(db: &Db, agent: AgentId, owner: &str, lease: Duration) -> Task {
    let mut claimed = Task::claim_next(db, agent, owner, lease, 1).await.unwrap();
    assert_eq!(claimed.len(), 1, "one task claimed");
    claimed.remove(0)
}

fn ids(tasks: &[Task]) -> Vec<&str> {
    tasks.iter().map(|task| task.id.as_str()).collect()
}
