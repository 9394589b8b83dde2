//! Rollups for the analytics views: page views, clicks, earning sales and LLM spend in a window,
//! grouped by day, page, offer, website or currency, counted and summed by the database.

use chrono::NaiveDateTime;
use diesel::sql_query;
use diesel::sql_types::{BigInt, Text, Timestamp};
use diesel_async::RunQueryDsl;

use super::llm_call::placeholders;
use crate::db::{Backend, Db};
use crate::error::StoreResult;
use crate::with_conn;

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `count` = `total` = views.
    Views,
    /// `count` = clicks; `total` = 0.
    Clicks,
    /// Pending and approved sales in EUR: `count` = sales, `total` = commission in cents.
    SalesEur,
    /// Pending and approved sales in every currency: grouped by [`By::Currency`] only.
    Sales,
    /// LLM calls: `count` = calls, `total` = cost in micro-EUR.
    LlmCost,
}

/// How rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// `YYYY-MM-DD`, UTC.
    Day,
    /// A page id (clicks, sales) or path (views).
    Page,
    Offer,
    /// The website id, `""` for what no website is attributed.
    Website,
    Currency,
}

/// One group: its key, how many, and the summed amount.
#[derive(Debug, Clone, PartialEq, Eq, diesel::QueryableByName)]
pub struct Metric {
    #[diesel(sql_type = Text)]
    pub key: String,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

struct Table {
    name: &'static str,
    time: &'static str,
    count: &'static str,
    total: &'static str,
    filter: &'static str,
}

fn table(source: Source) -> Table {
    match source {
        Source::Views => Table {
            name: "page_views",
            time: "day",
            count: "SUM(views)",
            total: "SUM(views)",
            filter: "",
        },
        Source::Clicks => Table {
            name: "clicks",
            time: "clicked_at",
            count: "COUNT(*)",
            total: "0",
            filter: "",
        },
        Source::SalesEur => Table {
            name: "conversions",
            time: "occurred_at",
            count: "COUNT(*)",
            total: "SUM(commission_cents)",
            filter: " AND status IN ('pending', 'approved') AND currency = 'EUR'",
        },
        Source::Sales => Table {
            name: "conversions",
            time: "occurred_at",
            count: "COUNT(*)",
            total: "SUM(commission_cents)",
            filter: " AND status IN ('pending', 'approved')",
        },
        Source::LlmCost => Table {
            name: "llm_calls",
            time: "created_at",
            count: "COUNT(*)",
            total: "SUM(cost_micro_eur)",
            filter: "",
        },
    }
}

/// `source` since `since` (for views: from its day on), of one website or all, grouped `by`,
/// in key order. A grouping the source has no column for (views by offer) is empty.
pub async fn rollup(
    db: &Db,
    source: Source,
    by: By,
    website_id: Option<&str>,
    since: NaiveDateTime,
) -> StoreResult<Vec<Metric>> {
    let t = table(source);
    let key = match (by, source) {
        (By::Day, Source::Views) => "day".to_owned(),
        (By::Day, _) => day_of(db, t.time),
        (By::Page, Source::Views) => "path".to_owned(),
        (By::Page, Source::LlmCost) | (By::Offer, Source::Views | Source::LlmCost) => {
            return Ok(Vec::new());
        }
        (By::Page, _) => "COALESCE(page_id, '')".to_owned(),
        (By::Offer, _) => "COALESCE(offer_id, '')".to_owned(),
        (By::Website, _) => "COALESCE(website_id, '')".to_owned(),
        (By::Currency, Source::Sales | Source::SalesEur) => "currency".to_owned(),
        (By::Currency, _) => return Ok(Vec::new()),
    };
    let website = if website_id.is_some() {
        " AND website_id = ?"
    } else {
        ""
    };
    let sql = placeholders(
        db,
        &format!(
            "SELECT {key} AS key, CAST(COALESCE({count}, 0) AS BIGINT) AS count, \
             CAST(COALESCE({total}, 0) AS BIGINT) AS total FROM {name} \
             WHERE {time} >= ?{website}{filter} GROUP BY {key} ORDER BY {key}",
            count = t.count,
            total = t.total,
            name = t.name,
            time = t.time,
            filter = t.filter,
        ),
    );
    let day = since.format("%Y-%m-%d").to_string();
    with_conn!(db, |conn| {
        let rows = match (source, website_id) {
            (Source::Views, Some(id)) => {
                sql_query(sql.as_str())
                    .bind::<Text, _>(&day)
                    .bind::<Text, _>(id)
                    .load(conn)
                    .await?
            }
            (Source::Views, None) => {
                sql_query(sql.as_str())
                    .bind::<Text, _>(&day)
                    .load(conn)
                    .await?
            }
            (_, Some(id)) => {
                sql_query(sql.as_str())
                    .bind::<Timestamp, _>(since)
                    .bind::<Text, _>(id)
                    .load(conn)
                    .await?
            }
            (_, None) => {
                sql_query(sql.as_str())
                    .bind::<Timestamp, _>(since)
                    .load(conn)
                    .await?
            }
        };
        Ok(rows)
    })
}

/// The UTC day of a timestamp column as `YYYY-MM-DD`.
pub(crate) fn day_of(db: &Db, column: &str) -> String {
    match db.backend() {
        // SQLite keeps timestamps as `YYYY-MM-DD HH:MM:SS…` text.
        Backend::Sqlite => format!("substr({column}, 1, 10)"),
        Backend::Postgres => format!("to_char({column}, 'YYYY-MM-DD')"),
    }
}
