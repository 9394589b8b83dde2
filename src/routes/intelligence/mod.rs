//! `/api/v1/intelligence/*` (intelligence.use): research and opportunity scans run as tasks and
//! wait a while for their result; search, the knowledge graph and keyword trends answer at once.

pub mod graph_node;
pub mod graph_related;
pub mod opportunity_scan;
pub mod params;
pub mod research;
pub mod search;
pub mod trends;
pub mod views;
pub mod waited;
