//! `POST /api/v1/intelligence/research?wait_s=`: runs the opportunity scanner's `research` kind.

use actix_web::{HttpResponse, web};
use empire_actors::kinds::AgentId;
use empire_actors::runtime::TaskRequest;
use serde::Deserialize;
use serde_json::Value;

use super::waited::{run_and_wait, wait_of};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct WaitQuery {
    /// Seconds to wait for the result, 0..=120 (default 30); then 202 with the task.
    pub wait_s: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/intelligence/research",
    tag = "intelligence",
    params(WaitQuery),
    request_body(
        content = Object,
        description = "`{topic, language: en|de, depth: 1..3, competitor_urls?, providers?}` (the `research` kind's input; see GET /api/v1/agents)"
    ),
    responses(
        (status = 200, description = "Findings attributed to providers, competitor pages, `note_id`", body = Object),
        (status = 202, description = "Still running: the task", body = crate::routes::tasks::view::TaskView),
        (status = 402, description = "A spend budget stopped it; `budget` names which", body = crate::error::Problem),
        (status = 422, description = "Invalid input", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn research(
    state: web::Data<AppState>,
    query: web::Query<WaitQuery>,
    body: ValidJson<Value>,
) -> Result<HttpResponse, ApiError> {
    let wait = wait_of(query.wait_s.as_deref())?;
    let request = TaskRequest::new(AgentId::OpportunityScanner, "research", body.0);
    run_and_wait(&state, request, wait).await
}
