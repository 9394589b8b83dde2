//! `SearchIndex`: one tantivy index and its single writer, with a high-water mark that is
//! committed together with the documents.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::directory::error::LockError;
use tantivy::query::AllQuery;
use tantivy::schema::Term;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError};

use super::doc::SearchDoc;
use super::error::SearchError;
use super::fields::{Fields, register_analyzers};

/// Shared by tantivy's indexing threads; segments are flushed to disk when it fills.
const WRITER_MEMORY_BYTES: usize = 64 * 1024 * 1024;
/// The stored snippet source is the head of the body: enough for a fragment, not a second copy
/// of a long article.
const SNIPPET_SOURCE_MAX_BYTES: usize = 16 * 1024;

/// A full-text index over one directory, holding that directory's only writer for its whole
/// life. Changes are staged by [`upsert`](Self::upsert), [`delete`](Self::delete) and
/// [`clear`](Self::clear) and become visible to [`search`](Self::search) on
/// [`commit`](Self::commit). Every commit fsyncs, so callers apply a batch of changes and commit
/// once per batch, not once per document.
pub struct SearchIndex {
    pub(super) index: Index,
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    writer: IndexWriter,
    /// The mark stored with the last successful commit.
    committed_mark: Option<i64>,
    /// The mark the next commit stores.
    next_mark: Option<i64>,
}

/// What every commit stores next to the documents, as JSON in tantivy's commit payload.
#[derive(Debug, Serialize, Deserialize)]
struct CommitPayload {
    last_applied: Option<i64>,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if needed, and takes
    /// its writer lock: a second open of the same directory fails with [`SearchError::Locked`]
    /// until this one is dropped.
    pub fn open_or_create(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir).map_err(|source| SearchError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let directory = MmapDirectory::open(dir).map_err(TantivyError::from)?;
        let (schema, fields) = Fields::schema();
        let index = Index::open_or_create(directory, schema).map_err(|err| match err {
            TantivyError::SchemaError(_) => SearchError::SchemaMismatch(dir.to_path_buf()),
            other => SearchError::Tantivy(other),
        })?;
        Self::with_index(index, fields, dir.to_path_buf())
    }

    /// An index that lives in memory only, for tests and benchmarks.
    pub fn in_ram() -> Result<Self, SearchError> {
        let (schema, fields) = Fields::schema();
        Self::with_index(
            Index::create_in_ram(schema),
            fields,
            PathBuf::from(":memory:"),
        )
    }

    fn with_index(index: Index, fields: Fields, dir: PathBuf) -> Result<Self, SearchError> {
        register_analyzers(&index);
        let writer = index.writer(WRITER_MEMORY_BYTES).map_err(|err| match err {
            TantivyError::LockFailure(LockError::LockBusy, _) => SearchError::Locked(dir),
            other => SearchError::Tantivy(other),
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let committed_mark = match index.load_metas()?.payload {
            Some(payload) => {
                serde_json::from_str::<CommitPayload>(&payload)
                    .map_err(SearchError::Payload)?
                    .last_applied
            }
            None => None,
        };
        Ok(SearchIndex {
            index,
            reader,
            fields,
            writer,
            committed_mark,
            next_mark: committed_mark,
        })
    }

    /// Stages each document, replacing any earlier version with the same id. Documents before
    /// an invalid one stay staged.
    pub fn upsert(&mut self, docs: impl IntoIterator<Item = SearchDoc>) -> Result<(), SearchError> {
        for doc in docs {
            if doc.id.trim().is_empty() {
                return Err(SearchError::InvalidDoc {
                    id: doc.id,
                    field: "id",
                    reason: "must not be empty",
                });
            }
            self.writer.delete_term(self.id_term(&doc.id));
            self.writer.add_document(self.to_tantivy(doc))?;
        }
        Ok(())
    }

    /// Stages the removal of the document with this id; unknown ids are not an error.
    pub fn delete(&mut self, id: &str) {
        self.writer.delete_term(self.id_term(id));
    }

    /// Stages the removal of every document and forgets the high-water mark. Documents upserted
    /// after it survive, so a rebuild that ends with one commit swaps the contents atomically.
    pub fn clear(&mut self) -> Result<(), SearchError> {
        self.writer.delete_query(Box::new(AllQuery))?;
        self.next_mark = None;
        Ok(())
    }

    /// Makes staged changes durable and visible, keeping the current high-water mark.
    pub fn commit(&mut self) -> Result<(), SearchError> {
        let payload = serde_json::to_string(&CommitPayload {
            last_applied: self.next_mark,
        })
        .map_err(SearchError::Payload)?;
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.committed_mark = self.next_mark;
        self.reader.reload()?;
        Ok(())
    }

    /// Commits staged changes together with the id of the last outbox row they include, so a
    /// restarted node resumes after it.
    pub fn commit_through(&mut self, outbox_id: i64) -> Result<(), SearchError> {
        self.next_mark = Some(outbox_id);
        self.commit()
    }

    /// The outbox id stored with the last commit, `None` for a new or cleared index.
    pub fn last_applied(&self) -> Option<i64> {
        self.committed_mark
    }

    /// Documents visible to searches (committed ones).
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn id_term(&self, id: &str) -> Term {
        Term::from_field_text(self.fields.id, id)
    }

    fn to_tantivy(&self, doc: SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let (title_field, body_field) = f.text(doc.language);
        let mut out = TantivyDocument::default();
        out.add_text(f.id, &doc.id);
        out.add_text(f.doc_type, doc.doc_type.as_str());
        out.add_text(f.language, doc.language.as_str());
        if let Some(website_id) = &doc.website_id {
            out.add_text(f.website_id, website_id);
        }
        out.add_i64(f.updated_at_ms, doc.updated_at_ms);
        out.add_text(f.title, &doc.title);
        out.add_text(f.snippet_source, head(&doc.body, SNIPPET_SOURCE_MAX_BYTES));
        out.add_text(title_field, &doc.title);
        out.add_text(body_field, &doc.body);
        out
    }
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("last_applied", &self.committed_mark)
            .finish_non_exhaustive()
    }
}

/// The longest prefix of `text` of at most `max_bytes` that ends on a character boundary.
pub(super) fn head(text: &str, max_bytes: usize) -> &str {
    &text[..text.floor_char_boundary(max_bytes)]
}
