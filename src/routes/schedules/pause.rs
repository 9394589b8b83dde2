//! `POST /api/v1/schedules/{id}/pause` and `/resume`. Resuming starts from the next tick after
//! now: ticks that passed while paused are not caught up.

use actix_web::web;
use empire_schema::models::Schedule;

use super::view::ScheduleView;
use crate::error::ApiError;
use crate::schedules::Timing;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/schedules/{id}/pause",
    tag = "schedules",
    params(("id" = String, Path, description = "The schedule's id")),
    responses(
        (status = 200, description = "Paused (pausing a paused schedule changes nothing)", body = ScheduleView),
        (status = 404, description = "No such schedule"),
    )
)]
#[tracing::instrument(skip(state))]
pub async fn pause_schedule(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<ScheduleView>, ApiError> {
    super::find(&state, &id).await?;
    let schedule = Schedule::set_paused(&state.db, &id, true, None).await?;
    Ok(web::Json(schedule.into()))
}

#[utoipa::path(
    post,
    path = "/api/v1/schedules/{id}/resume",
    tag = "schedules",
    params(("id" = String, Path, description = "The schedule's id")),
    responses(
        (status = 200, description = "Running again from the next tick after now", body = ScheduleView),
        (status = 404, description = "No such schedule"),
    )
)]
#[tracing::instrument(skip(state))]
pub async fn resume_schedule(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<ScheduleView>, ApiError> {
    let schedule = super::find(&state, &id).await?;
    if !schedule.paused {
        return Ok(web::Json(schedule.into()));
    }
    let next = Timing::parse(&schedule.cron, &schedule.timezone)
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("stored schedule {id}: {error}")))?
        .next_after(empire_schema::clock::now());
    let schedule = Schedule::set_paused(&state.db, &id, false, next).await?;
    Ok(web::Json(schedule.into()))
}
