//! What can go wrong with the search index.

use std::path::PathBuf;

/// An error from opening, writing or querying the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy allows one writer per directory; another `SearchIndex` (in this process or
    /// another) holds it.
    #[error(
        "the search index at {} is locked by another writer (is another empire process using this data directory?)",
        .0.display()
    )]
    Locked(PathBuf),
    #[error(
        "the search index at {} was built with another schema; delete it and run `empire index rebuild`",
        .0.display()
    )]
    SchemaMismatch(PathBuf),
    #[error("invalid search query: `{field}` {reason}")]
    InvalidQuery {
        field: &'static str,
        reason: &'static str,
    },
    #[error("invalid search document `{id}`: `{field}` {reason}")]
    InvalidDoc {
        id: String,
        field: &'static str,
        reason: &'static str,
    },
    /// The high-water mark stored with the last commit cannot be read.
    #[error("the commit payload of the search index is unreadable")]
    Payload(#[source] serde_json::Error),
    /// A stored document lacks a field every indexed document has: the index is damaged.
    #[error("a stored search document has no readable `{0}`; rebuild the index")]
    StoredField(&'static str),
    #[error("cannot create the search index directory {}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("search index failure")]
    Tantivy(#[from] tantivy::TantivyError),
}
