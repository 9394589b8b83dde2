//! `DELETE /api/v1/auth/api-keys/{id}`: revokes one of the caller's keys (an admin: anyone's).

use actix_web::{HttpResponse, web};
use empire_schema::StoreError;
use empire_schema::models::ApiKey;

use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    delete,
    path = "/api/v1/auth/api-keys/{id}",
    tag = "auth",
    params(("id" = String, Path, format = Uuid, description = "The key's id")),
    responses(
        (status = 204, description = "Revoked; refused on every node within auth.credential_cache_ms"),
        (status = 404, description = "No such key of yours"),
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %principal.user_id, key_id = %id))]
pub async fn revoke_api_key(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::NotFound("no such API key".into());
    let key = match ApiKey::get(&state.db, &id).await {
        Ok(key) => key,
        Err(StoreError::NotFound) => return Err(not_found()),
        Err(error) => return Err(error.into()),
    };
    // Someone else's key answers like a missing one, so ids cannot be probed.
    if key.user_id != principal.user_id && !principal.can(Permission::AdminFull) {
        return Err(not_found());
    }
    ApiKey::revoke(&state.db, &key.id).await?;
    state.auth.forget_key(&key.prefix).await;
    tracing::info!("revoked an API key");
    Ok(HttpResponse::NoContent().finish())
}
