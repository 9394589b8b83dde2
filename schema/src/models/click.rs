//! `clicks`: one row per followed `/go/{code}` link: which site, page and offer, the referrer
//! and the time; never the visitor's address.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;

use super::link::Link;
use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::clicks;
use crate::stamp::Stamp;
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = clicks)]
pub struct Click {
    pub id: String,
    pub code: String,
    pub website_id: String,
    pub page_id: String,
    pub offer_id: String,
    pub referrer: Option<String>,
    #[diesel(deserialize_as = Stamp)]
    pub clicked_at: NaiveDateTime,
}

impl Click {
    /// Records a click on `link`.
    pub async fn record(db: &Db, link: &Link, referrer: Option<String>) -> StoreResult<Click> {
        let click = Click {
            id: new_id(),
            code: link.code.clone(),
            website_id: link.website_id.clone(),
            page_id: link.page_id.clone(),
            offer_id: link.offer_id.clone(),
            referrer,
            clicked_at: now(),
        };
        with_conn!(db, |conn| {
            diesel::insert_into(clicks::table)
                .values(&click)
                .execute(conn)
                .await?;
        });
        Ok(click)
    }

    /// Clicks per offer since `since`, for the offers in `offer_ids` that have any.
    pub async fn counts_by_offer_since(
        db: &Db,
        offer_ids: &[String],
        since: NaiveDateTime,
    ) -> StoreResult<Vec<(String, i64)>> {
        with_conn!(db, |conn| Ok(clicks::table
            .filter(clicks::offer_id.eq_any(offer_ids))
            .filter(clicks::clicked_at.ge(since))
            .group_by(clicks::offer_id)
            .select((clicks::offer_id, diesel::dsl::count_star()))
            .load(conn)
            .await?))
    }

    /// A site's clicks since `since`, oldest first.
    pub async fn for_website_since(
        db: &Db,
        website_id: &str,
        since: NaiveDateTime,
    ) -> StoreResult<Vec<Click>> {
        with_conn!(db, |conn| Ok(clicks::table
            .filter(clicks::website_id.eq(website_id))
            .filter(clicks::clicked_at.ge(since))
            .order(clicks::clicked_at.asc())
            .select(Click::as_select())
            .load(conn)
            .await?))
    }
}
