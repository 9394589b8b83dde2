//! `PATCH /api/v1/users/{id}`: set a user's permissions, name or password.

use actix_web::web;
use empire_schema::Json;
use empire_schema::models::{User, UserChanges};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Permission, password};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::routes::views::UserView;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// 1 to 200 characters, not only spaces.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    #[schema(min_length = 12, max_length = 256)]
    pub password: Option<String>,
    pub permissions: Option<Vec<Permission>>,
}

#[utoipa::path(
    patch,
    path = "/api/v1/users/{id}",
    tag = "users",
    params(("id" = String, Path, format = Uuid, description = "The user's id")),
    request_body = UpdateUser,
    responses(
        (status = 200, description = "Updated; takes effect on every node within auth.credential_cache_ms", body = UserView),
        (status = 403, description = "Not `admin.full`, or an API key rather than a login token"),
        (status = 404, description = "No such user"),
    )
)]
#[tracing::instrument(skip_all, fields(target_user = %id))]
pub async fn update_user(
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: ValidJson<UpdateUser>,
) -> Result<web::Json<UserView>, ApiError> {
    let UpdateUser {
        name,
        password: secret,
        permissions,
    } = body.0;
    let before = User::get(&state.db, &id).await?;
    let mut changes = UserChanges::default();
    // A new password or fewer permissions end every login token issued so far.
    let mut end_sessions = secret.is_some();
    if let Some(name) = name {
        let name = name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(ApiError::field("name", "must be 1 to 200 characters"));
        }
        changes.name = Some(name);
    }
    if let Some(secret) = secret {
        password::check_strength(&secret)
            .map_err(|error| ApiError::field("password", error.to_string()))?;
        changes.password_hash = Some(
            password::hash(secret)
                .await
                .map_err(|error| ApiError::Internal(error.into()))?,
        );
    }
    if let Some(permissions) = permissions {
        let mut permissions: Vec<String> =
            permissions.iter().map(|p| p.as_str().to_owned()).collect();
        permissions.sort();
        permissions.dedup();
        end_sessions |= reduces(&before.permissions.0, &permissions);
        changes.permissions = Some(Json(permissions));
    }
    if end_sessions {
        // The next second: tokens issued in this one (before the change) are refused too;
        // a login after the change is issued no earlier than this (see `login`). Past the
        // previous cut-off too: a login between two changes in one second got exactly that.
        let next_second = chrono::Utc::now().timestamp() + 1;
        changes.tokens_valid_after = Some(next_second.max(before.tokens_valid_after + 1));
    }
    let user = User::update(&state.db, &id, &changes).await?;
    state.auth.forget_user(&user.id).await;
    tracing::info!("updated a user");
    Ok(web::Json(UserView::from(user)))
}

/// Whether `after` lacks a permission `before` had (`admin.full` keeps everything).
fn reduces(before: &[String], after: &[String]) -> bool {
    let full = Permission::AdminFull.as_str();
    !after.iter().any(|p| p == full) && before.iter().any(|p| !after.contains(p))
}
