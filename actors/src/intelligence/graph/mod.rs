//! The knowledge graph: niches, keywords, products, programmes, websites and articles joined by
//! weighted, typed relations, held in memory over petgraph and loaded from / saved to rows.
//!
//! Nodes are known by stable UUID text; petgraph indices never leave this module. The graph is
//! a `StableDiGraph` so that removing a node leaves every other index valid.
//!
//! Queries: [`KnowledgeGraph::neighbours`], [`KnowledgeGraph::shortest_path`] (strong relations
//! are short: an edge costs `1 / weight`, followed either way), [`KnowledgeGraph::related_niches`]
//! (weighted Jaccard overlap of keywords, products and programmes) and
//! [`KnowledgeGraph::centrality`] (weighted PageRank).

mod centrality;
mod frontier;
mod index_map;
mod kinds;
mod mutate;
mod neighbours;
mod path;
mod related;
pub(crate) mod rows;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};

pub use kinds::{Direction, EdgeKind, NodeKind, UnknownName};
pub use mutate::Upserted;
pub use path::Path;
pub use rows::{GraphEdge, GraphError, GraphNode, MAX_WEIGHT};

/// What an edge carries inside the graph; its ends are the petgraph endpoints.
#[derive(Debug, Clone, Copy, PartialEq)]
struct EdgeData {
    kind: EdgeKind,
    weight: f64,
}

/// The in-memory graph. Cheap queries borrow from it; keep it behind one owner (an actor or
/// a lock) and write changes through to the store as rows.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeGraph {
    graph: StableDiGraph<GraphNode, EdgeData>,
    index: HashMap<String, NodeIndex>,
    /// Per niche (by node index), the summed weight of its edges to nodes that
    /// [describe niches](NodeKind::describes_niches): the denominator side of
    /// [`related_niches`](Self::related_niches), kept up to date on every change so a query
    /// never has to walk a candidate niche's whole adjacency. 0 for other kinds.
    overlap_total: Vec<f64>,
}

impl KnowledgeGraph {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds the graph from stored rows. Rows must be unique by id and by
    /// `(from, to, kind)`; an edge naming a node absent from `nodes` is an error naming it.
    pub fn from_rows(
        nodes: impl IntoIterator<Item = GraphNode>,
        edges: impl IntoIterator<Item = GraphEdge>,
    ) -> Result<Self, GraphError> {
        let mut graph = Self::new();
        for node in nodes {
            if graph.index.contains_key(&node.id) {
                return Err(GraphError::DuplicateNode(node.id));
            }
            graph.upsert_node(node)?;
        }
        let mut links: Vec<(NodeIndex, NodeIndex, EdgeKind, f64)> = Vec::new();
        for edge in edges {
            edge.check()?;
            let (a, b) = (graph.resolve(&edge.from)?, graph.resolve(&edge.to)?);
            links.push((a, b, edge.kind, edge.weight));
        }
        // Adding edges grouped by source lays each node's out-list out contiguously, which
        // queries walk much faster than lists scattered over the whole edge array; sorting also
        // finds duplicate rows without a hash set.
        links.sort_unstable_by_key(|&(a, b, kind, _)| (a, b, kind));
        if let Some(twice) = links
            .windows(2)
            .find(|w| (w[0].0, w[0].1, w[0].2) == (w[1].0, w[1].1, w[1].2))
        {
            let (a, b, kind, _) = twice[0];
            return Err(GraphError::DuplicateEdge {
                from: graph.graph[a].id.clone(),
                to: graph.graph[b].id.clone(),
                kind,
            });
        }
        // Headroom, so the first edges added after a load do not copy the whole edge array.
        graph
            .graph
            .reserve_exact_edges(links.len() + links.len() / 8);
        for (a, b, kind, weight) in links {
            graph.insert_edge(a, b, kind, weight);
        }
        Ok(graph)
    }

    pub fn node(&self, id: &str) -> Option<&GraphNode> {
        self.index
            .get(id)
            .and_then(|&at| self.graph.node_weight(at))
    }

    /// The weight of the edge `(from, to, kind)`, if there is one.
    pub fn edge(&self, from: &str, to: &str, kind: EdgeKind) -> Option<f64> {
        let (&a, &b) = (self.index.get(from)?, self.index.get(to)?);
        let at = self.find_edge(a, b, kind)?;
        self.graph.edge_weight(at).map(|data| data.weight)
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Every node, as the row to store.
    pub fn nodes(&self) -> impl Iterator<Item = &GraphNode> + '_ {
        self.graph.node_weights()
    }

    /// Every edge, as the row to store (ends named by id).
    pub fn edges(&self) -> impl Iterator<Item = GraphEdge> + '_ {
        self.graph.edge_references().map(|edge| GraphEdge {
            from: self.graph[edge.source()].id.clone(),
            to: self.graph[edge.target()].id.clone(),
            kind: edge.weight().kind,
            weight: edge.weight().weight,
        })
    }

    /// Every edge touching `at`, either way, as (other end, weight).
    fn incident(&self, at: NodeIndex) -> impl Iterator<Item = (NodeIndex, f64)> + '_ {
        let out = self.graph.edges_directed(at, Outgoing);
        let inc = self.graph.edges_directed(at, Incoming);
        out.map(|edge| (edge.target(), edge.weight().weight))
            .chain(inc.map(|edge| (edge.source(), edge.weight().weight)))
    }

    fn resolve(&self, id: &str) -> Result<NodeIndex, GraphError> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| GraphError::UnknownNode(id.to_owned()))
    }
}
