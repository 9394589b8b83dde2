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
        (status = 503, description = "The revocation could not be stored; the token still works"),
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %principal.user_id))]
pub async fn logout(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    match principal.credential {
        Credential::Jwt { jti, expires_at } => {
            match state.auth.revoke_token(&jti, expires_at).await {
                Ok(()) => Ok(HttpResponse::NoContent().finish()),
                Err(_) => Err(ApiError::Unavailable {
                    detail: "the logout could not be recorded; try again shortly".into(),
                    retry_after_s: 2,
                }),
            }
        }
        // The route is session-only; an API key is revoked with DELETE /api/v1/auth/api-keys/{id}.
        Credential::ApiKey { .. } => {
            Err(ApiError::Forbidden("logout revokes a login token".into()))
        }
    }
}
