//! What clients see of search hits and graph nodes.

use empire_actors::intelligence::graph::{EdgeKind, GraphNode, NodeKind};
use empire_actors::intelligence::search::{DocType, Hit, Language};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    /// Best first.
    pub hits: Vec<HitView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HitView {
    pub id: String,
    #[serde(rename = "type")]
    pub doc_type: DocType,
    pub language: Language,
    pub title: String,
    /// HTML-escaped, matched words in `<b>…</b>`.
    pub snippet: String,
    /// BM25; comparable only within one search.
    pub score: f32,
    pub website_id: Option<String>,
}

impl From<Hit> for HitView {
    fn from(hit: Hit) -> Self {
        HitView {
            id: hit.id,
            doc_type: hit.doc_type,
            language: hit.language,
            title: hit.title,
            snippet: hit.snippet,
            score: hit.score,
            website_id: hit.website_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GraphNodeView {
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    #[schema(value_type = Object)]
    pub props: Value,
}

impl From<&GraphNode> for GraphNodeView {
    fn from(node: &GraphNode) -> Self {
        GraphNodeView {
            id: node.id.clone(),
            kind: node.kind,
            label: node.label.clone(),
            props: node.props.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NodeWithNeighbours {
    pub node: GraphNodeView,
    /// One entry per edge, either direction, strongest first.
    pub neighbours: Vec<Neighbour>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Neighbour {
    pub node: GraphNodeView,
    pub edge: EdgeKind,
    pub weight: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedNiches {
    pub niche: GraphNodeView,
    /// Best first.
    pub related: Vec<RelatedNiche>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedNiche {
    pub node: GraphNodeView,
    /// Weighted Jaccard overlap of keywords, products and programmes, 0–1.
    pub overlap: f64,
}
