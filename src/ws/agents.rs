//! `GET /ws/agents/{agent_id}`: watch one agent type — a snapshot of it, then its tasks'
//! events and its instances' status changes.

use actix_web::{HttpRequest, HttpResponse, web};
use empire_actors::kinds::AgentId;

use super::connection::Filter;
use super::dashboard::{DashboardQuery, open};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/ws/agents/{agent_id}",
    tag = "live",
    params(("agent_id" = AgentId, Path, description = "The agent type"), DashboardQuery),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol; see README for the frames"),
        (status = 404, description = "No such agent"),
    )
)]
pub async fn watch_agent(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Payload,
    agent_id: web::Path<String>,
    query: web::Query<DashboardQuery>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let agent: AgentId = agent_id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("no agent `{agent_id}`")))?;
    match query.mode.as_deref() {
        None | Some("watch") => {}
        Some("worker") => {
            // Working tasks is managing them: the route's agents.read is not enough.
            if !principal.can(Permission::AgentsManage) {
                return Err(ApiError::Forbidden(
                    "an external worker needs the agents.manage permission".into(),
                ));
            }
            return super::worker::open(&state, &request, body, agent).await;
        }
        Some(other) => {
            return Err(ApiError::field(
                "mode",
                format!("unknown mode `{other}`; use watch or worker"),
            ));
        }
    }
    let filter = Filter {
        fixed_agent: Some(agent),
        ..Filter::default()
    };
    open(&state, &request, body, query.last_event_id, filter).await
}
