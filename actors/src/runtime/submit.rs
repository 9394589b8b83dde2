//! One way in for work: every task and workflow — from HTTP, webhooks, schedules or imports —
//! is validated, stored, announced on the bus and woken up here, and cancelled here too.

use empire_schema::models::{Created, NewOffer, NewPipelineSite, NewTask, Task, Website, Workflow};
use empire_schema::{AgentId, Db, StoreError};
use serde_json::Value;

use super::backlog::Backlog;
use super::config::TaskSettings;
use super::faults;
use super::idempotency;
use super::workflow_step::{self, StartError};
use crate::kinds::{FieldError, KindError, WEBSITE_ID, website_of};
use crate::plumbing::directory::Directory;
use crate::plumbing::event::Event;
use crate::workflows::WorkflowKind;

/// A task to queue, as a client asks for it; unset limits take the `[tasks]` defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRequest {
    pub agent: AgentId,
    pub kind: String,
    pub input: Value,
    /// Higher runs first; -1000..=1000, default 0.
    pub priority: Option<i64>,
    /// 1..=20.
    pub max_attempts: Option<i64>,
    /// 1..=3600.
    pub timeout_s: Option<i64>,
    /// The same key from the same principal for the same agent returns the existing task
    /// instead of creating another (1..=200 characters, not starting with `workflow:`); with a
    /// different request it is refused.
    pub idempotency_key: Option<String>,
    /// Who asks (a user id): idempotency keys are theirs alone.
    pub principal: Option<String>,
}

impl TaskRequest {
    /// A request with every limit at its default.
    pub fn new(agent: AgentId, kind: impl Into<String>, input: Value) -> TaskRequest {
        TaskRequest {
            agent,
            kind: kind.into(),
            input,
            priority: None,
            max_attempts: None,
            timeout_s: None,
            idempotency_key: None,
            principal: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// An unknown kind, or input the kind would not run.
    #[error(transparent)]
    Kind(#[from] KindError),
    /// A limit out of range, or a bad idempotency key.
    #[error("{0}")]
    Invalid(FieldError),
    #[error("{agent} has {cap} or more queued tasks; try again shortly")]
    Backlog { agent: AgentId, cap: i64 },
    /// The idempotency key names an earlier task whose request differs from this one.
    #[error("idempotency key `{key}` was used for task {task_id} with a different request")]
    IdempotencyConflict { key: String, task_id: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Validates, applies the idempotency key and the backlog cap, stores the task (queued),
/// announces it and wakes the dispatcher.
pub(crate) async fn submit(
    db: &Db,
    settings: &TaskSettings,
    backlog: &Backlog,
    directory: &Directory,
    request: TaskRequest,
) -> Result<Created, SubmitError> {
    let new = NewTask {
        agent: request.agent,
        priority: bounded("priority", request.priority, -1000..=1000)?.unwrap_or(0),
        max_attempts: bounded("max_attempts", request.max_attempts, 1..=20)?
            .unwrap_or(settings.default_max_attempts),
        timeout_ms: bounded("timeout_s", request.timeout_s, 1..=3600)?
            .unwrap_or_else(|| i64::try_from(settings.default_timeout_s).unwrap_or(60))
            * 1000,
        idempotency_key: match &request.idempotency_key {
            Some(key) => {
                idempotency::check(key).map_err(SubmitError::Invalid)?;
                Some(idempotency::scoped(
                    request.principal.as_deref(),
                    request.agent,
                    key,
                ))
            }
            None => None,
        },
        workflow_id: None,
        kind: request.kind,
        input: request.input,
    };
    faults::validate(new.agent, &new.kind, &new.input, settings.fault_injection)?;
    if let Some(key) = &new.idempotency_key
        && let Some(existing) = Task::find_by_idempotency_key(db, key).await?
    {
        return same_request(existing, &new);
    }
    if !backlog.admit(db, new.agent).await? {
        return Err(SubmitError::Backlog {
            agent: new.agent,
            cap: backlog.cap(),
        });
    }
    let asked = new.clone();
    match Task::create(db, new).await? {
        Created::New(task) => {
            announce_queued(directory, &task);
            Ok(Created::New(task))
        }
        // Another request with the key won the race.
        Created::Existing(existing) => same_request(existing, &asked),
    }
}

/// The task an idempotency key names, if it was asked for with the same request.
fn same_request(existing: Task, asked: &NewTask) -> Result<Created, SubmitError> {
    let same = existing.kind == asked.kind
        && existing.input.0 == asked.input
        && existing.priority == asked.priority
        && existing.max_attempts == asked.max_attempts
        && existing.timeout_ms == asked.timeout_ms;
    if same {
        return Ok(Created::Existing(existing));
    }
    let key = existing
        .idempotency_key
        .as_deref()
        .map(idempotency::client_key)
        .unwrap_or_default()
        .to_owned();
    Err(SubmitError::IdempotencyConflict {
        key,
        task_id: existing.id,
    })
}

/// Validates the input, stores the workflow with its first step's task, announces the task
/// and wakes the dispatcher.
pub(crate) async fn start_workflow(
    db: &Db,
    settings: &TaskSettings,
    backlog: &Backlog,
    directory: &Directory,
    kind: &str,
    input: Value,
    key: Option<&str>,
) -> Result<(Workflow, Task), StartError> {
    let (workflow, first) = match key {
        None => workflow_step::start(db, settings, backlog, kind, input).await?,
        Some(key) => {
            // The first step's task carries the key: a second start with it is refused by the
            // store's unique index.
            let (new, mut first) =
                workflow_step::prepare(db, settings, backlog, kind, input).await?;
            first.idempotency_key = Some(idempotency::scoped(None, first.agent, key));
            Workflow::create_with_first_task(db, new, first).await?
        }
    };
    announce_queued(directory, &first);
    Ok((workflow, first))
}

/// Checks a task request's kind and input as [`submit`] would, storing nothing.
pub(crate) fn validate_task(
    settings: &TaskSettings,
    agent: AgentId,
    kind: &str,
    input: &Value,
) -> Result<(), KindError> {
    faults::validate(agent, kind, input, settings.fault_injection)
}

/// Stores a new website, the offers given with it and its `website_pipeline` in one
/// transaction, and announces the pipeline's first task.
pub(crate) async fn start_site_pipeline(
    db: &Db,
    settings: &TaskSettings,
    backlog: &Backlog,
    directory: &Directory,
    website: Website,
    offers: Vec<NewOffer>,
) -> Result<(Website, Workflow, Task), StartError> {
    let input = serde_json::json!({ WEBSITE_ID: website.id });
    let (workflow, first_task) = workflow_step::prepare(
        db,
        settings,
        backlog,
        WorkflowKind::WebsitePipeline.as_str(),
        input,
    )
    .await?;
    let created = Website::create_with_pipeline(
        db,
        NewPipelineSite {
            website,
            offers,
            workflow,
            first_task,
        },
    )
    .await?;
    announce_queued(directory, &created.2);
    Ok(created)
}

/// Cancels a queued or running task and announces it.
pub(crate) async fn cancel_task(
    db: &Db,
    directory: &Directory,
    id: &str,
) -> Result<Task, StoreError> {
    let task = Task::cancel(db, id).await?;
    announce_cancelled(directory, &task);
    Ok(task)
}

/// Cancels a workflow and its pending steps, and announces both.
pub(crate) async fn cancel_workflow(
    db: &Db,
    directory: &Directory,
    id: &str,
) -> Result<Workflow, StoreError> {
    let (workflow, cancelled) = Workflow::cancel(db, id).await?;
    for task in &cancelled {
        announce_cancelled(directory, task);
    }
    workflow_step::announce_row(directory, &workflow);
    Ok(workflow)
}

/// A task was queued: dashboards hear of it, and the dispatcher looks for its agent's work.
pub(crate) fn announce_queued(directory: &Directory, task: &Task) {
    directory.publish(Event::TaskQueued {
        task_id: task.id.clone(),
        agent: task.agent,
        kind: task.kind.clone(),
        workflow_id: task.workflow_id.clone(),
        website_id: website_of(&task.input.0),
    });
    directory.wake(task.agent);
}

fn announce_cancelled(directory: &Directory, task: &Task) {
    directory.publish(Event::TaskCancelled {
        task_id: task.id.clone(),
        agent: task.agent,
        website_id: website_of(&task.input.0),
    });
}

fn bounded(
    field: &str,
    value: Option<i64>,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, SubmitError> {
    match value {
        Some(value) if !range.contains(&value) => Err(SubmitError::Invalid(FieldError::new(
            field,
            format!("must be from {} to {}", range.start(), range.end()),
        ))),
        other => Ok(other),
    }
}
