//! `GET /api/v1/users`: every user, newest first.

use actix_web::web;
use empire_schema::models::User;

use crate::error::ApiError;
use crate::extract::PageQuery;
use crate::routes::views::{PageView, UserView};
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "users",
    params(PageQuery),
    responses((status = 200, description = "Users, newest first", body = PageView<UserView>))
)]
pub async fn list_users(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<PageView<UserView>>, ApiError> {
    let page = query.page()?;
    Ok(web::Json(PageView::from_page(
        User::list(&state.db, &page).await?,
    )))
}
