//! The graph's rows as the store keeps them (`kg_nodes`, `kg_edges`), their validation and its errors.

use serde::{Deserialize, Serialize};

use super::kinds::{EdgeKind, NodeKind};

/// The largest weight an edge may carry; weights are relation strengths, not amounts.
pub const MAX_WEIGHT: f64 = 1e6;

/// A node as stored: its id is a stable UUID (canonical lowercase, hyphenated), never a
/// petgraph index, so rows survive reloads and node removals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphNode {
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    /// Free-form attributes (volume, cpc, commission, url...) the graph itself never reads.
    pub props: serde_json::Value,
}

/// An edge as stored, naming its ends by node id. There is at most one edge per
/// `(from, to, kind)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// Strength of the relation, `0 < weight <= MAX_WEIGHT`; larger is stronger.
    pub weight: f64,
}

/// What can go wrong building, changing or querying the graph.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GraphError {
    #[error("unknown node `{0}`")]
    UnknownNode(String),
    #[error("node id `{0}` is not a canonical lowercase UUID")]
    InvalidId(String),
    #[error("weight {weight} of edge `{from}` -> `{to}` must be finite, above 0 and at most 1e6")]
    InvalidWeight {
        from: String,
        to: String,
        weight: f64,
    },
    #[error("edge from `{0}` to itself")]
    SelfLoop(String),
    #[error("node `{0}` appears twice")]
    DuplicateNode(String),
    #[error("edge `{from}` -[{kind}]-> `{to}` appears twice")]
    DuplicateEdge {
        from: String,
        to: String,
        kind: EdgeKind,
    },
    #[error("node `{id}` is a {kind}, not a niche")]
    NotANiche { id: String, kind: NodeKind },
}

/// Accepts only the form `uuid::Uuid` prints (8-4-4-4-12 lowercase hex), so one node can
/// never hide under two spellings of its id.
pub(crate) fn check_id(id: &str) -> Result<(), GraphError> {
    let well_formed = id.len() == 36
        && id.bytes().enumerate().all(|(at, byte)| match at {
            8 | 13 | 18 | 23 => byte == b'-',
            _ => byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte),
        });
    if well_formed {
        Ok(())
    } else {
        Err(GraphError::InvalidId(id.to_owned()))
    }
}

impl GraphEdge {
    /// The checks that need no graph: a usable weight and two distinct ends.
    pub(crate) fn check(&self) -> Result<(), GraphError> {
        if !(self.weight.is_finite() && self.weight > 0.0 && self.weight <= MAX_WEIGHT) {
            return Err(GraphError::InvalidWeight {
                from: self.from.clone(),
                to: self.to.clone(),
                weight: self.weight,
            });
        }
        if self.from == self.to {
            return Err(GraphError::SelfLoop(self.from.clone()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_uuids_are_ids() {
        assert!(check_id("6f1c2a3e-9b0d-4c5e-8f7a-0123456789ab").is_ok());
        for bad in [
            "",
            "42",
            "6F1C2A3E-9B0D-4C5E-8F7A-0123456789AB",
            "6f1c2a3e9b0d4c5e8f7a0123456789ab",
            "6f1c2a3e-9b0d-4c5e-8f7a-0123456789ag",
            "{6f1c2a3e-9b0d-4c5e-8f7a-0123456789a}",
        ] {
            assert_eq!(check_id(bad), Err(GraphError::InvalidId(bad.into())));
        }
    }

    #[test]
    fn weights_must_be_finite_positive_and_bounded() {
        let edge = |weight| GraphEdge {
            from: "a".into(),
            to: "b".into(),
            kind: EdgeKind::Targets,
            weight,
        };
        for good in [f64::MIN_POSITIVE, 0.5, 1.0, MAX_WEIGHT] {
            assert!(edge(good).check().is_ok(), "{good}");
        }
        for bad in [0.0, -1.0, MAX_WEIGHT * 1.01, f64::NAN, f64::INFINITY] {
            assert!(
                matches!(edge(bad).check(), Err(GraphError::InvalidWeight { .. })),
                "{bad}"
            );
        }
        let mut self_loop = edge(1.0);
        self_loop.to = "a".into();
        assert_eq!(self_loop.check(), Err(GraphError::SelfLoop("a".into())));
    }
}
