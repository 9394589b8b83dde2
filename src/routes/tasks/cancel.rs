//! `POST /api/v1/tasks/{id}/cancel`: a queued or running task becomes cancelled; a running
//! attempt's result is then discarded.

use actix_web::web;
use empire_schema::StoreError;

use super::view::TaskView;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/tasks/{id}/cancel",
    tag = "tasks",
    params(("id" = String, Path, format = Uuid, description = "The task's id")),
    responses(
        (status = 200, description = "Cancelled", body = TaskView),
        (status = 404, description = "No such task"),
        (status = 409, description = "The task already ended"),
    )
)]
#[tracing::instrument(skip(state))]
pub async fn cancel_task(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<TaskView>, ApiError> {
    match state.runtime.cancel_task(&id).await {
        Ok(task) => Ok(web::Json(task.into())),
        Err(StoreError::NotFound) => Err(ApiError::NotFound(format!("no task `{id}`"))),
        Err(StoreError::Conflict(reason)) => Err(ApiError::Conflict(reason)),
        Err(error) => Err(error.into()),
    }
}
