//! `links`: one monetised link per (page, offer); `/go/{code}` looks the code up and redirects
//! to `target_url`, the network's tracking link with the click reference.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;

use crate::clock::now;
use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::links;
use crate::stamp::Stamp;
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = links)]
pub struct Link {
    /// Short, unguessable, URL-safe; the path segment of `/go/{code}`.
    pub code: String,
    pub website_id: String,
    pub page_id: String,
    pub offer_id: String,
    pub target_url: String,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
}

impl Link {
    /// Stores the link unless the page already has one for this offer; returns the stored one
    /// either way, so a re-run keeps the codes already published.
    pub async fn get_or_create(
        db: &Db,
        code: String,
        website_id: &str,
        page_id: &str,
        offer_id: &str,
        target_url: String,
    ) -> StoreResult<Link> {
        let row = Link {
            code,
            website_id: website_id.to_owned(),
            page_id: page_id.to_owned(),
            offer_id: offer_id.to_owned(),
            target_url,
            created_at: now(),
        };
        with_conn!(db, |conn| {
            diesel::insert_into(links::table)
                .values(&row)
                .on_conflict((links::page_id, links::offer_id))
                .do_nothing()
                .execute(conn)
                .await?;
            Ok(links::table
                .filter(links::page_id.eq(page_id))
                .filter(links::offer_id.eq(offer_id))
                .select(Link::as_select())
                .first(conn)
                .await?)
        })
    }

    pub async fn get(db: &Db, code: &str) -> StoreResult<Link> {
        with_conn!(db, |conn| Ok(links::table
            .find(code)
            .select(Link::as_select())
            .first(conn)
            .await?))
    }

    /// Every link leading to `offer_id`, by code.
    pub async fn for_offer(db: &Db, offer_id: &str) -> StoreResult<Vec<Link>> {
        with_conn!(db, |conn| Ok(links::table
            .filter(links::offer_id.eq(offer_id))
            .order(links::code.asc())
            .select(Link::as_select())
            .load(conn)
            .await?))
    }

    /// The offers a page links to.
    pub async fn offers_of_page(db: &Db, page_id: &str) -> StoreResult<Vec<String>> {
        with_conn!(db, |conn| Ok(links::table
            .filter(links::page_id.eq(page_id))
            .select(links::offer_id)
            .load(conn)
            .await?))
    }

    /// Sends the link with `code` to another offer: the code (in published pages) stays, the
    /// offer and target change. False when the page links that offer already.
    pub async fn repoint(
        db: &Db,
        code: &str,
        offer_id: &str,
        target_url: &str,
    ) -> StoreResult<bool> {
        let outcome = with_conn!(db, |conn| diesel::update(links::table.find(code))
            .set((
                links::offer_id.eq(offer_id),
                links::target_url.eq(target_url)
            ))
            .execute(conn)
            .await);
        match outcome {
            Ok(updated) => Ok(updated == 1),
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => Ok(false),
            Err(error) => Err(error.into()),
        }
    }

    /// Every link of a site, by page then offer.
    pub async fn for_website(db: &Db, website_id: &str) -> StoreResult<Vec<Link>> {
        with_conn!(db, |conn| Ok(links::table
            .filter(links::website_id.eq(website_id))
            .order((links::page_id.asc(), links::offer_id.asc()))
            .select(Link::as_select())
            .load(conn)
            .await?))
    }
}
