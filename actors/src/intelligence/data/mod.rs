//! The intelligence core's store-backed services: the node's search index fed from the
//! `search_outbox`, the knowledge graph loaded from and written through to its rows, keyword and
//! product imports, and keyword trends (imported history and the sites' own analytics).

mod docs;
mod error;
mod feed;
mod graph_store;
pub mod import;
mod rebuild;
mod search_service;
pub mod site_trends;
pub mod trends;

pub use docs::{article_doc, keyword_doc, note_doc, product_doc};
pub use error::DataError;
pub use graph_store::GraphService;
pub use rebuild::{RebuildProgress, rebuild};
pub use search_service::SearchService;
