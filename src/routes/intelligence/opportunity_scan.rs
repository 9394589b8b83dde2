//! `POST /api/v1/intelligence/opportunity-scan?wait_s=`: runs the opportunity scanner's
//! `market_scan` kind and waits up to `wait_s` seconds (default 30) for its ranking.

use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use empire_actors::kinds::AgentId;
use empire_actors::runtime::{TaskRequest, Waited};
use serde::Deserialize;
use serde_json::Value;

use super::params::bounded;
use crate::error::ApiError;
use crate::routes::tasks::view::TaskView;
use crate::state::AppState;

/// The longest a client may ask to wait.
pub const MAX_WAIT_S: u64 = 300;
pub const DEFAULT_WAIT_S: u64 = 30;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct WaitParams {
    /// Seconds to wait for the result, 0..=300 (default 30).
    pub wait_s: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/intelligence/opportunity-scan",
    tag = "intelligence",
    params(WaitParams),
    request_body(content = Object, description = "The `market_scan` input (see GET /api/v1/agents); empty scans every niche with defaults"),
    responses(
        (status = 200, description = "The scan ended; its ranking is in `result`", body = TaskView),
        (status = 202, description = "Still running; poll the task", body = TaskView),
        (status = 422, description = "The input is invalid"),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn opportunity_scan(
    state: web::Data<AppState>,
    params: web::Query<WaitParams>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let wait = bounded(
        "wait_s",
        params.wait_s.as_deref(),
        0..=MAX_WAIT_S,
        DEFAULT_WAIT_S,
    )?;
    let input: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(&body)
            .map_err(|error| ApiError::BadRequest(format!("body is not JSON: {error}")))?
    };
    let request = TaskRequest::new(AgentId::OpportunityScanner, "market_scan", input);
    match state
        .runtime
        .submit_and_wait(request, Duration::from_secs(wait))
        .await?
    {
        Waited::Ended(task) => Ok(HttpResponse::Ok().json(TaskView::from(task))),
        Waited::Pending(task) => Ok(HttpResponse::Accepted()
            .insert_header((header::LOCATION, format!("/api/v1/tasks/{}", task.id)))
            .json(TaskView::from(task))),
    }
}
