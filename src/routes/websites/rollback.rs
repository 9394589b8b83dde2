//! `POST /api/v1/websites/{id}/builds/{build_id}/rollback`: puts a kept build that passed the
//! gate live again, byte for byte as it was built (its files are checked against its manifest
//! first), in one atomic swap.

use actix_web::web;
use empire_actors::website_builder::site::publish::{BuildId, PublishError};
use empire_schema::StoreError;
use empire_schema::models::SiteBuild;
use empire_schema::types::BuildStatus;

use super::rebuild::refuse_while_running;
use super::view::BuildView;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/websites/{id}/builds/{build_id}/rollback",
    tag = "websites",
    params(
        ("id" = String, Path, format = Uuid, description = "The website's id"),
        ("build_id" = String, Path, format = Uuid, description = "The build to put live"),
    ),
    responses((status = 200, description = "The build now live", body = BuildView))
)]
#[tracing::instrument(skip(state))]
pub async fn rollback_build(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<BuildView>, ApiError> {
    let (id, build_id) = path.into_inner();
    let website = super::load(&state, &id).await?;
    refuse_while_running(&state, &website).await?;
    let missing = || ApiError::NotFound(format!("website `{id}` has no build `{build_id}`"));
    let build = match SiteBuild::get(&state.db, &website.id, &build_id).await {
        Ok(build) => build,
        Err(StoreError::NotFound) => return Err(missing()),
        Err(error) => return Err(error.into()),
    };
    if build.status == BuildStatus::Pruned {
        return Err(ApiError::Conflict(format!(
            "build {build_id} was pruned by retention; its files are gone"
        )));
    }
    if build.gate_passed != Some(true) {
        return Err(ApiError::Conflict(format!(
            "build {build_id} did not pass the publish gate"
        )));
    }
    let store = state.runtime.services().sites.store.clone();
    let slug = website.slug.clone();
    let id_on_disk = BuildId::parse(&build.id).map_err(|_| missing())?;
    let rolled = tokio::task::spawn_blocking(move || store.rollback(&slug, &id_on_disk))
        .await
        .map_err(|error| ApiError::Internal(error.into()))?;
    match rolled {
        Ok(_manifest) => {}
        Err(PublishError::UnknownBuild(_)) => return Err(missing()),
        Err(error @ PublishError::Corrupt { .. }) => {
            return Err(ApiError::Conflict(error.to_string()));
        }
        Err(error) => return Err(ApiError::Internal(error.into())),
    }
    SiteBuild::mark_published(&state.db, &website.id, &build.id).await?;
    Ok(web::Json(
        SiteBuild::get(&state.db, &website.id, &build.id)
            .await?
            .into(),
    ))
}
