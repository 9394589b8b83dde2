//! `GET /api/v1/auth/me`: who the credential belongs to and what it may do.

use actix_web::web::Json;

use crate::auth::Principal;

#[utoipa::path(
    get,
    path = "/api/v1/auth/me",
    tag = "auth",
    responses((status = 200, description = "The caller", body = Principal))
)]
pub async fn me(principal: Principal) -> Json<Principal> {
    Json(principal)
}
