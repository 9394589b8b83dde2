//! `POST /api/v1/workflows`: validate, then store the workflow with its first step's task.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::view::{WorkflowView, workflow_view};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartWorkflow {
    #[schema(example = "page_pipeline")]
    pub kind: String,
    /// The workflow's input, an object (see each kind's first step).
    #[schema(value_type = Object)]
    pub input: Value,
}

#[utoipa::path(
    post,
    path = "/api/v1/workflows",
    tag = "workflows",
    request_body = StartWorkflow,
    responses((status = 202, description = "Started", body = WorkflowView))
)]
#[tracing::instrument(skip_all)]
pub async fn start_workflow(
    state: web::Data<AppState>,
    body: ValidJson<StartWorkflow>,
) -> Result<HttpResponse, ApiError> {
    let StartWorkflow { kind, input } = body.0;
    let (workflow, _first) = state.runtime.start_workflow(&kind, input).await?;
    let location = format!("/api/v1/workflows/{}", workflow.id);
    let view = workflow_view(&state.db, workflow).await?;
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, location))
        .json(view))
}
