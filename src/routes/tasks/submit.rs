//! `POST /api/v1/agents/{agent_id}/tasks`: validate, store the task (queued), wake the dispatcher.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use empire_actors::kinds::{AgentId, website_of};
use empire_actors::runtime::{Event, faults};
use empire_schema::models::{Created, NewTask, Task};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::view::TaskView;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitTask {
    /// One of the agent's kinds (see GET /api/v1/agents).
    #[schema(example = "audit_page")]
    pub kind: String,
    /// The kind's input, as its JSON schema describes.
    pub input: Value,
    /// Higher runs first; -1000..=1000, default 0.
    pub priority: Option<i64>,
    /// The same key returns the existing task instead of creating another (1..=200 characters).
    pub idempotency_key: Option<String>,
    /// 1..=20, default `tasks.default_max_attempts`.
    pub max_attempts: Option<i64>,
    /// 1..=3600, default `tasks.default_timeout_s`.
    pub timeout_s: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/api/v1/agents/{agent_id}/tasks",
    tag = "tasks",
    params(("agent_id" = String, Path, description = "opportunity_scanner, content_generator, website_builder, seo_optimizer or monetization")),
    request_body = SubmitTask,
    responses(
        (status = 202, description = "Queued", body = TaskView),
        (status = 200, description = "A task with this idempotency key exists", body = TaskView),
        (status = 404, description = "No such agent", body = crate::openapi::Problem),
    )
)]
#[tracing::instrument(skip_all, fields(agent = %agent_id))]
pub async fn submit_task(
    state: web::Data<AppState>,
    agent_id: web::Path<String>,
    body: ValidJson<SubmitTask>,
) -> Result<HttpResponse, ApiError> {
    let agent: AgentId = agent_id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("no agent `{agent_id}`")))?;
    let body = body.0;
    let settings = &state.config.tasks;
    let new = NewTask {
        agent: agent.as_str().to_owned(),
        kind: body.kind.clone(),
        priority: bounded("priority", body.priority, -1000..=1000)?.unwrap_or(0),
        max_attempts: bounded("max_attempts", body.max_attempts, 1..=20)?
            .unwrap_or(settings.default_max_attempts),
        timeout_ms: bounded("timeout_s", body.timeout_s, 1..=3600)?
            .unwrap_or_else(|| i64::try_from(settings.default_timeout_s).unwrap_or(60))
            * 1000,
        idempotency_key: idempotency_key(body.idempotency_key)?,
        workflow_id: None,
        input: body.input,
    };
    faults::validate(
        agent.as_str(),
        &new.kind,
        &new.input,
        settings.fault_injection,
    )?;
    if let Some(key) = &new.idempotency_key
        && let Some(existing) = Task::find_by_idempotency_key(&state.db, key).await?
    {
        return Ok(HttpResponse::Ok().json(TaskView::from(existing)));
    }
    if Task::count_queued(&state.db, agent.as_str()).await? >= settings.backlog_cap {
        return Err(ApiError::TooManyRequests {
            detail: format!(
                "{} has {} or more queued tasks; try again shortly",
                agent.as_str(),
                settings.backlog_cap
            ),
            headers: vec![(header::RETRY_AFTER, HeaderValue::from_static("5"))],
        });
    }
    let task = match Task::create(&state.db, new).await? {
        Created::Existing(existing) => return Ok(HttpResponse::Ok().json(TaskView::from(existing))),
        Created::New(task) => task,
    };
    state.runtime.publish(Event::TaskQueued {
        task_id: task.id.clone(),
        agent: task.agent.clone(),
        kind: task.kind.clone(),
        workflow_id: None,
        website_id: website_of(&task.input.0),
    });
    state.runtime.wake(agent);
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/api/v1/tasks/{}", task.id)))
        .json(TaskView::from(task)))
}

fn bounded(
    field: &str,
    value: Option<i64>,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, ApiError> {
    match value {
        Some(value) if !range.contains(&value) => Err(ApiError::field(
            field,
            format!("must be from {} to {}", range.start(), range.end()),
        )),
        other => Ok(other),
    }
}

fn idempotency_key(key: Option<String>) -> Result<Option<String>, ApiError> {
    match key {
        Some(key) if key.is_empty() || key.chars().count() > 200 => Err(ApiError::field(
            "idempotency_key",
            "must be 1 to 200 characters",
        )),
        other => Ok(other),
    }
}
