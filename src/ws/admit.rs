//! What every socket handshake passes before the upgrade, watching or working: an allowed
//! `Origin`, room under the node's and the credential's socket caps, and the credential the
//! socket keeps checking while it is open.

use std::time::Duration;

use actix_web::HttpRequest;

use super::lapse::Watch;
use super::slots::Slot;
use crate::auth::{Permission, Principal, SocketCredential};
use crate::error::ApiError;
use crate::state::AppState;

/// An admitted socket: its place under the caps and the watch on its credential.
pub struct Admitted {
    pub slot: Slot,
    pub watch: Watch,
}

/// `needs`: the permissions the socket must keep holding (the route's and its mode's).
pub fn admit(
    state: &AppState,
    request: &HttpRequest,
    principal: &Principal,
    credential: SocketCredential,
    needs: &'static [Permission],
) -> Result<Admitted, ApiError> {
    check_origin(state, request)?;
    let ws = &state.config.ws;
    let slot = state
        .sockets
        .take(principal, ws.max_connections, ws.max_sockets_per_credential)?;
    let watch = Watch::new(
        state.auth.clone(),
        principal,
        credential,
        needs,
        Duration::from_millis(state.config.auth.credential_cache_ms),
    );
    Ok(Admitted { slot, watch })
}

/// A browser always sends `Origin`: it must be this server or a configured CORS origin.
fn check_origin(state: &AppState, request: &HttpRequest) -> Result<(), ApiError> {
    let Some(origin) = request
        .headers()
        .get("origin")
        .and_then(|origin| origin.to_str().ok())
    else {
        return Ok(());
    };
    let host = request.connection_info().host().to_owned();
    let same = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        == Some(host.as_str());
    if same
        || state
            .config
            .http
            .cors_origins
            .iter()
            .any(|allowed| allowed == origin)
    {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "origin {origin} may not open this socket"
        )))
    }
}
