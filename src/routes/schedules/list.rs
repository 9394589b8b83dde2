//! `GET /api/v1/schedules?limit=&cursor=`: newest first.

use actix_web::web;
use empire_schema::models::Schedule;

use super::view::ScheduleView;
use crate::error::ApiError;
use crate::extract::PageQuery;
use crate::routes::views::PageView;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/schedules",
    tag = "schedules",
    params(PageQuery),
    responses((status = 200, description = "Schedules, newest first", body = PageView<ScheduleView>))
)]
pub async fn list_schedules(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<PageView<ScheduleView>>, ApiError> {
    let page = query.page()?;
    Ok(web::Json(PageView::from_page(
        Schedule::list(&state.db, &page).await?,
    )))
}
