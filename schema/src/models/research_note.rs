//! `research_notes`: what a `research` task found (findings per provider, competitor pages) as
//! JSON, kept for the search index (queued with the note) and the knowledge graph.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::Value;

use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::StoreResult;
use crate::json::Json;
use crate::models::search_outbox::NewOutboxEntry;
use crate::schema::{research_notes, search_outbox};
use crate::stamp::Stamp;
use crate::types::DocType;
use crate::{transaction, with_conn};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = research_notes)]
pub struct ResearchNote {
    pub id: String,
    pub topic: String,
    /// `en` or `de`.
    pub language: String,
    pub body: Json<Value>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    pub task_id: Option<String>,
}

impl ResearchNote {
    /// A new note with a fresh id, stamped now.
    pub fn new(topic: &str, language: &str, body: Value, task_id: Option<String>) -> Self {
        ResearchNote {
            id: new_id(),
            topic: topic.to_owned(),
            language: language.to_owned(),
            body: Json(body),
            created_at: now(),
            task_id,
        }
    }

    /// Stores the note and, in the same transaction, queues its search document `doc`.
    pub async fn create(db: &Db, note: &ResearchNote, doc: Value) -> StoreResult<()> {
        let entry = NewOutboxEntry::upsert(&note.id, DocType::ResearchNote, doc);
        transaction!(db, |conn| {
            diesel::insert_into(research_notes::table)
                .values(note)
                .execute(conn)
                .await?;
            diesel::insert_into(search_outbox::table)
                .values(&entry)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    pub async fn count(db: &Db) -> StoreResult<i64> {
        with_conn!(db, |conn| Ok(research_notes::table
            .count()
            .get_result(conn)
            .await?))
    }

    /// Up to `limit` notes after id `after`, by id: pages for rebuilding the search index.
    pub async fn page_after(
        db: &Db,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<ResearchNote>> {
        let after = after.unwrap_or_default().to_owned();
        with_conn!(db, |conn| Ok(research_notes::table
            .filter(research_notes::id.gt(after))
            .order(research_notes::id)
            .limit(limit)
            .select(ResearchNote::as_select())
            .load(conn)
            .await?))
    }

    pub async fn find(db: &Db, id: &str) -> StoreResult<ResearchNote> {
        with_conn!(db, |conn| Ok(research_notes::table
            .find(id)
            .select(ResearchNote::as_select())
            .first(conn)
            .await?))
    }

    /// Notes created at or after `since`, oldest first, at most `limit`.
    pub async fn since(
        db: &Db,
        since: NaiveDateTime,
        limit: i64,
    ) -> StoreResult<Vec<ResearchNote>> {
        with_conn!(db, |conn| Ok(research_notes::table
            .filter(research_notes::created_at.ge(since))
            .order((research_notes::created_at, research_notes::id))
            .limit(limit)
            .select(ResearchNote::as_select())
            .load(conn)
            .await?))
    }
}
