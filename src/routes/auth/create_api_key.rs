//! `POST /api/v1/auth/api-keys` (and its alias `POST /api/v1/auth/api-key`): a scoped key for
//! scripts, shown once.

use actix_web::{HttpResponse, web};
use chrono::{Duration, NaiveDateTime};
use empire_schema::clock::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Permission, Principal, api_key};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::routes::views::ApiKeyView;
use crate::state::AppState;

const MAX_EXPIRY_DAYS: u32 = 3650;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    /// 1 to 100 characters, not only spaces.
    #[schema(
        example = "n8n workflow",
        min_length = 1,
        max_length = 100,
        pattern = r"\S"
    )]
    pub name: String,
    /// A subset of the caller's permissions.
    #[schema(min_items = 1)]
    pub scopes: Vec<Permission>,
    /// Absent means the key does not expire.
    #[schema(minimum = 1, maximum = 3650)]
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKey {
    /// The secret: shown this once, stored only as a hash.
    pub key: String,
    #[serde(flatten)]
    pub details: ApiKeyView,
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/api-keys",
    tag = "auth",
    request_body = CreateApiKey,
    responses(
        (status = 201, description = "The key, shown once", body = CreatedApiKey),
        (status = 403, description = "A scope exceeds the caller's permissions, or the caller is an API key"),
    )
)]
#[tracing::instrument(skip_all, fields(user_id = %principal.user_id))]
pub async fn create_api_key(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<CreateApiKey>,
) -> Result<HttpResponse, ApiError> {
    let CreateApiKey {
        name,
        scopes,
        expires_in_days,
    } = body.0;
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::field("name", "must be 1 to 100 characters"));
    }
    if scopes.is_empty() {
        return Err(ApiError::field("scopes", "name at least one permission"));
    }
    let expires_at = expiry(expires_in_days)?;
    if let Some(scope) = scopes.iter().find(|scope| !principal.can(**scope)) {
        return Err(ApiError::Forbidden(format!(
            "scope {scope} exceeds your permissions"
        )));
    }
    let (secret, key) =
        api_key::issue(&state.db, &principal.user_id, name, &scopes, expires_at).await?;
    tracing::info!(key_id = %key.id, "created an API key");
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/auth/api-keys/{}", key.id)))
        .json(CreatedApiKey {
            key: secret,
            details: key.into(),
        }))
}

/// The seed's path, kept so its clients keep working: the same operation, permission and answers.
#[utoipa::path(
    post,
    path = "/api/v1/auth/api-key",
    tag = "auth",
    operation_id = "create_api_key_alias",
    description = "Alias of `POST /api/v1/auth/api-keys`: the same request, permission and answers.",
    request_body = CreateApiKey,
    responses(
        (status = 201, description = "The key, shown once", body = CreatedApiKey),
        (status = 403, description = "A scope exceeds the caller's permissions, or the caller is an API key"),
    )
)]
pub async fn create_api_key_alias(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<CreateApiKey>,
) -> Result<HttpResponse, ApiError> {
    create_api_key(state, principal, body).await
}

fn expiry(days: Option<u32>) -> Result<Option<NaiveDateTime>, ApiError> {
    match days {
        None => Ok(None),
        Some(days @ 1..=MAX_EXPIRY_DAYS) => Ok(Some(now() + Duration::days(i64::from(days)))),
        Some(_) => Err(ApiError::field(
            "expires_in_days",
            format!("must be from 1 to {MAX_EXPIRY_DAYS}"),
        )),
    }
}
