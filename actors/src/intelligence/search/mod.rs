//! A tantivy full-text index over research notes, articles, keywords and products, with
//! English and German stemming (BM25). One per node, fed from the `search_outbox` table.

mod doc;
mod error;
mod fields;
mod index;
mod kinds;
mod query;

pub use doc::{Hit, SearchDoc, SearchQuery};
pub use error::SearchError;
pub use index::SearchIndex;
pub use kinds::{DocType, Language};

#[cfg(test)]
mod tests;
