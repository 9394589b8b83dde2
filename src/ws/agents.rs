//! `GET /ws/agents/{agent_id}`: watch one agent type — a snapshot of it, then its tasks'
//! events and its instances' status changes.

use actix_web::{HttpRequest, HttpResponse, web};
use empire_actors::kinds::AgentId;

use super::connection::Filter;
use super::dashboard::{DashboardQuery, open};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/ws/agents/{agent_id}",
    tag = "live",
    params(("agent_id" = String, Path, description = "The agent type"), DashboardQuery),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol; see README for the frames"),
        (status = 404, description = "No such agent", body = crate::openapi::Problem),
    )
)]
pub async fn watch_agent(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Payload,
    agent_id: web::Path<String>,
    query: web::Query<DashboardQuery>,
) -> Result<HttpResponse, ApiError> {
    let agent: AgentId = agent_id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("no agent `{agent_id}`")))?;
    let filter = Filter {
        fixed_agent: Some(agent.as_str().to_owned()),
        ..Filter::default()
    };
    open(&state, &request, body, query.last_event_id, filter).await
}
