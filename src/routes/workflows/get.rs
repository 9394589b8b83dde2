//! `GET /api/v1/workflows/{id}`: the workflow with its steps.

use actix_web::web;
use empire_schema::StoreError;
use empire_schema::models::Workflow;

use super::view::{WorkflowView, workflow_view};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/workflows/{id}",
    tag = "workflows",
    params(("id" = String, Path, format = Uuid, description = "The workflow's id")),
    responses((status = 200, description = "The workflow", body = WorkflowView), (status = 404, description = "No such workflow"))
)]
pub async fn get_workflow(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<WorkflowView>, ApiError> {
    let workflow = match Workflow::get(&state.db, &id).await {
        Ok(workflow) => workflow,
        Err(StoreError::NotFound) => return Err(ApiError::NotFound(format!("no workflow `{id}`"))),
        Err(error) => return Err(error.into()),
    };
    Ok(web::Json(workflow_view(&state.db, workflow).await?))
}
