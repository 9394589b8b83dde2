//! The credential a request presents (a header, or a socket's `token` parameter), and the copy
//! a socket keeps so it can be checked again while the socket is open.

use std::fmt;
use std::future::{Ready, ready};

use actix_web::http::header::{AUTHORIZATION, HeaderMap};
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};

use super::AuthError;
use crate::error::ApiError;

/// The credential of a request: `Authorization: Bearer <jwt or key>` or `X-API-Key: <key>`.
pub fn credential(headers: &HeaderMap) -> Result<Option<String>, AuthError> {
    if let Some(value) = headers.get(AUTHORIZATION) {
        let text = value
            .to_str()
            .map_err(|_| AuthError::Invalid("malformed Authorization header".into()))?;
        let (scheme, token) = text.split_once(' ').unwrap_or((text, ""));
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(AuthError::Invalid(
                "Authorization must use the Bearer scheme".into(),
            ));
        }
        let token = token.trim();
        if token.is_empty() {
            return Err(AuthError::Invalid("empty bearer token".into()));
        }
        return Ok(Some(token.to_owned()));
    }
    if let Some(value) = headers.get("x-api-key") {
        let key = value
            .to_str()
            .map_err(|_| AuthError::Invalid("malformed X-API-Key header".into()))?;
        return Ok(Some(key.trim().to_owned()));
    }
    Ok(None)
}

/// The credential that opened a socket, put in the request by the access gate on socket routes.
/// A socket re-checks it every `auth.credential_cache_ms` and closes once it is refused.
#[derive(Clone)]
pub struct SocketCredential(String);

impl SocketCredential {
    pub fn new(credential: String) -> SocketCredential {
        SocketCredential(credential)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SocketCredential {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("SocketCredential([redacted])")
    }
}

impl FromRequest for SocketCredential {
    type Error = ApiError;
    type Future = Ready<Result<SocketCredential, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            request
                .extensions()
                .get::<SocketCredential>()
                .cloned()
                .ok_or_else(|| ApiError::Unauthorized("credentials required".into())),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_socket_credential_never_prints() {
        let shown = format!("{:?}", SocketCredential::new("mfm_secret".into()));
        assert!(!shown.contains("mfm_secret"), "{shown}");
    }
}
