//! `websites`: the affiliate sites the agents build and run; `slug` is their stable handle.

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
use crate::schema::websites;
use crate::types::WebsiteStatus;
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = websites)]
pub struct Website {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub niche: String,
    pub domain: Option<String>,
    pub status: WebsiteStatus,
    pub settings: Json<Value>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct NewWebsite {
    pub slug: String,
    pub name: String,
    pub niche: String,
    pub domain: Option<String>,
    pub status: WebsiteStatus,
    pub settings: Value,
}

#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = websites)]
pub struct WebsiteChanges {
    pub name: Option<String>,
    pub niche: Option<String>,
    pub domain: Option<Option<String>>,
    pub status: Option<WebsiteStatus>,
    pub settings: Option<Json<Value>>,
}

impl Website {
    pub async fn create(db: &Db, new: NewWebsite) -> StoreResult<Website> {
        let at = now();
        let website = Website {
            id: new_id(),
            slug: new.slug,
            name: new.name,
            niche: new.niche,
            domain: new.domain,
            status: new.status,
            settings: Json(new.settings),
            created_at: at,
            updated_at: at,
        };
        with_conn!(db, |conn| {
            diesel::insert_into(websites::table)
                .values(&website)
                .execute(conn)
                .await?;
        });
        Ok(website)
    }

    pub async fn get(db: &Db, id: &str) -> StoreResult<Website> {
        with_conn!(db, |conn| Ok(websites::table
            .find(id)
            .select(Website::as_select())
            .first(conn)
            .await?))
    }

    pub async fn get_by_slug(db: &Db, slug: &str) -> StoreResult<Website> {
        with_conn!(db, |conn| Ok(websites::table
            .filter(websites::slug.eq(slug))
            .select(Website::as_select())
            .first(conn)
            .await?))
    }

    pub async fn list(db: &Db, page: &PageRequest) -> StoreResult<Page<Website>> {
        let rows = with_conn!(db, |conn| {
            let mut query = websites::table.select(Website::as_select()).into_boxed();
            if let Some(cursor) = page.cursor() {
                query = query.filter(websites::id.lt(cursor));
            }
            query
                .order(websites::id.desc())
                .limit(page.fetch())
                .load(conn)
                .await?
        });
        Ok(Page::from_rows(rows, page, |website| &website.id))
    }

    pub async fn update(db: &Db, id: &str, changes: &WebsiteChanges) -> StoreResult<Website> {
        let updated = with_conn!(db, |conn| diesel::update(websites::table.find(id))
            .set((changes, websites::updated_at.eq(now())))
            .execute(conn)
            .await?);
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        Website::get(db, id).await
    }
}
