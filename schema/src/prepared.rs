//! Keeping the queue's writes prepared. Diesel prepares every `UPDATE`, and every `INSERT` that
//! may write `DEFAULT`, afresh on each call: a changeset that skips `None` fields gives one Rust
//! type several SQL texts, and its statement cache is keyed by the Rust type. On PostgreSQL
//! that is a parse on the server and a second round trip per statement (diesel-async prepares,
//! then executes); on SQLite a `sqlite3_prepare` per statement.
//!
//! [`keep_prepared`] keys a statement by its SQL text instead, so each distinct text is prepared
//! once per connection and reused: correct whatever text the statement gives, and worth it for
//! statements with few distinct texts. A statement whose text grows with its input (a batch
//! insert of n rows, `IN` with a list on SQLite) would fill the cache with one entry per size:
//! keep those as they are.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::QueryResult;

/// A statement whose prepared form the connection keeps, keyed by its SQL text.
#[derive(Debug, Clone, Copy)]
pub struct KeptPrepared<Q>(Q);

/// Wraps `statement` so the connection keeps its prepared form (see the module's note).
pub fn keep_prepared<Q>(statement: Q) -> KeptPrepared<Q> {
    KeptPrepared(statement)
}

impl<Q, DB> QueryFragment<DB> for KeptPrepared<Q>
where
    DB: Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    // Diesel 2.3 hides this method from its docs but lets it be overridden; both connections
    // (diesel-async's PostgreSQL one and its SQLite wrapper) ask it before caching.
    fn is_safe_to_cache_prepared(&self, _backend: &DB) -> QueryResult<bool> {
        Ok(true)
    }
}

/// No static id: the cache then keys the statement by its SQL text and bind types.
impl<Q> QueryId for KeptPrepared<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for KeptPrepared<Q> {
    type SqlType = Q::SqlType;
}
