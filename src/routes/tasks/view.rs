//! What a client sees of a task.

use chrono::{DateTime, Utc};
use empire_actors::runtime::idempotency;
use empire_schema::models::{ListedTask, Task};
use empire_schema::{AgentId, TaskStatus};
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    #[schema(format = Uuid)]
    pub id: String,
    pub agent: AgentId,
    pub kind: String,
    pub status: TaskStatus,
    pub priority: i64,
    pub attempts: i64,
    pub max_attempts: i64,
    pub timeout_s: i64,
    /// The stored JSON, passed through as it is.
    #[schema(value_type = Value)]
    pub input: Box<RawValue>,
    #[schema(value_type = Option<Value>)]
    pub result: Option<Box<RawValue>>,
    pub error: Option<String>,
    /// The node that holds (or last held) the task's lease.
    pub lease_owner: Option<String>,
    pub idempotency_key: Option<String>,
    #[schema(format = Uuid)]
    pub workflow_id: Option<String>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<Task> for TaskView {
    fn from(task: Task) -> Self {
        ListedTask::from(task).into()
    }
}

impl From<ListedTask> for TaskView {
    fn from(task: ListedTask) -> Self {
        TaskView {
            id: task.id,
            agent: task.agent,
            kind: task.kind,
            status: task.status,
            priority: task.priority,
            attempts: task.attempts,
            max_attempts: task.max_attempts,
            timeout_s: task.timeout_ms / 1000,
            input: task.input.0,
            result: task.result.map(|result| result.0),
            error: task.error,
            lease_owner: task.lease_owner,
            idempotency_key: task
                .idempotency_key
                .as_deref()
                .map(|key| idempotency::client_key(key).to_owned()),
            workflow_id: task.workflow_id,
            created_at: task.created_at.and_utc(),
            started_at: task.started_at.map(|at| at.and_utc()),
            finished_at: task.finished_at.map(|at| at.and_utc()),
        }
    }
}
