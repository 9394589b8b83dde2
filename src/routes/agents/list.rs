//! `GET /api/v1/agents`: every agent type with its instances, queue and task kinds.

use actix_web::web;

use super::view::{AgentView, agent_views};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/agents",
    tag = "agents",
    responses((status = 200, description = "The agent types", body = Vec<AgentView>))
)]
pub async fn list_agents(
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<AgentView>>, ApiError> {
    Ok(web::Json(agent_views(&state, None).await?))
}
