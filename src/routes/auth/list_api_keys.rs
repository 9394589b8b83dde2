//! `GET /api/v1/auth/api-keys`: the caller's keys, without secrets.

use actix_web::web;
use empire_schema::models::ApiKey;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::PageQuery;
use crate::routes::views::{ApiKeyView, PageView};
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/auth/api-keys",
    tag = "auth",
    params(PageQuery),
    responses((status = 200, description = "The caller's keys, newest first", body = PageView<ApiKeyView>))
)]
pub async fn list_api_keys(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<PageQuery>,
) -> Result<web::Json<PageView<ApiKeyView>>, ApiError> {
    let page = query.page()?;
    let keys = ApiKey::list_for_user(&state.db, &principal.user_id, &page).await?;
    Ok(web::Json(PageView::from_page(keys)))
}
