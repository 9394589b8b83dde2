//! Shortest paths between two nodes, where a strong relation is a short step.
//!
//! An edge costs `1 / weight`, so a chain of strong relations beats one weak one. Edges are
//! followed either way: the path answers "how are these two related", and relatedness does
//! not depend on which way a relation was written down.
//!
//! The search is a bidirectional Dijkstra: one frontier grows from each end, always the one
//! with the smaller queue (hubs make one side expensive; the other then catches up), and it
//! stops once the two radii add up to the best meeting found. A step is not queued when it
//! cannot beat that meeting, given that the rest of the way is at least the other side's
//! radius, nor when it enters a node the other side has settled: that meeting is recorded and
//! nothing beyond it can do better.

use petgraph::stable_graph::NodeIndex;
use serde::Serialize;

use super::frontier::Frontier;
use super::{GraphError, KnowledgeGraph};

/// A path by node ids, from the first node to the last, and its cost (Σ 1 / weight).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Path {
    pub nodes: Vec<String>,
    pub cost: f64,
}

/// Where the two searches touch: the step from a node the forward search reached to one the
/// backward search reached (the same node, with `step` 0, when start and goal coincide).
#[derive(Debug, Clone, Copy)]
struct Meeting {
    cost: f64,
    forward: NodeIndex,
    backward: NodeIndex,
    step: f64,
}

impl KnowledgeGraph {
    /// The cheapest path between two nodes, or `None` if they are not connected.
    pub fn shortest_path(&self, from: &str, to: &str) -> Result<Option<Path>, GraphError> {
        let (start, goal) = (self.resolve(from)?, self.resolve(to)?);
        let mut sides = [Frontier::new(start), Frontier::new(goal)];
        let mut best = (start == goal).then_some(Meeting {
            cost: 0.0,
            forward: start,
            backward: goal,
            step: 0.0,
        });
        // When one search runs out, its whole component is settled, so `best` is final.
        while let (Some(ahead), Some(behind)) = (sides[0].peek(), sides[1].peek()) {
            let bound = best.map_or(f64::INFINITY, |meeting| meeting.cost);
            if ahead + behind >= bound {
                break;
            }
            let side = usize::from(sides[1].queued() < sides[0].queued());
            let other_radius = if side == 0 { behind } else { ahead };
            let Some((cost, at)) = sides[side].settle() else {
                break;
            };
            for (next, weight) in self.incident(at) {
                let step = 1.0 / weight;
                let through = cost + step;
                let seen = sides[1 - side].visit(next);
                if let Some((rest, _)) = seen {
                    let total = through + rest;
                    if best.is_none_or(|meeting| total < meeting.cost) {
                        let (forward, backward) = if side == 0 { (at, next) } else { (next, at) };
                        best = Some(Meeting {
                            cost: total,
                            forward,
                            backward,
                            step,
                        });
                    }
                }
                let settled_there = seen.is_some_and(|(_, settled)| settled);
                let bound = best.map_or(f64::INFINITY, |meeting| meeting.cost);
                if !settled_there && through + other_radius < bound {
                    sides[side].improve(next, through, at);
                }
            }
        }
        Ok(best.map(|meeting| self.spell(&sides, meeting)))
    }

    /// The path of a meeting, by ids, with its cost recomputed from the final distances (a
    /// side may have shortened its part since the meeting was recorded).
    fn spell(&self, sides: &[Frontier; 2], meeting: Meeting) -> Path {
        let mut nodes: Vec<NodeIndex> = sides[0].walk_back(meeting.forward).collect();
        nodes.reverse();
        let skip = usize::from(meeting.forward == meeting.backward);
        nodes.extend(sides[1].walk_back(meeting.backward).skip(skip));
        let distance = |side: &Frontier, at| side.visit(at).map_or(0.0, |(cost, _)| cost);
        Path {
            nodes: nodes
                .into_iter()
                .map(|at| self.graph[at].id.clone())
                .collect(),
            cost: distance(&sides[0], meeting.forward)
                + meeting.step
                + distance(&sides[1], meeting.backward),
        }
    }
}
