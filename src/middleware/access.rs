//! The per-route gate: authenticate the caller, apply its rate limit, and check the one
//! access level the route table declares for the route.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, ResponseError, web};

use crate::auth::{AuthError, Credential, Permission, Principal};
use crate::error::ApiError;
use crate::extract::ClientIp;
use crate::state::AppState;

/// What a route requires. Every route states one, in `routes::ROUTES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Probes and scrapes: no credentials, no rate limit.
    Probe,
    /// Anyone; rate limited per client IP.
    Public,
    /// Any valid credential.
    Authenticated,
    /// A login token (JWT), not an API key: a leaked key must not mint keys or log out sessions.
    Session,
    /// A credential holding this permission (`admin.full` holds all).
    Permission(Permission),
}

impl Access {
    pub fn describe(self) -> &'static str {
        match self {
            Access::Probe | Access::Public => "public",
            Access::Authenticated => "authenticated",
            Access::Session => "session",
            Access::Permission(permission) => permission.as_str(),
        }
    }
}

pub async fn check(
    access: Access,
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if access == Access::Probe {
        return next
            .call(request)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let Some(state) = request.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(request
            .into_response(ApiError::Internal(anyhow::anyhow!("no app state")).error_response()));
    };
    match authorize(access, &state, &request).await {
        Ok(principal) => {
            if let Some(principal) = principal {
                request.extensions_mut().insert(principal);
            }
            next.call(request)
                .await
                .map(ServiceResponse::map_into_boxed_body)
        }
        Err(error) => Ok(request.into_response(error.error_response())),
    }
}

async fn authorize(
    access: Access,
    state: &AppState,
    request: &ServiceRequest,
) -> Result<Option<Principal>, ApiError> {
    let client = ClientIp::of(request.request(), state.config.http.trust_forwarded_for);
    let principal = match state.auth.authenticate(request.headers()).await {
        Ok(principal) => principal,
        Err(AuthError::Invalid(reason)) => return Err(ApiError::Unauthorized(reason)),
        Err(AuthError::Unavailable) => {
            return Err(ApiError::Unavailable {
                detail: "credentials cannot be checked right now; try again shortly".into(),
                retry_after_s: 2,
            });
        }
    };
    let _rate_key = match &principal {
        Some(principal) => principal.rate_key(),
        None => client.rate_key(),
    };
    match (access, principal) {
        (Access::Probe | Access::Public, principal) => Ok(principal),
        (_, None) => Err(ApiError::Unauthorized("credentials required".into())),
        (Access::Authenticated, Some(principal)) => Ok(Some(principal)),
        (Access::Session, Some(principal)) => match principal.credential {
            Credential::Jwt { .. } => Ok(Some(principal)),
            Credential::ApiKey { .. } => Err(ApiError::Forbidden(
                "this needs a login token, not an API key".into(),
            )),
        },
        (Access::Permission(needed), Some(principal)) if principal.can(needed) => {
            Ok(Some(principal))
        }
        (Access::Permission(needed), Some(_)) => Err(ApiError::Forbidden(format!(
            "this requires the {needed} permission"
        ))),
    }
}
