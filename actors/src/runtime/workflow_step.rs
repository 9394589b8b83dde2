//! Durable workflows on top of tasks: starting one (the workflow row and its first task in one
//! transaction), and the step transition stored with each step's result.

use empire_schema::models::{
    NewTask, NewWorkflow, Task, Website, Workflow, WorkflowAdvance, WorkflowChanges,
};
use empire_schema::{AgentId, Db, Json, StoreError, WebsiteStatus, WorkflowStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::backlog::Backlog;
use super::config::TaskSettings;
use crate::kinds::website_of;
use crate::plumbing::directory::Directory;
use crate::plumbing::event::Event;
use crate::workflows::{self, WorkflowError, WorkflowKind, WorkflowSpec};

/// What a workflow row's `state` holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkflowState {
    /// The step running now (equal to the number of steps once done).
    pub step: usize,
    pub results: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    /// The first step's agent already has `tasks.backlog_cap` queued tasks.
    #[error("{agent} has {cap} or more queued tasks; try again shortly")]
    Backlog { agent: AgentId, cap: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a workflow could not move on after a step; the step's attempt is then retried.
#[derive(Debug, thiserror::Error)]
pub enum AdvanceError {
    #[error("cannot read the workflow")]
    Store(#[from] StoreError),
    #[error("the stored workflow has no definition")]
    Definition(#[from] WorkflowError),
    #[error("cannot encode the workflow state")]
    Encode(#[from] serde_json::Error),
}

/// Validates the input, then stores the workflow and its first step's task together.
pub(crate) async fn start(
    db: &Db,
    settings: &TaskSettings,
    backlog: &Backlog,
    kind: &str,
    input: Value,
) -> Result<(Workflow, Task), StartError> {
    let (new, first) = prepare(db, settings, backlog, kind, input).await?;
    Ok(Workflow::create_with_first_task(db, new, first).await?)
}

/// The rows a new run of `kind` starts with, once its input is valid and its first step's
/// agent has room in its backlog: the workflow and its first step's task.
pub(crate) async fn prepare(
    db: &Db,
    settings: &TaskSettings,
    backlog: &Backlog,
    kind: &str,
    input: Value,
) -> Result<(NewWorkflow, NewTask), StartError> {
    let spec = workflows::find(kind)?;
    spec.validate(&input)?;
    let first = step_task(spec, settings, 0, &input, &[])?;
    if !backlog.admit(db, first.agent).await? {
        return Err(StartError::Backlog {
            agent: first.agent,
            cap: backlog.cap(),
        });
    }
    let state = WorkflowState::default();
    let new = NewWorkflow {
        kind: kind.to_owned(),
        status: WorkflowStatus::Running,
        input,
        state: serde_json::to_value(&state).unwrap_or_default(),
    };
    Ok((new, first))
}

/// The transition after the current step produced `output`: the next step's task, or the end.
pub(crate) async fn advance(
    db: &Db,
    settings: &TaskSettings,
    workflow_id: &str,
    output: &Value,
) -> Result<WorkflowAdvance, AdvanceError> {
    let workflow = Workflow::get(db, workflow_id).await?;
    let spec = workflows::find(&workflow.kind)?;
    let mut state = parse_state(&workflow.state.0);
    state.results.push(output.clone());
    state.step = state.results.len();
    let (status, next) = if state.step < spec.steps.len() {
        match step_task(
            spec,
            settings,
            state.step,
            &workflow.input.0,
            &state.results,
        ) {
            Ok(mut next) => {
                // One task per step: a second enqueue of the same step is refused by the store.
                next.idempotency_key = Some(format!("workflow:{workflow_id}:step:{}", state.step));
                next.workflow_id = Some(workflow_id.to_owned());
                (WorkflowStatus::Running, Some(next))
            }
            Err(error) => {
                state.error = Some(error.to_string());
                (WorkflowStatus::Failed, None)
            }
        }
    } else {
        match spec.output(&workflow.input.0, &state.results) {
            Ok(output) => {
                state.output = Some(output);
                (WorkflowStatus::Succeeded, None)
            }
            Err(error) => {
                state.error = Some(error.to_string());
                (WorkflowStatus::Failed, None)
            }
        }
    };
    Ok(WorkflowAdvance {
        workflow_id: workflow_id.to_owned(),
        status,
        state: serde_json::to_value(&state)?,
        next,
    })
}

/// A step that used up its attempts ends its workflow.
pub(crate) async fn fail(db: &Db, directory: &Directory, workflow_id: &str, error: &str) {
    let Ok(workflow) = Workflow::get(db, workflow_id).await else {
        return;
    };
    let mut state = parse_state(&workflow.state.0);
    state.error = Some(error.to_owned());
    let changes = WorkflowChanges {
        status: Some(WorkflowStatus::Failed),
        state: serde_json::to_value(&state).ok().map(Json),
    };
    match Workflow::update(db, workflow_id, &changes).await {
        Ok(workflow) => {
            fail_website(db, &workflow, error).await;
            announce_row(directory, &workflow);
        }
        Err(error) => tracing::warn!(%error, workflow_id, "cannot mark a workflow failed"),
    }
}

/// A run that makes a website takes the website down with it: `failed`, with the reason.
async fn fail_website(db: &Db, workflow: &Workflow, error: &str) {
    let builds = workflow
        .kind
        .parse::<WorkflowKind>()
        .is_ok_and(WorkflowKind::builds_website);
    let Some(website_id) = website_of(&workflow.input.0).filter(|_| builds) else {
        return;
    };
    let reason = format!("{} failed: {error}", workflow.kind);
    if let Err(error) =
        Website::set_status(db, &website_id, WebsiteStatus::Failed, Some(reason)).await
    {
        tracing::warn!(%error, website_id, "cannot mark a website failed");
    }
}

/// Publishes the workflow's progress as stored.
pub(crate) async fn announce(db: &Db, directory: &Directory, workflow_id: &str) {
    if let Ok(workflow) = Workflow::get(db, workflow_id).await {
        announce_row(directory, &workflow);
    }
}

pub(crate) fn announce_row(directory: &Directory, workflow: &Workflow) {
    directory.publish(Event::WorkflowProgress {
        workflow_id: workflow.id.clone(),
        kind: workflow.kind.clone(),
        step: parse_state(&workflow.state.0).step,
        status: workflow.status,
        website_id: website_of(&workflow.input.0),
    });
}

pub fn parse_state(state: &Value) -> WorkflowState {
    serde_json::from_value(state.clone()).unwrap_or_default()
}

fn step_task(
    spec: &WorkflowSpec,
    settings: &TaskSettings,
    step: usize,
    input: &Value,
    results: &[Value],
) -> Result<NewTask, WorkflowError> {
    let step_spec = spec
        .steps
        .get(step)
        .ok_or_else(|| WorkflowError::BadStep(format!("no step {step}")))?;
    Ok(NewTask {
        agent: step_spec.agent,
        kind: step_spec.kind.to_owned(),
        input: spec.step_input(step, input, results)?,
        priority: 0,
        max_attempts: settings.default_max_attempts,
        idempotency_key: None,
        workflow_id: None,
        timeout_ms: i64::try_from(settings.default_timeout_s.saturating_mul(1000))
            .unwrap_or(i64::MAX),
    })
}
