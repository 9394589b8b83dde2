//! `DELETE /api/v1/websites/{id}`: cancels its run, deletes the site with its pages, builds,
//! links and clicks, and removes its files.

use actix_web::{HttpResponse, web};
use empire_schema::models::Website;

use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    delete,
    path = "/api/v1/websites/{id}",
    tag = "websites",
    params(("id" = String, Path, format = Uuid, description = "The website's id")),
    responses((status = 204, description = "Deleted"))
)]
#[tracing::instrument(skip(state))]
pub async fn delete_website(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let website = super::load(&state, &id).await?;
    if let Some(workflow_id) = &website.workflow_id {
        // An ended run answers Conflict; either way nothing of it may run on.
        let _ = state.runtime.cancel_workflow(workflow_id).await;
    }
    Website::delete(&state.db, &website.id).await?;
    let store = state.runtime.services().sites.store.clone();
    let slug = website.slug.clone();
    let removed = tokio::task::spawn_blocking(move || store.remove_site(&slug)).await;
    match removed {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::warn!(%error, slug = website.slug, "cannot remove the site's files")
        }
        Err(error) => tracing::warn!(%error, slug = website.slug, "cannot remove the site's files"),
    }
    Ok(HttpResponse::NoContent().finish())
}
