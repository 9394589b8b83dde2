//! `POST /api/v1/workflows/{id}/cancel`: the workflow and its pending steps are cancelled.

use actix_web::web;
use empire_schema::StoreError;

use super::view::{WorkflowView, workflow_view};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/workflows/{id}/cancel",
    tag = "workflows",
    params(("id" = String, Path, format = Uuid, description = "The workflow's id")),
    responses(
        (status = 200, description = "Cancelled", body = WorkflowView),
        (status = 404, description = "No such workflow"),
        (status = 409, description = "The workflow already ended"),
    )
)]
#[tracing::instrument(skip(state))]
pub async fn cancel_workflow(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<WorkflowView>, ApiError> {
    let workflow = match state.runtime.cancel_workflow(&id).await {
        Ok(workflow) => workflow,
        Err(StoreError::NotFound) => return Err(ApiError::NotFound(format!("no workflow `{id}`"))),
        Err(StoreError::Conflict(reason)) => return Err(ApiError::Conflict(reason)),
        Err(error) => return Err(error.into()),
    };
    Ok(web::Json(workflow_view(&state.db, workflow).await?))
}
