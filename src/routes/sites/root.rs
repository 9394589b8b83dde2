//! `GET /sites/{slug}`: a published site's address without the trailing slash, redirected
//! (308) to `/sites/{slug}/`, where its home page is.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/sites/{slug}",
    tag = "sites",
    params(("slug" = String, Path, description = "The site's slug")),
    responses(
        (status = 308, description = "The site's home page is at `/sites/{slug}/`", headers(
            ("Location" = String, description = "`/sites/{slug}/`")
        )),
        (status = 404, description = "No published site with this slug"),
    )
)]
pub async fn site_root(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let published = match state.runtime.services().sites.store.current_dir(&slug) {
        Ok(current) => tokio::fs::try_exists(current).await.unwrap_or(false),
        Err(_) => false,
    };
    if !published {
        return Err(ApiError::NotFound(format!("no published site `{slug}`")));
    }
    Ok(HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, format!("/sites/{slug}/")))
        .finish())
}
