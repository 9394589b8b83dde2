//! The values that go in and out of the index: a document to index, a query and a hit.

use serde::{Deserialize, Serialize};

use super::kinds::{DocType, Language};

/// One document as the outbox hands it to the index. `id` is stable across updates: indexing the
/// same id again replaces the earlier version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDoc {
    pub id: String,
    pub doc_type: DocType,
    pub language: Language,
    pub title: String,
    pub body: String,
    pub website_id: Option<String>,
    pub updated_at_ms: i64,
}

/// A user's search. `q` is free text in the query-parser syntax; syntax errors are forgiven.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub q: String,
    pub doc_type: Option<DocType>,
    /// Searches only that language's fields; `None` searches both.
    pub language: Option<Language>,
    /// Between 1 and [`SearchQuery::MAX_LIMIT`].
    pub limit: usize,
}

impl SearchQuery {
    pub const DEFAULT_LIMIT: usize = 10;
    pub const MAX_LIMIT: usize = 100;
    /// Longer text is refused rather than parsed: it is never a real search and costs CPU.
    pub const MAX_QUERY_CHARS: usize = 500;

    /// A query over every type and language with the default limit.
    pub fn new(q: impl Into<String>) -> Self {
        SearchQuery {
            q: q.into(),
            doc_type: None,
            language: None,
            limit: Self::DEFAULT_LIMIT,
        }
    }
}

/// One search result, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub doc_type: DocType,
    pub language: Language,
    pub title: String,
    /// A fragment of the body, HTML-escaped, with matched words wrapped in `<b>…</b>`; the start of
    /// the body when only the title matched.
    pub snippet: String,
    /// BM25; only comparable between hits of the same search.
    pub score: f32,
    pub website_id: Option<String>,
    pub updated_at_ms: i64,
}
