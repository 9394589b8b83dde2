//! `GET /api/v1/websites/{id}/builds?limit=&cursor=`: the site's builds, newest first, with
//! the gate's verdict and which one is live.

use actix_web::web;
use empire_schema::models::SiteBuild;

use super::view::BuildView;
use crate::error::ApiError;
use crate::extract::PageQuery;
use crate::routes::views::PageView;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/websites/{id}/builds",
    tag = "websites",
    params(("id" = String, Path, format = Uuid, description = "The website's id"), PageQuery),
    responses((status = 200, description = "Builds, newest first", body = PageView<BuildView>))
)]
pub async fn list_builds(
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<PageView<BuildView>>, ApiError> {
    let page = query.page()?;
    let website = super::load(&state, &id).await?;
    Ok(web::Json(PageView::from_page(
        SiteBuild::list(&state.db, &website.id, &page).await?,
    )))
}
