//! Run a task and answer with its result if it ends within `?wait_s=` (200), else with the
//! task (202 and `Location`); shared by every route that runs a kind and waits.

use std::time::Duration;

use actix_web::HttpResponse;
use actix_web::http::header;
use empire_actors::kinds::budget_of_task_error;
use empire_actors::runtime::{TaskRequest, Waited};
use empire_schema::TaskStatus;

use crate::error::ApiError;
use crate::routes::tasks::view::TaskView;
use crate::state::AppState;

pub const DEFAULT_WAIT_S: u64 = 30;
pub const MAX_WAIT_S: u64 = 120;

/// `wait_s` as given (0..=120, default 30).
pub fn wait_of(wait_s: Option<&str>) -> Result<Duration, ApiError> {
    let seconds = match wait_s {
        None => DEFAULT_WAIT_S,
        Some(text) => text
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|s| *s <= MAX_WAIT_S)
            .ok_or_else(|| {
                ApiError::field("wait_s", format!("must be 0 to {MAX_WAIT_S} seconds"))
            })?,
    };
    Ok(Duration::from_secs(seconds))
}

/// Submits `request`, waits up to `wait`, and answers:
/// 200 with the task's result; 202 with the task while it runs; 402 when a spend budget stopped
/// it (naming the budget); 503 when it failed otherwise (the task, with its error, stays readable).
pub async fn run_and_wait(
    state: &AppState,
    request: TaskRequest,
    wait: Duration,
) -> Result<HttpResponse, ApiError> {
    match state.runtime.submit_and_wait(request, wait).await? {
        Waited::Pending(task) => Ok(HttpResponse::Accepted()
            .insert_header((header::LOCATION, format!("/api/v1/tasks/{}", task.id)))
            .json(TaskView::from(task))),
        Waited::Ended(task) => match task.status {
            TaskStatus::Succeeded => {
                let result = task.result.map(|json| json.0).unwrap_or_default();
                Ok(HttpResponse::Ok()
                    .insert_header(("X-Task-Id", task.id))
                    .json(result))
            }
            TaskStatus::Cancelled => Err(ApiError::Conflict(format!(
                "task {} was cancelled",
                task.id
            ))),
            _ => {
                let error = task.error.unwrap_or_default();
                match budget_of_task_error(&error) {
                    Some(budget) => Err(ApiError::BudgetExceeded {
                        budget: budget.to_owned(),
                        detail: format!("task {}: {error}", task.id),
                    }),
                    None => Err(ApiError::Unavailable {
                        detail: format!("task {} failed: {error}", task.id),
                        retry_after_s: 5,
                    }),
                }
            }
        },
    }
}
