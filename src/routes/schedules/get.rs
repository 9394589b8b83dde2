//! `GET /api/v1/schedules/{id}`.

use actix_web::web;

use super::view::ScheduleView;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/schedules/{id}",
    tag = "schedules",
    params(("id" = String, Path, description = "The schedule's id")),
    responses(
        (status = 200, description = "The schedule", body = ScheduleView),
        (status = 404, description = "No such schedule"),
    )
)]
pub async fn get_schedule(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<ScheduleView>, ApiError> {
    Ok(web::Json(super::find(&state, &id).await?.into()))
}
