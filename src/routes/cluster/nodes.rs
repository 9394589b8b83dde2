//! `GET /api/v1/cluster`: every node this node knows, itself first, with status, last
//! heartbeat, agents hosted and load.

use actix_web::web;
use empire_actors::cluster::NodeView;
use serde::Serialize;

use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClusterView {
    /// The cluster's name (its nodes share agents).
    pub name: String,
    /// False for a single node (`cluster.enabled = false`).
    pub enabled: bool,
    pub nodes: Vec<NodeView>,
}

#[utoipa::path(
    get,
    path = "/api/v1/cluster",
    tag = "cluster",
    responses((status = 200, description = "The cluster's nodes", body = ClusterView))
)]
pub async fn cluster_nodes(state: web::Data<AppState>) -> web::Json<ClusterView> {
    web::Json(ClusterView {
        name: state.config.cluster.name.clone(),
        enabled: state.config.cluster.enabled,
        nodes: state.runtime.nodes().await,
    })
}
