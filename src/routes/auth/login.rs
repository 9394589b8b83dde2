//! `POST /api/v1/auth/login`: email and password for a bearer JWT.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use empire_schema::models::User;
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;
use utoipa::ToSchema;

use crate::auth::{Permission, password};
use crate::error::ApiError;
use crate::extract::{ClientIp, ValidJson};
use crate::ratelimit::normalize_email;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "admin@empire.local")]
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
    pub permissions: Vec<Permission>,
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Wrong email or password"),
        (status = 429, description = "Too many attempts from this address or for this account"),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn login(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: ValidJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest {
        email,
        password: secret,
    } = body.0;
    let email = normalize_email(&email);
    check_login_limits(&state, &request, &email).await?;
    let user = User::find_by_email(&state.db, &email).await?;
    // Verify against a dummy hash for unknown emails, so timing does not reveal which exist.
    let stored = match &user {
        Some(user) => user.password_hash.clone(),
        None => dummy_hash().await?,
    };
    let verified = password::verify(secret, stored).await;
    let Some(user) = user.filter(|_| verified) else {
        let failures = state.limiter.record_failed_login(&email).await;
        tracing::info!(failures, "failed login");
        return Err(ApiError::Unauthorized("wrong email or password".into()));
    };
    let permissions: Vec<Permission> = user
        .permissions
        .0
        .iter()
        .filter_map(|p| p.parse().ok())
        .collect();
    let (token, _claims) = state
        .auth
        .jwt()
        .issue(
            &user.id,
            permissions.iter().map(|p| p.as_str().to_owned()).collect(),
        )
        .map_err(|error| ApiError::Internal(error.into()))?;
    tracing::info!(user_id = %user.id, "logged in");
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: token,
        token_type: "bearer".into(),
        expires_in: state.auth.jwt().ttl().as_secs(),
        permissions,
    }))
}

/// Per client IP, per email, and at most `failed_login_per_hour` failures per account.
async fn check_login_limits(
    state: &AppState,
    request: &HttpRequest,
    email: &str,
) -> Result<(), ApiError> {
    let limits = state.limiter.config();
    let client = ClientIp::of(request, state.config.http.trust_forwarded_for);
    for (policy, key) in [
        (limits.login_ip(), client.rate_key()),
        (limits.login_email(), email.to_owned()),
    ] {
        let decision = state.limiter.check(&policy, &key).await;
        if !decision.allowed {
            return Err(ApiError::rate_limited(&decision));
        }
    }
    let failures = state.limiter.failed_logins(email).await;
    if state.limiter.locked_out(failures) {
        return Err(ApiError::TooManyRequests {
            detail: "too many failed logins for this account; try again within the hour".into(),
            headers: vec![(header::RETRY_AFTER, HeaderValue::from_static("3600"))],
        });
    }
    Ok(())
}

async fn dummy_hash() -> Result<String, ApiError> {
    static DUMMY: OnceCell<String> = OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| password::hash(uuid::Uuid::new_v4().to_string()))
        .await
        .cloned()
        .map_err(|error| ApiError::Internal(error.into()))
}
