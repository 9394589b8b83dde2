//! `page_views`: the beacon's page views, counted per site, page path and UTC day. Views are
//! added in batches (one upsert per key), so a flood of events costs one row write per page.

use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;

use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::page_views;
use crate::transaction;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = page_views)]
pub struct PageViews {
    pub website_id: String,
    pub path: String,
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    pub views: i64,
}

impl PageViews {
    /// Adds every row's views to the stored count of its key, in one transaction.
    pub async fn add(db: &Db, rows: &[PageViews]) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        transaction!(db, |conn| {
            for row in rows {
                diesel::insert_into(page_views::table)
                    .values(row)
                    .on_conflict((page_views::website_id, page_views::path, page_views::day))
                    .do_update()
                    .set(page_views::views.eq(page_views::views + excluded(page_views::views)))
                    .execute(conn)
                    .await?;
            }
            Ok(())
        })
    }
}
