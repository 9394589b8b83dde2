//! `/api/v1/schedules`: work on a cron clock (see `crate::schedules` for the firing).

pub mod create;
pub mod delete;
pub mod get;
pub mod list;
pub mod pause;
pub mod view;

use empire_schema::StoreError;
use empire_schema::models::Schedule;

use crate::error::ApiError;
use crate::state::AppState;

/// The schedule `id`, or a 404 naming it.
async fn find(state: &AppState, id: &str) -> Result<Schedule, ApiError> {
    match Schedule::get(&state.db, id).await {
        Err(StoreError::NotFound) => Err(not_found(id)),
        other => Ok(other?),
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no schedule `{id}`"))
}
