//! `leads`: visitors who answered a quiz on a website, and where they are in the funnel.

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
use crate::schema::leads;
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = leads)]
pub struct Lead {
    pub id: String,
    pub email: String,
    pub quiz_answers: Json<Value>,
    pub persona: Option<String>,
    pub funnel_stage: String,
    pub user_id: Option<String>,
    pub website_id: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct NewLead {
    pub email: String,
    pub quiz_answers: Value,
    pub persona: Option<String>,
    pub funnel_stage: String,
    pub user_id: Option<String>,
    pub website_id: Option<String>,
}

#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = leads)]
pub struct LeadChanges {
    pub persona: Option<Option<String>>,
    pub funnel_stage: Option<String>,
    pub quiz_answers: Option<Json<Value>>,
}

impl Lead {
    pub async fn create(db: &Db, new: NewLead) -> StoreResult<Lead> {
        let lead = Lead {
            id: new_id(),
            email: new.email,
            quiz_answers: Json(new.quiz_answers),
            persona: new.persona,
            funnel_stage: new.funnel_stage,
            user_id: new.user_id,
            website_id: new.website_id,
            created_at: now(),
        };
        with_conn!(db, |conn| {
            diesel::insert_into(leads::table)
                .values(&lead)
                .execute(conn)
                .await?;
        });
        Ok(lead)
    }

    pub async fn get(db: &Db, id: &str) -> StoreResult<Lead> {
        with_conn!(db, |conn| Ok(leads::table
            .find(id)
            .select(Lead::as_select())
            .first(conn)
            .await?))
    }

    pub async fn list(db: &Db, page: &PageRequest) -> StoreResult<Page<Lead>> {
        let rows = with_conn!(db, |conn| {
            let mut query = leads::table.select(Lead::as_select()).into_boxed();
            if let Some(cursor) = page.cursor() {
                query = query.filter(leads::id.lt(cursor));
            }
            query
                .order(leads::id.desc())
                .limit(page.fetch())
                .load(conn)
                .await?
        });
        Ok(Page::from_rows(rows, page, |lead| &lead.id))
    }

    pub async fn update(db: &Db, id: &str, changes: &LeadChanges) -> StoreResult<Lead> {
        let updated = with_conn!(db, |conn| diesel::update(leads::table.find(id))
            .set(changes)
            .execute(conn)
            .await?);
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        Lead::get(db, id).await
    }
}
