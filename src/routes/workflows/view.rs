//! What a client sees of a workflow: its steps with status and results.

use chrono::{DateTime, Utc};
use empire_actors::runtime::workflow_step::parse_state;
use empire_actors::workflows;
use empire_schema::models::{Task, Workflow};
use empire_schema::{AgentId, Db, TaskStatus, WorkflowStatus};
use serde::{Serialize, Serializer};
use serde_json::Value;
use utoipa::openapi::{ObjectBuilder, RefOr, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::error::ApiError;

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkflowView {
    #[schema(format = Uuid)]
    pub id: String,
    pub kind: String,
    pub status: WorkflowStatus,
    pub input: Value,
    pub steps: Vec<StepView>,
    pub output: Option<Value>,
    pub error: Option<String>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    pub index: usize,
    pub name: String,
    pub agent: AgentId,
    pub kind: String,
    pub status: StepStatus,
    #[schema(format = Uuid)]
    pub task_id: Option<String>,
    pub attempts: i64,
    pub result: Option<Value>,
    pub error: Option<String>,
}

/// A step's task status, or `pending` before its task is queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    Pending,
    Task(TaskStatus),
}

/// The wire strings: `pending` and every task status.
impl PartialSchema for StepStatus {
    fn schema() -> RefOr<Schema> {
        let values =
            std::iter::once("pending").chain(TaskStatus::ALL.iter().map(|status| status.as_str()));
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "The step's task status, or `pending` before its task is queued.",
            ))
            .enum_values(Some(values))
            .into()
    }
}

impl ToSchema for StepStatus {}

impl Serialize for StepStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            StepStatus::Pending => serializer.serialize_str("pending"),
            StepStatus::Task(status) => status.serialize(serializer),
        }
    }
}

pub async fn workflow_view(db: &Db, workflow: Workflow) -> Result<WorkflowView, ApiError> {
    let tasks = Task::list_for_workflow(db, &workflow.id).await?;
    let state = parse_state(&workflow.state.0);
    let steps = match workflows::find(&workflow.kind) {
        Ok(spec) => spec
            .steps
            .iter()
            .enumerate()
            .map(|(index, step)| {
                // Steps are enqueued in order, one task each.
                let task = tasks.get(index);
                StepView {
                    index,
                    name: step.name.to_owned(),
                    agent: step.agent,
                    kind: step.kind.to_owned(),
                    status: task.map_or(StepStatus::Pending, |task| StepStatus::Task(task.status)),
                    task_id: task.map(|task| task.id.clone()),
                    attempts: task.map_or(0, |task| task.attempts),
                    result: task
                        .and_then(|task| task.result.as_ref().map(|result| result.0.clone())),
                    error: task.and_then(|task| task.error.clone()),
                }
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    Ok(WorkflowView {
        id: workflow.id,
        kind: workflow.kind,
        status: workflow.status,
        input: workflow.input.0,
        steps,
        output: state.output,
        error: state.error,
        created_at: workflow.created_at.and_utc(),
        updated_at: workflow.updated_at.and_utc(),
    })
}
