//! `/api/v1/intelligence/*`: search, the knowledge graph, opportunity scans and keyword trends
//! (intelligence.use).

pub mod graph_node;
pub mod graph_related;
pub mod opportunity_scan;
pub mod params;
pub mod search;
pub mod trends;
pub mod views;
pub mod wait;
