//! `workflows`: durable multi-step runs; `state` records the steps done so far.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use serde_json::Value;

use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::json::Json;
use crate::page::{Page, PageRequest};
use crate::schema::workflows;
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = workflows)]
pub struct Workflow {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub input: Json<Value>,
    pub state: Json<Value>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct NewWorkflow {
    pub kind: String,
    pub status: String,
    pub input: Value,
    pub state: Value,
}

#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = workflows)]
pub struct WorkflowChanges {
    pub status: Option<String>,
    pub state: Option<Json<Value>>,
}

impl Workflow {
    pub async fn create(db: &Db, new: NewWorkflow) -> StoreResult<Workflow> {
        let at = now();
        let workflow = Workflow {
            id: new_id(),
            kind: new.kind,
            status: new.status,
            input: Json(new.input),
            state: Json(new.state),
            created_at: at,
            updated_at: at,
        };
        with_conn!(db, |conn| {
            diesel::insert_into(workflows::table)
                .values(&workflow)
                .execute(conn)
                .await?;
        });
        Ok(workflow)
    }

    pub async fn get(db: &Db, id: &str) -> StoreResult<Workflow> {
        with_conn!(db, |conn| Ok(workflows::table
            .find(id)
            .select(Workflow::as_select())
            .first(conn)
            .await?))
    }

    pub async fn list(db: &Db, page: &PageRequest) -> StoreResult<Page<Workflow>> {
        let rows = with_conn!(db, |conn| {
            let mut query = workflows::table.select(Workflow::as_select()).into_boxed();
            if let Some(cursor) = page.cursor() {
                query = query.filter(workflows::id.lt(cursor));
            }
            query
                .order(workflows::id.desc())
                .limit(page.fetch())
                .load(conn)
                .await?
        });
        Ok(Page::from_rows(rows, page, |workflow| &workflow.id))
    }

    pub async fn update(db: &Db, id: &str, changes: &WorkflowChanges) -> StoreResult<Workflow> {
        let updated = with_conn!(db, |conn| diesel::update(workflows::table.find(id))
            .set((changes, workflows::updated_at.eq(now())))
            .execute(conn)
            .await?);
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        Workflow::get(db, id).await
    }
}
