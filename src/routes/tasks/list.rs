//! `GET /api/v1/tasks?agent=&status=&limit=&cursor=`: newest first.

use actix_web::web;
use empire_actors::kinds::AgentId;
use empire_schema::TaskStatus;
use empire_schema::models::{Task, TaskFilter};
use serde::Deserialize;

use super::view::TaskView;
use crate::error::ApiError;
use crate::extract::PageQuery;
use crate::routes::views::PageView;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TaskQuery {
    /// Only this agent's tasks.
    #[param(value_type = Option<AgentId>)]
    pub agent: Option<String>,
    /// Only tasks in this status.
    #[param(value_type = Option<TaskStatus>)]
    pub status: Option<String>,
    /// Items per page (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(max_length = 64)]
    pub cursor: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/tasks",
    tag = "tasks",
    params(TaskQuery),
    responses((status = 200, description = "Tasks, newest first", body = PageView<TaskView>))
)]
pub async fn list_tasks(
    state: web::Data<AppState>,
    query: web::Query<TaskQuery>,
) -> Result<web::Json<PageView<TaskView>>, ApiError> {
    let query = query.into_inner();
    let agent = match query.agent.as_deref() {
        Some(agent) => Some(
            agent
                .parse::<AgentId>()
                .map_err(|_| ApiError::field("agent", format!("unknown agent `{agent}`")))?,
        ),
        None => None,
    };
    let status = match query.status.as_deref() {
        Some(status) => Some(
            status
                .parse::<TaskStatus>()
                .map_err(|error| ApiError::field("status", error.to_string()))?,
        ),
        None => None,
    };
    let filter = TaskFilter { agent, status };
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .page()?;
    Ok(web::Json(PageView::from_page(
        Task::list(&state.db, &filter, &page).await?,
    )))
}
