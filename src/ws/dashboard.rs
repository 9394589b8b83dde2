//! `GET /ws/dashboard`: the upgrade. Credentials were checked by the access gate (header or
//! `token` query); here the socket is admitted (`Origin`, caps, credential watch) and
//! `last_event_id` is handled.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::admit::{Admitted, admit};
use super::connection::{self, Feed, Filter};
use super::frames;
use crate::auth::{Permission, Principal, SocketCredential};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DashboardQuery {
    /// A JWT or API key, for browsers (which cannot set headers on a WebSocket).
    pub token: Option<String>,
    /// The highest event `id` received before a disconnect: missed events are replayed.
    pub last_event_id: Option<u64>,
    /// `worker` (on `/ws/agents/{agent_id}`, needs agents.manage): the socket becomes an
    /// instance of the agent type; see README for the worker protocol.
    pub mode: Option<String>,
}

#[utoipa::path(
    get,
    path = "/ws/dashboard",
    tag = "live",
    params(DashboardQuery),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol; see README for the frames"),
        (status = 403, description = "Origin not allowed, or the credential lacks agents.read"),
        (status = 429, description = "Rate limited, or the credential already holds ws.max_sockets_per_credential open sockets"),
        (status = 503, description = "Too many open sockets"),
    )
)]
pub async fn dashboard(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Payload,
    query: web::Query<DashboardQuery>,
    principal: Principal,
    credential: SocketCredential,
) -> Result<HttpResponse, ApiError> {
    let admitted = admit(
        &state,
        &request,
        &principal,
        credential,
        &[Permission::AgentsRead],
    )?;
    open(
        &state,
        &request,
        body,
        query.last_event_id,
        Filter::default(),
        admitted,
    )
    .await
}

/// Shared by both watching routes, once admitted: subscription, first frames, then the upgrade.
pub async fn open(
    state: &AppState,
    request: &HttpRequest,
    body: web::Payload,
    last_event_id: Option<u64>,
    filter: Filter,
    admitted: Admitted,
) -> Result<HttpResponse, ApiError> {
    let config = state.config.ws.clone();
    let subscription = state
        .runtime
        .subscribe(last_event_id)
        .await
        .ok_or_else(|| ApiError::Unavailable {
            detail: "the event bus is restarting".into(),
            retry_after_s: 1,
        })?;
    let (only, snapshots) = (filter.fixed_agent, &state.snapshots);
    let mut first = Vec::new();
    let replay = match (last_event_id, subscription.missed) {
        (Some(_), Some(missed)) => missed,
        (Some(after), None) => {
            let reason = format!("events after {after} are no longer kept");
            first.push(frames::resync(subscription.last_id, &reason).into());
            first.push(snapshots.as_of(state, subscription.last_id, only).await?);
            Vec::new()
        }
        (None, _) => {
            first.push(snapshots.as_of(state, subscription.last_id, only).await?);
            Vec::new()
        }
    };
    let (response, session, stream) = actix_ws::handle(request, body)
        .map_err(|error| ApiError::BadRequest(format!("not a WebSocket upgrade: {error}")))?;
    let feed = Feed {
        first,
        replay,
        last_id: subscription.last_id,
        live: subscription.live,
    };
    connection::spawn(session, stream, feed, filter, config, admitted);
    Ok(response)
}
