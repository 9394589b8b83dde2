//! `POST /api/v1/agents/{agent_id}/tasks`: queue a task through the runtime's one way in.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use empire_actors::kinds::AgentId;
use empire_actors::runtime::TaskRequest;
use empire_schema::models::Created;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::view::TaskView;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitTask {
    /// One of the agent's kinds (see GET /api/v1/agents).
    #[schema(example = "audit_page")]
    pub kind: String,
    /// The kind's input, an object as its JSON schema describes.
    #[schema(value_type = Object)]
    pub input: Value,
    /// Higher runs first; default 0.
    #[schema(minimum = -1000, maximum = 1000)]
    pub priority: Option<i64>,
    /// The same key, from the same principal for the same agent, returns the existing task
    /// instead of creating another; with a different request it answers 409. Keys starting
    /// with `workflow:` are reserved.
    #[schema(min_length = 1, max_length = 200)]
    pub idempotency_key: Option<String>,
    /// Default `tasks.default_max_attempts`.
    #[schema(minimum = 1, maximum = 20)]
    pub max_attempts: Option<i64>,
    /// Default `tasks.default_timeout_s`.
    #[schema(minimum = 1, maximum = 3600)]
    pub timeout_s: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/api/v1/agents/{agent_id}/tasks",
    tag = "tasks",
    params(("agent_id" = AgentId, Path, description = "The agent type")),
    request_body = SubmitTask,
    responses(
        (status = 202, description = "Queued", body = TaskView),
        (status = 200, description = "A task with this idempotency key exists", body = TaskView),
        (status = 404, description = "No such agent"),
        (status = 409, description = "The idempotency key was used with a different request"),
    )
)]
#[tracing::instrument(skip_all, fields(agent = %agent_id))]
pub async fn submit_task(
    state: web::Data<AppState>,
    principal: Principal,
    agent_id: web::Path<String>,
    body: ValidJson<SubmitTask>,
) -> Result<HttpResponse, ApiError> {
    let agent: AgentId = agent_id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("no agent `{agent_id}`")))?;
    let body = body.0;
    let request = TaskRequest {
        agent,
        kind: body.kind,
        input: body.input,
        priority: body.priority,
        max_attempts: body.max_attempts,
        timeout_s: body.timeout_s,
        idempotency_key: body.idempotency_key,
        principal: Some(principal.user_id),
    };
    match state.runtime.submit(request).await? {
        Created::Existing(existing) => Ok(HttpResponse::Ok().json(TaskView::from(existing))),
        Created::New(task) => Ok(HttpResponse::Accepted()
            .insert_header((header::LOCATION, format!("/api/v1/tasks/{}", task.id)))
            .json(TaskView::from(task))),
    }
}
