//! Response bodies shared by several routes: what a client may see of a user or an API key.

use chrono::{DateTime, Utc};
use empire_schema::Page;
use empire_schema::models::{ApiKey, User};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Permission;

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    #[schema(format = Uuid)]
    pub id: String,
    pub email: String,
    pub name: String,
    #[schema(value_type = Vec<Permission>)]
    pub permissions: Vec<String>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        UserView {
            id: user.id,
            email: user.email,
            name: user.name,
            permissions: user.permissions.0,
            created_at: user.created_at.and_utc(),
            updated_at: user.updated_at.and_utc(),
        }
    }
}

/// An API key without its secret: the secret is shown once, at creation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyView {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    /// The public start of the key, enough to recognise it.
    pub prefix: String,
    #[schema(value_type = Vec<Permission>)]
    pub scopes: Vec<String>,
    #[serde(serialize_with = "crate::routes::utc::write")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub last_used_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crate::routes::utc::write_maybe")]
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiKey> for ApiKeyView {
    fn from(key: ApiKey) -> Self {
        ApiKeyView {
            id: key.id,
            name: key.name,
            prefix: key.prefix,
            scopes: key.scopes.0,
            created_at: key.created_at.and_utc(),
            last_used_at: key.last_used_at.map(|at| at.and_utc()),
            expires_at: key.expires_at.map(|at| at.and_utc()),
            revoked_at: key.revoked_at.map(|at| at.and_utc()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PageView<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> PageView<T> {
    pub fn from_page<R>(page: Page<R>) -> PageView<T>
    where
        T: From<R>,
    {
        PageView {
            items: page.items.into_iter().map(T::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}
