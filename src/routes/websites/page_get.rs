//! `GET /api/v1/websites/{id}/pages/{page_id}`: one page with its body, facts and audit.

use actix_web::web;
use empire_schema::StoreError;
use empire_schema::models::SitePage;

use super::view::PageDetailView;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/websites/{id}/pages/{page_id}",
    tag = "websites",
    params(
        ("id" = String, Path, format = Uuid, description = "The website's id"),
        ("page_id" = String, Path, format = Uuid, description = "The page's id"),
    ),
    responses((status = 200, description = "The page", body = PageDetailView))
)]
pub async fn get_page(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<PageDetailView>, ApiError> {
    let (id, page_id) = path.into_inner();
    Ok(web::Json(load_page(&state, &id, &page_id).await?.into()))
}

/// Page `page_id` of website `id`, or a 404 naming what is missing.
pub async fn load_page(state: &AppState, id: &str, page_id: &str) -> Result<SitePage, ApiError> {
    let website = super::load(state, id).await?;
    match SitePage::get(&state.db, &website.id, page_id).await {
        Ok(page) => Ok(page),
        Err(StoreError::NotFound) => Err(ApiError::NotFound(format!(
            "website `{id}` has no page `{page_id}`"
        ))),
        Err(error) => Err(error.into()),
    }
}
