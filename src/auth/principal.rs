//! The authenticated caller of a request and the credential it used.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use serde::Serialize;

use super::Permission;
use crate::error::ApiError;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Principal {
    pub user_id: String,
    pub email: String,
    /// Effective permissions: the user's own, narrowed to the key's scopes for an API key.
    pub permissions: Vec<Permission>,
    pub credential: Credential,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Credential {
    /// A login token; `expires_at` is its `exp` (Unix seconds).
    Jwt {
        jti: String,
        expires_at: i64,
    },
    ApiKey {
        id: String,
        prefix: String,
    },
}

impl Principal {
    /// `admin.full` implies every permission.
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions
            .iter()
            .any(|held| *held == permission || *held == Permission::AdminFull)
    }

    /// The key under which this caller's requests are rate limited.
    pub fn rate_key(&self) -> String {
        match &self.credential {
            Credential::Jwt { .. } => format!("user:{}", self.user_id),
            Credential::ApiKey { id, .. } => format!("key:{id}"),
        }
    }
}

/// Handlers take `Principal` as an argument; the access middleware has put it there.
impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Ready<Result<Principal, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            request
                .extensions()
                .get::<Principal>()
                .cloned()
                .ok_or_else(|| ApiError::Unauthorized("credentials required".into())),
        )
    }
}
