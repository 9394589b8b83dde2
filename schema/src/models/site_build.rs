//! `site_builds`: every build of a site, its size, the publish gate's verdict, and when it went
//! live. The id is also the build's folder name, so the row and the files belong together.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use serde_json::Value;

use crate::clock::now;
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::json::Json;
use crate::page::{Page, PageRequest};
use crate::schema::{site_builds, websites};
use crate::stamp::{MaybeStamp, Stamp};
use crate::types::{BuildStatus, WebsiteStatus};
use crate::{transaction, with_conn};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = site_builds, treat_none_as_default_value = false)]
pub struct SiteBuild {
    pub id: String,
    pub website_id: String,
    pub status: BuildStatus,
    pub pages: i64,
    pub files: i64,
    pub bytes: i64,
    /// The publish gate's verdict; `None` until the build is audited.
    pub gate_passed: Option<bool>,
    /// The audit's report: the score and the failing checks per page.
    pub report: Json<Value>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = MaybeStamp)]
    pub published_at: Option<NaiveDateTime>,
}

impl SiteBuild {
    /// Records a build just written to disk under `id`.
    pub async fn create(
        db: &Db,
        id: &str,
        website_id: &str,
        pages: i64,
        files: i64,
        bytes: i64,
    ) -> StoreResult<SiteBuild> {
        let build = SiteBuild {
            id: id.to_owned(),
            website_id: website_id.to_owned(),
            status: BuildStatus::Built,
            pages,
            files,
            bytes,
            gate_passed: None,
            report: Json(Value::Object(Default::default())),
            created_at: now(),
            published_at: None,
        };
        with_conn!(db, |conn| {
            diesel::insert_into(site_builds::table)
                .values(&build)
                .execute(conn)
                .await?;
        });
        Ok(build)
    }

    /// The build `id` of site `website_id` (a build of another site is not found).
    pub async fn get(db: &Db, website_id: &str, id: &str) -> StoreResult<SiteBuild> {
        with_conn!(db, |conn| Ok(site_builds::table
            .find(id)
            .filter(site_builds::website_id.eq(website_id))
            .select(SiteBuild::as_select())
            .first(conn)
            .await?))
    }

    /// A site's builds, newest first.
    pub async fn list(
        db: &Db,
        website_id: &str,
        page: &PageRequest,
    ) -> StoreResult<Page<SiteBuild>> {
        let website_id = website_id.to_owned();
        let cursor = page.cursor().map(str::to_owned);
        let fetch = page.fetch();
        let rows: Vec<SiteBuild> = crate::load_rows!(db, {
            let mut query = site_builds::table
                .filter(site_builds::website_id.eq(website_id))
                .select(SiteBuild::as_select())
                .into_boxed();
            if let Some(cursor) = cursor {
                query = query.filter(site_builds::id.lt(cursor));
            }
            query.order(site_builds::id.desc()).limit(fetch)
        });
        Ok(Page::from_rows(rows, page, |build| &build.id))
    }

    /// The newest build of a site that passed the gate and whose files are kept.
    pub async fn latest_passed(db: &Db, website_id: &str) -> StoreResult<SiteBuild> {
        with_conn!(db, |conn| Ok(site_builds::table
            .filter(site_builds::website_id.eq(website_id))
            .filter(site_builds::gate_passed.eq(Some(true)))
            .filter(site_builds::status.ne(BuildStatus::Pruned))
            .order(site_builds::id.desc())
            .select(SiteBuild::as_select())
            .first(conn)
            .await?))
    }

    /// Stores the gate's verdict; a refused build becomes `rejected`.
    pub async fn set_gate(db: &Db, id: &str, passed: bool, report: Value) -> StoreResult<()> {
        let status = if passed {
            BuildStatus::Built
        } else {
            BuildStatus::Rejected
        };
        let updated = with_conn!(db, |conn| diesel::update(site_builds::table.find(id))
            .set((
                site_builds::gate_passed.eq(Some(passed)),
                site_builds::report.eq(Json(report)),
                site_builds::status.eq(status),
            ))
            .execute(conn)
            .await?);
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Marks build `id` live for its site, in one transaction with the site's row: the site is
    /// `published`, names this build, and loses any failure reason.
    pub async fn mark_published(db: &Db, website_id: &str, id: &str) -> StoreResult<()> {
        let at = now();
        transaction!(db, |conn| {
            let updated = diesel::update(
                site_builds::table
                    .find(id)
                    .filter(site_builds::website_id.eq(website_id)),
            )
            .set((
                site_builds::status.eq(BuildStatus::Published),
                site_builds::published_at.eq(Some(at)),
            ))
            .execute(conn)
            .await?;
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            diesel::update(websites::table.find(website_id))
                .set((
                    websites::status.eq(WebsiteStatus::Published),
                    websites::status_reason.eq(None::<String>),
                    websites::published_build_id.eq(Some(id)),
                    websites::updated_at.eq(at),
                ))
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    /// Marks builds whose files retention deleted.
    pub async fn mark_pruned(db: &Db, ids: &[String]) -> StoreResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        with_conn!(db, |conn| {
            diesel::update(site_builds::table.filter(site_builds::id.eq_any(ids)))
                .set(site_builds::status.eq(BuildStatus::Pruned))
                .execute(conn)
                .await?;
        });
        Ok(())
    }
}
