//! `GET /api/v1/websites/{id}`: the website, its status and why it failed.

use actix_web::web;

use super::view::WebsiteView;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/websites/{id}",
    tag = "websites",
    params(("id" = String, Path, format = Uuid, description = "The website's id")),
    responses((status = 200, description = "The website", body = WebsiteView))
)]
pub async fn get_website(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<WebsiteView>, ApiError> {
    Ok(web::Json(super::load(&state, &id).await?.into()))
}
