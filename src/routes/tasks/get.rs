//! `GET /api/v1/tasks/{id}`.

use actix_web::web;
use empire_schema::StoreError;
use empire_schema::models::Task;

use super::view::TaskView;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/tasks/{id}",
    tag = "tasks",
    params(("id" = String, Path, format = Uuid, description = "The task's id")),
    responses((status = 200, description = "The task", body = TaskView), (status = 404, description = "No such task"))
)]
pub async fn get_task(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<TaskView>, ApiError> {
    match Task::get(&state.db, &id).await {
        Ok(task) => Ok(web::Json(task.into())),
        Err(StoreError::NotFound) => Err(ApiError::NotFound(format!("no task `{id}`"))),
        Err(error) => Err(error.into()),
    }
}
