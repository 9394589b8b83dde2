//! The graph bench's baseline: the same graph as a petgraph `UnGraph` with no ids, queried with
//! std collections and petgraph's own algorithms.

use std::collections::HashMap;

use empire_actors::intelligence::graph::{EdgeKind, NodeKind};
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;

/// The same graph, undirected, nodes numbered as generated, no ids; like the project it keeps
/// each niche's profile total, so a query walks only the shared part.
pub struct Bare {
    graph: UnGraph<NodeKind, f64>,
    totals: Vec<f64>,
}

impl Bare {
    pub fn build(
        kind_of: impl Fn(u64) -> NodeKind,
        nodes: u64,
        links: &[(u64, u64, EdgeKind, f64)],
    ) -> Bare {
        let mut graph = UnGraph::with_capacity(nodes as usize, links.len());
        for n in 0..nodes {
            graph.add_node(kind_of(n));
        }
        for &(a, b, _, weight) in links {
            graph.add_edge(
                NodeIndex::new(a as usize),
                NodeIndex::new(b as usize),
                weight,
            );
        }
        let mut bare = Bare {
            graph,
            totals: Vec::new(),
        };
        bare.totals = bare
            .graph
            .node_indices()
            .map(|at| match bare.graph[at] {
                NodeKind::Niche => bare.profile(at, NodeKind::describes_niches).values().sum(),
                _ => 0.0,
            })
            .collect();
        bare
    }

    /// Each neighbour that describes niches, with the summed weight of the edges to it.
    fn profile(&self, at: NodeIndex, keep: impl Fn(NodeKind) -> bool) -> HashMap<NodeIndex, f64> {
        let mut profile = HashMap::new();
        for edge in self.graph.edges(at) {
            let other = if edge.source() == at {
                edge.target()
            } else {
                edge.source()
            };
            if keep(self.graph[other]) {
                *profile.entry(other).or_default() += *edge.weight();
            }
        }
        profile
    }

    /// Weighted Jaccard overlap with every niche sharing a describer, best `limit` first.
    pub fn related(&self, niche: u64, limit: usize) -> Vec<(NodeIndex, f64)> {
        let niche = NodeIndex::new(niche as usize);
        let own = self.profile(niche, NodeKind::describes_niches);
        let own_total: f64 = own.values().sum();
        let mut shared: HashMap<NodeIndex, f64> = HashMap::new();
        for (&describer, &weight) in &own {
            let around = self.profile(describer, |kind| kind == NodeKind::Niche);
            for (other, w) in around {
                if other != niche {
                    *shared.entry(other).or_default() += weight.min(w);
                }
            }
        }
        let mut scored: Vec<(NodeIndex, f64)> = shared
            .into_iter()
            .filter_map(|(other, common)| {
                let union = own_total + self.totals[other.index()] - common;
                (union > 0.0).then(|| (other, (common / union).min(1.0)))
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(limit);
        scored
    }

    /// Every edge at `at`, as (other end, weight).
    pub fn neighbours(&self, at: u64) -> Vec<(NodeIndex, f64)> {
        let at = NodeIndex::new(at as usize);
        self.graph
            .edges(at)
            .map(|edge| {
                let other = if edge.source() == at {
                    edge.target()
                } else {
                    edge.source()
                };
                (other, *edge.weight())
            })
            .collect()
    }

    /// The cheapest cost from `a` to `b`, each edge costing `1 / weight`.
    pub fn distance(&self, a: u64, b: u64) -> Option<f64> {
        let (a, b) = (NodeIndex::new(a as usize), NodeIndex::new(b as usize));
        let costs = petgraph::algo::dijkstra(&self.graph, a, Some(b), |edge| 1.0 / *edge.weight());
        costs.get(&b).copied()
    }
}
