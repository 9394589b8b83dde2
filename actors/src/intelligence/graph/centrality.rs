//! Centrality by weighted PageRank, used to decide which niches, keywords and offers to work
//! on first.
//!
//! Rank flows along edge directions (see [`EdgeKind`](super::EdgeKind) for the convention:
//! towards what a node is about), split in proportion to edge weight. A node with no outgoing
//! edge spreads its rank evenly over all nodes, as does the random jump (damping 0.85).
//! petgraph 0.8's `page_rank` is unweighted and quadratic in the node count, so this is
//! written here: each iteration is one pass over a flat edge list.

use std::collections::HashMap;

use petgraph::stable_graph::NodeIndex;
use petgraph::visit::{EdgeRef, IntoEdgeReferences};

use super::neighbours::best_first;
use super::{GraphNode, KnowledgeGraph, NodeKind};

const DAMPING: f64 = 0.85;
const MAX_ITERATIONS: usize = 100;
/// Stop once an iteration moves less than this much rank in total (L1).
const TOLERANCE: f64 = 1e-10;

impl KnowledgeGraph {
    /// Every node's PageRank by id; the values sum to 1 (empty graph: empty map).
    /// O(iterations · (nodes + edges)); callers that ask often should keep the answer.
    pub fn centrality(&self) -> HashMap<String, f64> {
        self.page_rank()
            .into_iter()
            .map(|(at, rank)| (self.graph[at].id.clone(), rank))
            .collect()
    }

    /// The `n` most central nodes of `kind`, most central first (ties by id).
    pub fn top_by_centrality(&self, kind: NodeKind, n: usize) -> Vec<(&GraphNode, f64)> {
        let mut ranked: Vec<(&GraphNode, f64)> = self
            .page_rank()
            .into_iter()
            .map(|(at, rank)| (&self.graph[at], rank))
            .filter(|(node, _)| node.kind == kind)
            .collect();
        if ranked.len() > n && n > 0 {
            ranked.select_nth_unstable_by(n - 1, |a, b| best_first(*a, *b));
        }
        ranked.truncate(n);
        ranked.sort_unstable_by(|a, b| best_first(*a, *b));
        ranked
    }

    fn page_rank(&self) -> Vec<(NodeIndex, f64)> {
        let nodes: Vec<NodeIndex> = self.graph.node_indices().collect();
        let count = nodes.len();
        if count == 0 {
            return Vec::new();
        }
        // Stable indices have holes where nodes were removed; rank over a dense numbering.
        let bound = nodes.iter().map(|at| at.index() + 1).max().unwrap_or(0);
        let mut dense = vec![0usize; bound];
        for (position, at) in nodes.iter().enumerate() {
            dense[at.index()] = position;
        }
        let mut out_weight = vec![0.0f64; count];
        let mut links: Vec<(usize, usize, f64)> = Vec::with_capacity(self.graph.edge_count());
        for edge in self.graph.edge_references() {
            let (from, to) = (dense[edge.source().index()], dense[edge.target().index()]);
            out_weight[from] += edge.weight().weight;
            links.push((from, to, edge.weight().weight));
        }
        for link in &mut links {
            link.2 /= out_weight[link.0];
        }

        let share = 1.0 / count as f64;
        let mut rank = vec![share; count];
        let mut next = vec![0.0f64; count];
        for _ in 0..MAX_ITERATIONS {
            let dangling: f64 = rank
                .iter()
                .zip(&out_weight)
                .filter(|(_, out)| **out == 0.0)
                .map(|(r, _)| r)
                .sum();
            next.fill((1.0 - DAMPING) * share + DAMPING * dangling * share);
            for &(from, to, part) in &links {
                next[to] += DAMPING * rank[from] * part;
            }
            // Rounding drifts the sum a little each pass; renormalising keeps it at 1.
            let total: f64 = next.iter().sum();
            next.iter_mut().for_each(|r| *r /= total);
            let moved: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
            std::mem::swap(&mut rank, &mut next);
            if moved < TOLERANCE {
                break;
            }
        }
        nodes.into_iter().zip(rank).collect()
    }
}
