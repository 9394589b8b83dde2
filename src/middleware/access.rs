//! The per-route gate: authenticate the caller, apply its rate limit, and check the one
//! access level the route table declares for the route.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::AUTHORIZATION;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, ResponseError, web};

use crate::auth::presented::credential;
use crate::auth::{AuthError, Credential, Permission, Principal, SocketCredential};
use crate::error::ApiError;
use crate::extract::ClientIp;
use crate::ratelimit::Decision;
use crate::state::AppState;

/// What a route requires. Every route states one, in `routes::ROUTES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Probes and scrapes: no credentials, no rate limit.
    Probe,
    /// Anyone; rate limited per client IP.
    Public,
    /// Anyone, rate limited per client IP, proving itself to the route instead (a signature, a
    /// secret path, a hook's own header secret or basic auth): `Authorization` is not read as
    /// one of our credentials.
    Hook,
    /// Any valid credential.
    Authenticated,
    /// A login token (JWT), not an API key: a leaked key must not mint keys or log out sessions.
    Session,
    /// A credential holding this permission (`admin.full` holds all).
    Permission(Permission),
    /// A login token holding this permission: user management, so that a leaked API key (even
    /// `admin.full`) cannot create users, reset a password and mint a session with it.
    SessionWith(Permission),
    /// A WebSocket handshake: like `Permission`, and browsers may pass the credential as a
    /// `token` query parameter since they cannot set headers on a WebSocket.
    Socket(Permission),
}

impl Access {
    /// What the route requires, as `x-required-permission` states it.
    pub fn describe(self) -> String {
        match self {
            Access::Probe | Access::Public => "public".into(),
            Access::Hook => "public (the route checks the sender's own proof)".into(),
            Access::Authenticated => "authenticated".into(),
            Access::Session => "session".into(),
            Access::SessionWith(permission) => format!("session with {permission}"),
            Access::Permission(permission) | Access::Socket(permission) => permission.to_string(),
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
        let error = ApiError::Internal(anyhow::anyhow!("no app state"));
        return Ok(request.into_response(error.error_response()));
    };
    match authorize(access, &state, &request).await {
        Ok((principal, decision)) => {
            if let Some(principal) = principal {
                request.extensions_mut().insert(principal);
            }
            if let Access::Socket(_) = access
                && let Some(presented) = presented(&request)
            {
                request
                    .extensions_mut()
                    .insert(SocketCredential::new(presented));
            }
            let mut response = next.call(request).await?.map_into_boxed_body();
            decision.apply_headers(response.headers_mut());
            Ok(response)
        }
        Err(error) => Ok(request.into_response(error.error_response())),
    }
}

/// Authenticates, spends one token of the caller's bucket, then checks the declared access.
/// Bad credentials spend from the client IP's bucket, so guessing keys is rate limited too.
async fn authorize(
    access: Access,
    state: &AppState,
    request: &ServiceRequest,
) -> Result<(Option<Principal>, Decision), ApiError> {
    let client = ClientIp::of(request.request(), &state.config.http.trusted_proxies);
    let limits = state.limiter.config();
    let token = match access {
        Access::Socket(_) => socket_token(request),
        _ => None,
    };
    let authenticated = match token {
        _ if access == Access::Hook => Ok(None),
        Some(token) => state
            .auth
            .authenticate_credential(&token, &client)
            .await
            .map(Some),
        None => state.auth.authenticate(request.headers(), &client).await,
    };
    let principal = match authenticated {
        Ok(principal) => principal,
        Err(AuthError::Invalid(reason)) => {
            let decision = state
                .limiter
                .check(&limits.anonymous(), &client.rate_key())
                .await;
            return Err(if decision.allowed {
                ApiError::Unauthorized(reason)
            } else {
                ApiError::rate_limited(&decision)
            });
        }
        Err(AuthError::Throttled(decision)) => return Err(ApiError::rate_limited(&decision)),
        Err(AuthError::Unavailable) => {
            return Err(ApiError::Unavailable {
                detail: "credentials cannot be checked right now; try again shortly".into(),
                retry_after_s: 2,
            });
        }
    };
    let decision = match &principal {
        Some(principal) => {
            state
                .limiter
                .check(&limits.api(), &principal.rate_key())
                .await
        }
        None => {
            state
                .limiter
                .check(&limits.anonymous(), &client.rate_key())
                .await
        }
    };
    if !decision.allowed {
        return Err(ApiError::rate_limited(&decision));
    }
    let principal = match (access, principal) {
        (Access::Probe | Access::Public | Access::Hook, principal) => principal,
        (_, None) => return Err(ApiError::Unauthorized("credentials required".into())),
        (Access::Authenticated, Some(principal)) => Some(principal),
        (Access::Session | Access::SessionWith(_), Some(principal))
            if matches!(principal.credential, Credential::ApiKey { .. }) =>
        {
            return Err(ApiError::Forbidden(
                "this needs a login token, not an API key".into(),
            ));
        }
        (Access::Session, Some(principal)) => Some(principal),
        (
            Access::Permission(needed) | Access::Socket(needed) | Access::SessionWith(needed),
            Some(principal),
        ) if principal.can(needed) => Some(principal),
        (
            Access::Permission(needed) | Access::Socket(needed) | Access::SessionWith(needed),
            Some(_),
        ) => {
            return Err(ApiError::Forbidden(format!(
                "this requires the {needed} permission"
            )));
        }
    };
    Ok((principal, decision))
}

/// A socket handshake's `token` parameter, unless an `Authorization` header is given too.
fn socket_token(request: &ServiceRequest) -> Option<String> {
    query_token(request.query_string()).filter(|_| request.headers().get(AUTHORIZATION).is_none())
}

/// The credential a socket handshake was authorised with: the `token` parameter or the header.
fn presented(request: &ServiceRequest) -> Option<String> {
    socket_token(request).or_else(|| credential(request.headers()).ok().flatten())
}

/// `token=<credential>` from a query string (percent-decoded by the URL parser rules).
fn query_token(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "token")
        .map(|(_, value)| value.into_owned())
        .filter(|value| !value.is_empty())
}
