//! `/api/v1/cluster`: the nodes of this node's cluster.

pub mod nodes;
