//! Tests of the knowledge graph, with the small fixtures they share.

mod centrality;
mod mutate;
mod path;
mod queries;
mod related;

use super::*;

/// A canonical UUID whose last group is `n`, so fixtures read as small numbers.
pub(super) fn id(n: u64) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

pub(super) fn node(n: u64, kind: NodeKind) -> GraphNode {
    GraphNode {
        id: id(n),
        kind,
        label: format!("{kind} {n}"),
        props: serde_json::json!({ "n": n }),
    }
}

pub(super) fn edge(from: u64, to: u64, kind: EdgeKind, weight: f64) -> GraphEdge {
    GraphEdge {
        from: id(from),
        to: id(to),
        kind,
        weight,
    }
}

pub(super) fn graph(
    nodes: &[(u64, NodeKind)],
    edges: &[(u64, u64, EdgeKind, f64)],
) -> KnowledgeGraph {
    KnowledgeGraph::from_rows(
        nodes.iter().map(|&(n, kind)| node(n, kind)),
        edges.iter().map(|&(a, b, kind, w)| edge(a, b, kind, w)),
    )
    .unwrap()
}

/// Rows in a canonical order, to compare graphs built in different orders.
pub(super) fn sorted_rows(g: &KnowledgeGraph) -> (Vec<GraphNode>, Vec<GraphEdge>) {
    let mut nodes: Vec<GraphNode> = g.nodes().cloned().collect();
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    let mut edges: Vec<GraphEdge> = g.edges().collect();
    edges.sort_by(|a, b| (&a.from, &a.to, a.kind).cmp(&(&b.from, &b.to, b.kind)));
    (nodes, edges)
}

/// A deterministic pseudo-random stream (SplitMix64), so fixtures need no crate.
pub(super) struct Stream(pub u64);

impl Stream {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in (0, 1].
    pub fn unit(&mut self) -> f64 {
        ((self.next() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }
}
