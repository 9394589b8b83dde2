//! Shortest paths between two nodes, where a strong relation is a short step.
//!
//! An edge costs `1 / weight`, so a chain of strong relations beats one weak one. Edges are
//! followed either way: the path answers "how are these two related", and relatedness does
//! not depend on which way a relation was written down. The search is a bidirectional
//! Dijkstra (one frontier from each end, always growing the nearer one) that stops as soon as
//! no shorter meeting is possible, so it explores two small balls rather than one large one.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use petgraph::stable_graph::NodeIndex;
use serde::Serialize;

use super::index_map::IndexMap;
use super::{GraphError, KnowledgeGraph};

/// A path by node ids, from the first node to the last, and its cost (Σ 1 / weight).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Path {
    pub nodes: Vec<String>,
    pub cost: f64,
}

impl KnowledgeGraph {
    /// The cheapest path between two nodes, or `None` if they are not connected.
    pub fn shortest_path(&self, from: &str, to: &str) -> Result<Option<Path>, GraphError> {
        let (start, goal) = (self.resolve(from)?, self.resolve(to)?);
        let mut sides = [Frontier::new(start), Frontier::new(goal)];
        // The cheapest meeting found so far: its cost and the node where the two searches meet.
        let mut best: Option<(f64, NodeIndex)> = (start == goal).then_some((0.0, start));
        // When one search runs out, its whole component is settled, so `best` is final.
        while let (Some(ahead), Some(behind)) = (sides[0].peek(), sides[1].peek()) {
            if best.is_some_and(|(cost, _)| ahead + behind >= cost) {
                break;
            }
            let side = usize::from(behind < ahead);
            let Some((cost, at)) = sides[side].pop() else {
                break;
            };
            for (next, weight) in self.incident(at) {
                let through = cost + 1.0 / weight;
                if !sides[side].improve(next, through, at) {
                    continue;
                }
                if let Some(&rest) = sides[1 - side].dist.get(&next) {
                    let total = through + rest;
                    if best.is_none_or(|(cost, _)| total < cost) {
                        best = Some((total, next));
                    }
                }
            }
        }
        Ok(best.map(|(cost, meet)| {
            let mut nodes: Vec<NodeIndex> = sides[0].walk_back(meet).collect();
            nodes.reverse();
            nodes.extend(sides[1].walk_back(meet).skip(1));
            Path {
                nodes: nodes
                    .into_iter()
                    .map(|at| self.graph[at].id.clone())
                    .collect(),
                cost,
            }
        }))
    }
}

/// One direction of the search: tentative distances, the step each came from, and the heap.
struct Frontier {
    dist: IndexMap<f64>,
    came_from: IndexMap<NodeIndex>,
    heap: BinaryHeap<Queued>,
}

impl Frontier {
    fn new(start: NodeIndex) -> Self {
        let mut dist = IndexMap::default();
        dist.insert(start, 0.0);
        let heap = BinaryHeap::from([Queued {
            cost: 0.0,
            at: start,
        }]);
        Self {
            dist,
            came_from: IndexMap::default(),
            heap,
        }
    }

    /// The cost of the nearest unsettled node, dropping entries superseded by a cheaper one.
    fn peek(&mut self) -> Option<f64> {
        while let Some(top) = self.heap.peek() {
            if self.dist.get(&top.at).is_some_and(|&best| top.cost > best) {
                self.heap.pop();
            } else {
                return Some(top.cost);
            }
        }
        None
    }

    fn pop(&mut self) -> Option<(f64, NodeIndex)> {
        self.peek()?;
        self.heap.pop().map(|top| (top.cost, top.at))
    }

    /// Records `cost` for `at` (reached from `via`) if it beats what is known.
    fn improve(&mut self, at: NodeIndex, cost: f64, via: NodeIndex) -> bool {
        if self.dist.get(&at).is_some_and(|&known| known <= cost) {
            return false;
        }
        self.dist.insert(at, cost);
        self.came_from.insert(at, via);
        self.heap.push(Queued { cost, at });
        true
    }

    /// `at`, then each step back to this frontier's start.
    fn walk_back(&self, at: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
        std::iter::successors(Some(at), |step| self.came_from.get(step).copied())
    }
}

/// A heap entry; `BinaryHeap` is a max-heap, so the order is reversed to pop the cheapest.
#[derive(Debug, Clone, Copy)]
struct Queued {
    cost: f64,
    at: NodeIndex,
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .cost
            .total_cmp(&self.cost)
            .then_with(|| other.at.cmp(&self.at))
    }
}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Queued {}
