//! What the trends report reads of the sites' own analytics: each page's target keyword, the
//! beacon's views per page path and day, and `/go` clicks per page and day.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_query;
use diesel::sql_types::{BigInt, Text, Timestamp};
use diesel_async::RunQueryDsl;

use super::analytics::day_of;
use super::llm_call::placeholders;
use super::lower;
use super::page_view::PageViews;
use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::{page_views, pages, websites};
use crate::types::Language;
use crate::with_conn;

/// A page and the keyword it targets, with its site's language and niche.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct PageKeyword {
    pub page_id: String,
    pub website_id: String,
    pub slug: String,
    pub keyword: String,
    pub language: Language,
    pub niche: String,
}

/// Clicks on one page's links on one UTC day (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct PageClicks {
    #[diesel(sql_type = Text)]
    pub page_id: String,
    #[diesel(sql_type = Text)]
    pub day: String,
    #[diesel(sql_type = BigInt)]
    pub clicks: i64,
}

impl PageKeyword {
    /// Up to `limit` pages whose site's niche is `industry` or whose keyword contains it
    /// (ignoring case); every page when `industry` is `None`.
    pub async fn matching(
        db: &Db,
        industry: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<PageKeyword>> {
        with_conn!(db, |conn| {
            let mut query = pages::table
                .inner_join(websites::table)
                .select((
                    pages::id,
                    pages::website_id,
                    pages::slug,
                    pages::keyword,
                    websites::language,
                    websites::niche,
                ))
                .into_boxed();
            if let Some(industry) = industry {
                let pattern = format!("%{}%", industry.to_lowercase());
                query = query.filter(
                    websites::niche
                        .eq(industry)
                        .or(lower(pages::keyword).like(pattern)),
                );
            }
            Ok(query.order(pages::id.asc()).limit(limit).load(conn).await?)
        })
    }
}

impl PageViews {
    /// Up to `limit` rows of views from `day` (`YYYY-MM-DD`) on, every site's.
    pub async fn since_day(db: &Db, day: &str, limit: i64) -> StoreResult<Vec<PageViews>> {
        let day = day.to_owned();
        with_conn!(db, |conn| Ok(page_views::table
            .filter(page_views::day.ge(&day))
            .order((page_views::website_id, page_views::path, page_views::day))
            .limit(limit)
            .select(PageViews::as_select())
            .load(conn)
            .await?))
    }
}

impl PageClicks {
    /// Clicks since `since`, counted per page and UTC day.
    pub async fn since(db: &Db, since: NaiveDateTime) -> StoreResult<Vec<PageClicks>> {
        let day = day_of(db, "clicked_at");
        let sql = placeholders(
            db,
            &format!(
                "SELECT page_id, {day} AS day, CAST(COUNT(*) AS BIGINT) AS clicks FROM clicks \
                 WHERE clicked_at >= ? GROUP BY page_id, {day}"
            ),
        );
        with_conn!(db, |conn| Ok(sql_query(sql.as_str())
            .bind::<Timestamp, _>(since)
            .load(conn)
            .await?))
    }
}
