//! `DELETE /api/v1/schedules/{id}`: no more ticks; what it started runs on.

use actix_web::{HttpResponse, web};
use empire_schema::models::Schedule;

use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    delete,
    path = "/api/v1/schedules/{id}",
    tag = "schedules",
    params(("id" = String, Path, description = "The schedule's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such schedule"),
    )
)]
#[tracing::instrument(skip(state))]
pub async fn delete_schedule(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    if Schedule::delete(&state.db, &id).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(super::not_found(&id))
    }
}
