//! `search_outbox`: every change to a searchable row, in id order, that each node's search index
//! applies after the last id it committed. Writers add rows in the transaction of the change.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::Value;

use crate::clock::now;
use crate::db::Db;
use crate::error::StoreResult;
use crate::json::Json;
use crate::schema::search_outbox;
use crate::stamp::Stamp;
use crate::types::{DocType, OutboxOp};
use crate::with_conn;

/// One queued change to the search index. `payload` is the document to index for an upsert
/// (as the search module serialises it), `null` for a delete.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = search_outbox, treat_none_as_default_value = false)]
pub struct OutboxEntry {
    pub id: i64,
    pub doc_id: String,
    pub doc_type: DocType,
    pub op: OutboxOp,
    pub payload: Json<Value>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
}

/// A row to add; its id is assigned by the database.
#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = search_outbox, treat_none_as_default_value = false)]
pub struct NewOutboxEntry {
    pub doc_id: String,
    pub doc_type: DocType,
    pub op: OutboxOp,
    pub payload: Json<Value>,
    pub created_at: NaiveDateTime,
}

impl NewOutboxEntry {
    pub fn upsert(doc_id: &str, doc_type: DocType, payload: Value) -> Self {
        NewOutboxEntry {
            doc_id: doc_id.to_owned(),
            doc_type,
            op: OutboxOp::Upsert,
            payload: Json(payload),
            created_at: now(),
        }
    }

    pub fn delete(doc_id: &str, doc_type: DocType) -> Self {
        NewOutboxEntry {
            doc_id: doc_id.to_owned(),
            doc_type,
            op: OutboxOp::Delete,
            payload: Json(Value::Null),
            created_at: now(),
        }
    }
}

impl OutboxEntry {
    /// Adds rows on their own (writers of searchable rows add them inside their transaction).
    pub async fn enqueue(db: &Db, entries: &[NewOutboxEntry]) -> StoreResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        with_conn!(db, |conn| {
            for entry in entries {
                diesel::insert_into(search_outbox::table)
                    .values(entry)
                    .execute(conn)
                    .await?;
            }
        });
        Ok(())
    }

    /// Up to `limit` rows after id `after` (from the start for `None`), oldest first.
    pub async fn after(db: &Db, after: Option<i64>, limit: i64) -> StoreResult<Vec<OutboxEntry>> {
        let after = after.unwrap_or(0);
        with_conn!(db, |conn| Ok(search_outbox::table
            .filter(search_outbox::id.gt(after))
            .order(search_outbox::id.asc())
            .limit(limit)
            .select(OutboxEntry::as_select())
            .load(conn)
            .await?))
    }

    /// The newest id, `None` while the outbox is empty.
    pub async fn last_id(db: &Db) -> StoreResult<Option<i64>> {
        with_conn!(db, |conn| Ok(search_outbox::table
            .select(diesel::dsl::max(search_outbox::id))
            .first::<Option<i64>>(conn)
            .await?))
    }
}
