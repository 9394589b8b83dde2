//! `GET /api/v1/agents/{agent_id}/status`: one agent type.

use actix_web::web;
use empire_actors::kinds::AgentId;

use super::view::{AgentView, agent_views};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/agents/{agent_id}/status",
    tag = "agents",
    params(("agent_id" = AgentId, Path, description = "The agent type")),
    responses((status = 200, description = "The agent type", body = AgentView), (status = 404, description = "No such agent"))
)]
pub async fn agent_status(
    state: web::Data<AppState>,
    agent_id: web::Path<String>,
) -> Result<web::Json<AgentView>, ApiError> {
    let agent: AgentId = agent_id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("no agent `{agent_id}`")))?;
    let view = agent_views(&state, Some(agent)).await?.into_iter().next();
    view.map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no agent `{agent_id}`")))
}
