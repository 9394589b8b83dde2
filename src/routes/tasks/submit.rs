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
    let request = TaskRequest {
        agent,
        kind: body.kind,
        input: body.input,
        priority: body.priority,
        max_attempts: body.max_attempts,
        timeout_s: body.timeout_s,
        idempotency_key: body.idempotency_key,
    };
    match state.runtime.submit(request).await? {
        Created::Existing(existing) => Ok(HttpResponse::Ok().json(TaskView::from(existing))),
        Created::New(task) => Ok(HttpResponse::Accepted()
            .insert_header((header::LOCATION, format!("/api/v1/tasks/{}", task.id)))
            .json(TaskView::from(task))),
    }
}
