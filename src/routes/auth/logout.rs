//! `POST /api/v1/auth/logout`: revokes the bearer token on every node until it expires.

use actix_web::{HttpResponse, web};

use crate::auth::{Credential, Principal};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    responses(
        (status = 204, description = "The token is revoked"),
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %principal.user_id))]
pub async fn logout(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    match principal.credential {
        Credential::Jwt { jti, expires_at } => {
            state.auth.revoke_token(&jti, expires_at).await;
            Ok(HttpResponse::NoContent().finish())
        }
        // The route is session-only; an API key is revoked with DELETE /api/v1/auth/api-keys/{id}.
        Credential::ApiKey { .. } => {
            Err(ApiError::Forbidden("logout revokes a login token".into()))
        }
    }
}
