//! Changing the graph: upserting and removing nodes and edges, keeping the id index and the
//! niches' overlap totals true.

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::rows::check_id;
use super::{EdgeData, EdgeKind, GraphEdge, GraphError, GraphNode, KnowledgeGraph, NodeKind};

/// Whether an upsert created the row or changed an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Inserted,
    Updated,
}

impl KnowledgeGraph {
    /// Inserts the node, or replaces the kind, label and props of the node with its id.
    pub fn upsert_node(&mut self, node: GraphNode) -> Result<Upserted, GraphError> {
        check_id(&node.id)?;
        if let Some(&at) = self.index.get(&node.id) {
            let old_kind = self.graph[at].kind;
            let new_kind = node.kind;
            self.graph[at] = node;
            if old_kind != new_kind {
                self.recount_around(at);
            }
            return Ok(Upserted::Updated);
        }
        let id = node.id.clone();
        let at = self.graph.add_node(node);
        self.index.insert(id, at);
        // StableGraph reuses the slots of removed nodes, so a fresh node may land on a stale total.
        if self.overlap_total.len() <= at.index() {
            self.overlap_total.resize(at.index() + 1, 0.0);
        }
        self.overlap_total[at.index()] = 0.0;
        Ok(Upserted::Inserted)
    }

    /// Removes the node and every edge touching it; all other ids stay resolvable.
    pub fn remove_node(&mut self, id: &str) -> Option<GraphNode> {
        let at = self.index.remove(id)?;
        let touching: Vec<(NodeIndex, f64)> = self.incident(at).collect();
        for (other, weight) in touching {
            self.adjust_overlap(at, other, -weight);
        }
        self.overlap_total[at.index()] = 0.0;
        self.graph.remove_node(at)
    }

    /// Inserts the edge, or sets the weight of the edge with the same `(from, to, kind)`.
    pub fn upsert_edge(&mut self, edge: &GraphEdge) -> Result<Upserted, GraphError> {
        edge.check()?;
        let (a, b) = (self.resolve(&edge.from)?, self.resolve(&edge.to)?);
        let Some(at) = self.find_edge(a, b, edge.kind) else {
            self.insert_edge(a, b, edge.kind, edge.weight);
            return Ok(Upserted::Inserted);
        };
        let data = &mut self.graph[at];
        let delta = edge.weight - data.weight;
        data.weight = edge.weight;
        self.adjust_overlap(a, b, delta);
        Ok(Upserted::Updated)
    }

    /// Adds an edge known to be new and valid.
    pub(super) fn insert_edge(&mut self, a: NodeIndex, b: NodeIndex, kind: EdgeKind, weight: f64) {
        self.graph.add_edge(a, b, EdgeData { kind, weight });
        self.adjust_overlap(a, b, weight);
    }

    /// Removes the edge `(from, to, kind)` and returns it, or `None` if there was none.
    pub fn remove_edge(&mut self, from: &str, to: &str, kind: EdgeKind) -> Option<GraphEdge> {
        let (&a, &b) = (self.index.get(from)?, self.index.get(to)?);
        let at = self.find_edge(a, b, kind)?;
        let data = self.graph.remove_edge(at)?;
        self.adjust_overlap(a, b, -data.weight);
        Some(GraphEdge {
            from: from.to_owned(),
            to: to.to_owned(),
            kind,
            weight: data.weight,
        })
    }

    /// Finds the edge `a -[kind]-> b` by walking `a`'s out-list and `b`'s in-list in step: the
    /// edge is on both, so the search ends after twice the shorter list, which keeps upserts
    /// cheap even when one end is a hub with a hundred thousand edges.
    pub(super) fn find_edge(
        &self,
        a: NodeIndex,
        b: NodeIndex,
        kind: EdgeKind,
    ) -> Option<EdgeIndex> {
        let mut outgoing = self.graph.edges_directed(a, Outgoing);
        let mut incoming = self.graph.edges_directed(b, Incoming);
        loop {
            let edge = outgoing.next()?;
            if edge.target() == b && edge.weight().kind == kind {
                return Some(edge.id());
            }
            let edge = incoming.next()?;
            if edge.source() == a && edge.weight().kind == kind {
                return Some(edge.id());
            }
        }
    }

    /// Adds `delta` to the overlap total of the niche end of an edge between `a` and `b`, when
    /// the other end describes niches.
    fn adjust_overlap(&mut self, a: NodeIndex, b: NodeIndex, delta: f64) {
        let (kind_a, kind_b) = (self.graph[a].kind, self.graph[b].kind);
        let niche = if kind_a == NodeKind::Niche && kind_b.describes_niches() {
            a
        } else if kind_b == NodeKind::Niche && kind_a.describes_niches() {
            b
        } else {
            return;
        };
        let total = &mut self.overlap_total[niche.index()];
        // Rounding after many updates must not leave a removed weight slightly negative.
        *total = (*total + delta).max(0.0);
    }

    /// After a node changed kind, recounts its own total and those of the niches around it.
    fn recount_around(&mut self, at: NodeIndex) {
        let mut niches: Vec<NodeIndex> = self.graph.neighbors_undirected(at).collect();
        niches.push(at);
        niches.sort_unstable();
        niches.dedup();
        for niche in niches {
            self.overlap_total[niche.index()] = self.count_overlap(niche);
        }
    }

    fn count_overlap(&self, niche: NodeIndex) -> f64 {
        if self.graph[niche].kind != NodeKind::Niche {
            return 0.0;
        }
        self.incident(niche)
            .filter(|(other, _)| self.graph[*other].kind.describes_niches())
            .map(|(_, weight)| weight)
            .sum()
    }
}
