//! `GET /api/v1/websites/{id}/pages?limit=&cursor=`: the site's pages in plan order, without
//! their bodies.

use actix_web::web;
use empire_schema::models::SitePage;

use super::view::PageSummaryView;
use crate::error::ApiError;
use crate::extract::PageQuery;
use crate::routes::views::PageView;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/websites/{id}/pages",
    tag = "websites",
    params(("id" = String, Path, format = Uuid, description = "The website's id"), PageQuery),
    responses((status = 200, description = "Pages in plan order", body = PageView<PageSummaryView>))
)]
pub async fn list_pages(
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<PageView<PageSummaryView>>, ApiError> {
    let page = query.page()?;
    let website = super::load(&state, &id).await?;
    Ok(web::Json(PageView::from_page(
        SitePage::list(&state.db, &website.id, &page).await?,
    )))
}
