//! The neighbour query: the nodes one edge away, strongest relation first.

use std::cmp::Ordering;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::{Direction, EdgeKind, GraphError, GraphNode, KnowledgeGraph};

impl KnowledgeGraph {
    /// The nodes joined to `id` by an edge of `kind` (any kind if `None`) in `direction`, one
    /// entry per edge, sorted by weight (strongest first), then id, then edge kind.
    /// Costs O(degree · log degree) and allocates only the result.
    pub fn neighbours(
        &self,
        id: &str,
        kind: Option<EdgeKind>,
        direction: Direction,
    ) -> Result<Vec<(&GraphNode, EdgeKind, f64)>, GraphError> {
        let at = self.resolve(id)?;
        let wanted = |edge_kind: EdgeKind| kind.is_none_or(|k| k == edge_kind);
        let mut found: Vec<(NodeIndex, EdgeKind, f64)> = Vec::new();
        if matches!(direction, Direction::Out | Direction::Both) {
            found.extend(
                self.graph
                    .edges_directed(at, Outgoing)
                    .filter(|edge| wanted(edge.weight().kind))
                    .map(|edge| (edge.target(), edge.weight().kind, edge.weight().weight)),
            );
        }
        if matches!(direction, Direction::In | Direction::Both) {
            found.extend(
                self.graph
                    .edges_directed(at, Incoming)
                    .filter(|edge| wanted(edge.weight().kind))
                    .map(|edge| (edge.source(), edge.weight().kind, edge.weight().weight)),
            );
        }
        found.sort_unstable_by(|a, b| {
            b.2.total_cmp(&a.2)
                .then_with(|| self.graph[a.0].id.cmp(&self.graph[b.0].id))
                .then_with(|| a.1.cmp(&b.1))
        });
        Ok(found
            .into_iter()
            .map(|(other, kind, weight)| (&self.graph[other], kind, weight))
            .collect())
    }
}

/// Orders scored nodes best first, then by id, so equal scores come out the same way on
/// every run and every node.
pub(super) fn best_first(a: (&GraphNode, f64), b: (&GraphNode, f64)) -> Ordering {
    b.1.total_cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id))
}
