//! `GET /api/v1/intelligence/graph/nodes/{id}`: a knowledge-graph node and its neighbours.

use actix_web::web;
use empire_actors::intelligence::graph::Direction;

use super::views::{GraphNodeView, Neighbour, NodeWithNeighbours};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/v1/intelligence/graph/nodes/{id}",
    tag = "intelligence",
    params(("id" = String, Path, description = "The node's UUID")),
    responses(
        (status = 200, description = "The node and its neighbours, strongest edge first", body = NodeWithNeighbours),
        (status = 404, description = "No such node"),
    )
)]
pub async fn graph_node(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<web::Json<NodeWithNeighbours>, ApiError> {
    let found = state.runtime.services().graph.read(|graph| {
        let node = graph.node(&id)?;
        let neighbours = graph
            .neighbours(&id, None, Direction::Both)
            .unwrap_or_default()
            .into_iter()
            .map(|(other, edge, weight)| Neighbour {
                node: GraphNodeView::from(other),
                edge,
                weight,
            })
            .collect();
        Some(NodeWithNeighbours {
            node: GraphNodeView::from(node),
            neighbours,
        })
    });
    found
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no graph node `{id}`")))
}
