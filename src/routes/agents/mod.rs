//! `/api/v1/agents`: the agent types, their instances across the cluster, and their task kinds.

pub mod list;
pub mod status;
pub mod view;
