//! One side of the bidirectional shortest-path search: tentative distances, where each came
//! from, which are settled, and the queue.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use petgraph::stable_graph::NodeIndex;

use super::index_map::IndexMap;

#[derive(Debug, Clone, Copy)]
struct Visit {
    cost: f64,
    came_from: Option<NodeIndex>,
    settled: bool,
}

pub(super) struct Frontier {
    visits: IndexMap<Visit>,
    heap: BinaryHeap<Queued>,
}

impl Frontier {
    pub(super) fn new(start: NodeIndex) -> Self {
        let mut visits = IndexMap::default();
        let visit = Visit {
            cost: 0.0,
            came_from: None,
            settled: false,
        };
        visits.insert(start, visit);
        let heap = BinaryHeap::from([Queued {
            cost: 0.0,
            at: start,
        }]);
        Self { visits, heap }
    }

    /// The cost of the nearest unsettled node (this side's radius), dropping queue entries
    /// superseded by a cheaper one.
    pub(super) fn peek(&mut self) -> Option<f64> {
        while let Some(top) = self.heap.peek() {
            let stale = self
                .visits
                .get(&top.at)
                .is_some_and(|visit| visit.settled || top.cost > visit.cost);
            if !stale {
                return Some(top.cost);
            }
            self.heap.pop();
        }
        None
    }

    /// Entries in the queue, a cheap measure of how much work this side has ahead.
    pub(super) fn queued(&self) -> usize {
        self.heap.len()
    }

    /// Takes the nearest unsettled node; its cost is now final.
    pub(super) fn settle(&mut self) -> Option<(f64, NodeIndex)> {
        self.peek()?;
        let top = self.heap.pop()?;
        if let Some(visit) = self.visits.get_mut(&top.at) {
            visit.settled = true;
        }
        Some((top.cost, top.at))
    }

    /// The tentative (or, if settled, final) cost of `at`, if this side reached it.
    pub(super) fn visit(&self, at: NodeIndex) -> Option<(f64, bool)> {
        self.visits
            .get(&at)
            .map(|visit| (visit.cost, visit.settled))
    }

    /// Records `cost` for `at`, reached from `via`, if it beats what is known.
    pub(super) fn improve(&mut self, at: NodeIndex, cost: f64, via: NodeIndex) {
        if self.visits.get(&at).is_some_and(|known| known.cost <= cost) {
            return;
        }
        let visit = Visit {
            cost,
            came_from: Some(via),
            settled: false,
        };
        self.visits.insert(at, visit);
        self.heap.push(Queued { cost, at });
    }

    /// `at`, then each step back to this side's start.
    pub(super) fn walk_back(&self, at: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
        std::iter::successors(Some(at), |step| {
            self.visits.get(step).and_then(|visit| visit.came_from)
        })
    }
}

/// A queue entry; `BinaryHeap` is a max-heap, so the order is reversed to pop the cheapest.
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
