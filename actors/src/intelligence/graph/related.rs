//! Related niches: niches that share weighted keywords, products and programmes with a niche.
//!
//! A niche's profile maps each node that [describes niches](super::NodeKind::describes_niches)
//! to the summed weight of all edges (any kind, either way) between the two. Two niches are
//! scored by the weighted Jaccard index of their profiles, Σ min(w) / Σ max(w); since
//! Σ max = Σ a + Σ b − Σ min, only the shared part is walked and each niche's profile total is
//! kept up to date by the mutations, so a query costs O(degree · neighbour degree).

use petgraph::stable_graph::NodeIndex;

use super::index_map::IndexMap;
use super::neighbours::best_first;
use super::{GraphError, GraphNode, KnowledgeGraph, NodeKind};

impl KnowledgeGraph {
    /// Up to `limit` other niches with a positive overlap, best first (ties by id).
    pub fn related_niches(
        &self,
        niche_id: &str,
        limit: usize,
    ) -> Result<Vec<(&GraphNode, f64)>, GraphError> {
        let niche = self.resolve(niche_id)?;
        let kind = self.graph[niche].kind;
        if kind != NodeKind::Niche {
            return Err(GraphError::NotANiche {
                id: niche_id.to_owned(),
                kind,
            });
        }
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut profile: Vec<(NodeIndex, f64)> = self
            .incident(niche)
            .filter(|(other, _)| self.graph[*other].kind.describes_niches())
            .collect();
        merge_repeats(&mut profile);
        let own_total: f64 = profile.iter().map(|(_, weight)| weight).sum();

        let mut shared: IndexMap<f64> = IndexMap::default();
        let mut around: Vec<(NodeIndex, f64)> = Vec::new();
        for &(describer, own_weight) in &profile {
            around.clear();
            around.extend(self.incident(describer).filter(|(other, _)| {
                *other != niche && self.graph[*other].kind == NodeKind::Niche
            }));
            merge_repeats(&mut around);
            for &(other, weight) in &around {
                *shared.entry(other).or_default() += own_weight.min(weight);
            }
        }

        let mut scored: Vec<(&GraphNode, f64)> = shared
            .into_iter()
            .filter_map(|(other, common)| {
                let union = own_total + self.overlap_total[other.index()] - common;
                // The cached total may differ from a fresh sum by rounding; a score stays <= 1.
                (union > 0.0).then(|| (&self.graph[other], (common / union).min(1.0)))
            })
            .collect();
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, |a, b| best_first(*a, *b));
            scored.truncate(limit);
        }
        scored.sort_unstable_by(|a, b| best_first(*a, *b));
        Ok(scored)
    }
}

/// Sums the weights of repeated nodes (two edges between the same pair) in place.
fn merge_repeats(pairs: &mut Vec<(NodeIndex, f64)>) {
    pairs.sort_unstable_by_key(|(at, _)| *at);
    pairs.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1 += later.1;
        }
        same
    });
}
