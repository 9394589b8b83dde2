//! `GET /ws/agents/{agent_id}`: watch one agent type — a snapshot of it, then its tasks'
//! events and its instances' status changes.

use actix_web::{HttpRequest, HttpResponse, web};
use empire_actors::kinds::AgentId;

use super::admit::admit;
use super::connection::Filter;
use super::dashboard::{DashboardQuery, open};
use crate::auth::{Permission, Principal, SocketCredential};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/ws/agents/{agent_id}",
    tag = "live",
    params(("agent_id" = AgentId, Path, description = "The agent type"), DashboardQuery),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol; see README for the frames"),
        (status = 403, description = "Origin not allowed, or the credential lacks agents.read (and agents.manage in worker mode)"),
        (status = 404, description = "No such agent"),
        (status = 429, description = "Rate limited, or the credential already holds ws.max_sockets_per_credential open sockets"),
        (status = 503, description = "Too many open sockets"),
    )
)]
pub async fn watch_agent(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Payload,
    agent_id: web::Path<String>,
    query: web::Query<DashboardQuery>,
    principal: Principal,
    credential: SocketCredential,
) -> Result<HttpResponse, ApiError> {
    let agent: AgentId = agent_id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("no agent `{agent_id}`")))?;
    let working = match query.mode.as_deref() {
        None | Some("watch") => false,
        Some("worker") => true,
        Some(other) => {
            return Err(ApiError::field(
                "mode",
                format!("unknown mode `{other}`; use watch or worker"),
            ));
        }
    };
    // Working tasks is managing them: the route's agents.read is not enough.
    if working && !principal.can(Permission::AgentsManage) {
        return Err(ApiError::Forbidden(
            "an external worker needs the agents.manage permission".into(),
        ));
    }
    let needs: &'static [Permission] = if working {
        &[Permission::AgentsRead, Permission::AgentsManage]
    } else {
        &[Permission::AgentsRead]
    };
    let admitted = admit(&state, &request, &principal, credential, needs)?;
    if working {
        return super::worker::open(&state, &request, body, agent, admitted).await;
    }
    let filter = Filter {
        fixed_agent: Some(agent),
        ..Filter::default()
    };
    open(
        &state,
        &request,
        body,
        query.last_event_id,
        filter,
        admitted,
    )
    .await
}
