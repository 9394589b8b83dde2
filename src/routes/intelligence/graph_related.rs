//! `GET /api/v1/intelligence/graph/related?niche=&limit=`: niches related to a niche by the
//! weighted overlap of their keywords, products and programmes.

use actix_web::web;
use empire_actors::intelligence::graph::{GraphError, KnowledgeGraph, NodeKind};
use serde::Deserialize;

use super::params::bounded;
use super::views::{GraphNodeView, RelatedNiche, RelatedNiches};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RelatedParams {
    /// The niche: its node id, or its label (case-insensitive).
    pub niche: Option<String>,
    /// 1..=100 (default 10).
    pub limit: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/intelligence/graph/related",
    tag = "intelligence",
    params(RelatedParams),
    responses(
        (status = 200, description = "Related niches, best first", body = RelatedNiches),
        (status = 404, description = "No such niche"),
        (status = 422, description = "A parameter is invalid"),
    )
)]
pub async fn graph_related(
    state: web::Data<AppState>,
    params: web::Query<RelatedParams>,
) -> Result<web::Json<RelatedNiches>, ApiError> {
    let params = params.into_inner();
    let niche = params
        .niche
        .filter(|niche| !niche.trim().is_empty())
        .ok_or_else(|| ApiError::field("niche", "must name a niche"))?;
    let limit = bounded("limit", params.limit.as_deref(), 1..=100, 10)? as usize;
    let answer = state.runtime.services().graph.read(|graph| {
        let id = find_niche(graph, niche.trim())?;
        let node = graph.node(&id)?;
        let related = match graph.related_niches(&id, limit) {
            Ok(related) => related,
            Err(GraphError::NotANiche { .. } | GraphError::UnknownNode(_)) => return None,
            Err(_) => Vec::new(),
        };
        Some(RelatedNiches {
            niche: GraphNodeView::from(node),
            related: related
                .into_iter()
                .map(|(node, overlap)| RelatedNiche {
                    node: GraphNodeView::from(node),
                    overlap,
                })
                .collect(),
        })
    });
    answer
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no niche `{niche}` in the knowledge graph")))
}

fn find_niche(graph: &KnowledgeGraph, niche: &str) -> Option<String> {
    if graph
        .node(niche)
        .is_some_and(|node| node.kind == NodeKind::Niche)
    {
        return Some(niche.to_owned());
    }
    graph
        .nodes()
        .find(|node| node.kind == NodeKind::Niche && node.label.eq_ignore_ascii_case(niche))
        .map(|node| node.id.clone())
}
