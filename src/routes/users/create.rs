//! `POST /api/v1/users`: adds a user with a password and permissions.

use actix_web::{HttpResponse, web};
use empire_schema::StoreError;
use empire_schema::models::{NewUser, User};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Permission, password};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::routes::views::UserView;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    #[schema(example = "editor@example.com")]
    pub email: String,
    /// Defaults to the email's local part.
    pub name: Option<String>,
    #[schema(min_length = 12, max_length = 256)]
    pub password: String,
    #[serde(default)]
    pub permissions: Vec<Permission>,
}

#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "users",
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = UserView),
        (status = 403, description = "Not `admin.full`, or an API key rather than a login token"),
        (status = 409, description = "The email is taken"),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create_user(
    state: web::Data<AppState>,
    body: ValidJson<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    let CreateUser {
        email,
        name,
        password: secret,
        permissions,
    } = body.0;
    let email = parse_email(&email)?;
    password::check_strength(&secret)
        .map_err(|error| ApiError::field("password", error.to_string()))?;
    let name = name
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty());
    let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
    let password_hash = password::hash(secret)
        .await
        .map_err(|error| ApiError::Internal(error.into()))?;
    let mut permissions: Vec<String> = permissions.iter().map(|p| p.as_str().to_owned()).collect();
    permissions.sort();
    permissions.dedup();
    let user = match User::create(
        &state.db,
        NewUser {
            email,
            name,
            password_hash,
            permissions,
        },
    )
    .await
    {
        Err(StoreError::Conflict(_)) => {
            return Err(ApiError::Conflict("a user with this email exists".into()));
        }
        other => other?,
    };
    tracing::info!(user_id = %user.id, "created a user");
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/users/{}", user.id)))
        .json(UserView::from(user)))
}

pub fn parse_email(email: &str) -> Result<String, ApiError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err(ApiError::field("email", "is not an email address"))
    }
}
