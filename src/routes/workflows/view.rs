//! What a client sees of a workflow: its steps with status and results.

use chrono::NaiveDateTime;
use empire_actors::runtime::workflow_step::parse_state;
use empire_actors::workflows;
use empire_schema::Db;
use empire_schema::models::{Task, Workflow};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::error::ApiError;

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkflowView {
    pub id: String,
    pub kind: String,
    /// running, succeeded, failed or cancelled.
    pub status: String,
    pub input: Value,
    pub steps: Vec<StepView>,
    pub output: Option<Value>,
    pub error: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    pub index: usize,
    pub name: String,
    pub agent: String,
    pub kind: String,
    /// The step's task status, or `pending` before it is enqueued.
    pub status: String,
    pub task_id: Option<String>,
    pub attempts: i64,
    pub result: Option<Value>,
    pub error: Option<String>,
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
                    agent: step.agent.as_str().to_owned(),
                    kind: step.kind.to_owned(),
                    status: task.map_or_else(|| "pending".to_owned(), |task| task.status.clone()),
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
        created_at: workflow.created_at,
        updated_at: workflow.updated_at,
    })
}
