//! `websites`: the affiliate sites the agents build and run; `slug` is their stable handle.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use serde_json::Value;

use super::offer::{NewOffer, Offer};
use super::search_outbox::NewOutboxEntry;
use super::task::{NewTask, Task};
use super::workflow::{NewWorkflow, Workflow};
use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::json::Json;
use crate::page::{Page, PageRequest};
use crate::schema::{pages, search_outbox, tasks, websites, workflows};
use crate::stamp::Stamp;
use crate::types::{DocType, Language, PageKind, WebsiteStatus};
use crate::{transaction, with_conn};

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
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
    pub language: Language,
    /// Why the site is `failed`; cleared when it builds again.
    pub status_reason: Option<String>,
    /// The `website_pipeline` that made it (the latest one).
    pub workflow_id: Option<String>,
    /// The build served now; `None` until the first publish.
    pub published_build_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewWebsite {
    pub slug: String,
    pub name: String,
    pub niche: String,
    pub domain: Option<String>,
    pub language: Language,
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
    pub status_reason: Option<Option<String>>,
    pub settings: Option<Json<Value>>,
    pub published_build_id: Option<Option<String>>,
}

impl Website {
    /// The row `new` becomes, with a fresh id, before it is stored.
    pub fn row(new: NewWebsite) -> Website {
        let at = now();
        Website {
            id: new_id(),
            slug: new.slug,
            name: new.name,
            niche: new.niche,
            domain: new.domain,
            status: new.status,
            settings: Json(new.settings),
            created_at: at,
            updated_at: at,
            language: new.language,
            status_reason: None,
            workflow_id: None,
            published_build_id: None,
        }
    }

    pub async fn create(db: &Db, new: NewWebsite) -> StoreResult<Website> {
        let website = Website::row(new);
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

    /// `(id, slug, domain)` of every site.
    pub async fn slugs_and_domains(db: &Db) -> StoreResult<Vec<(String, String, Option<String>)>> {
        with_conn!(db, |conn| Ok(websites::table
            .select((websites::id, websites::slug, websites::domain))
            .load(conn)
            .await?))
    }

    pub async fn get_by_slug(db: &Db, slug: &str) -> StoreResult<Website> {
        with_conn!(db, |conn| Ok(websites::table
            .filter(websites::slug.eq(slug))
            .select(Website::as_select())
            .first(conn)
            .await?))
    }

    /// Newest first, by cursor, or from `offset` rows in (the seed's `limit`/`offset`).
    pub async fn list(db: &Db, page: &PageRequest, offset: i64) -> StoreResult<Page<Website>> {
        let cursor = page.cursor().map(str::to_owned);
        let fetch = page.fetch();
        let rows: Vec<Website> = crate::load_rows!(db, {
            let mut query = websites::table.select(Website::as_select()).into_boxed();
            if let Some(cursor) = cursor {
                query = query.filter(websites::id.lt(cursor));
            }
            query
                .order(websites::id.desc())
                .offset(offset.max(0))
                .limit(fetch)
        });
        Ok(Page::from_rows(rows, page, |website| &website.id))
    }

    /// Deletes the site and, by cascade, its pages, builds, links and clicks; its articles
    /// leave the search index through the outbox, in the same transaction.
    pub async fn delete(db: &Db, id: &str) -> StoreResult<()> {
        transaction!(db, |conn| {
            let articles: Vec<String> = pages::table
                .filter(pages::website_id.eq(id))
                .filter(pages::kind.eq(PageKind::Article))
                .select(pages::id)
                .load(conn)
                .await?;
            let deleted = diesel::delete(websites::table.find(id))
                .execute(conn)
                .await?;
            if deleted == 0 {
                return Err(StoreError::NotFound);
            }
            for article in &articles {
                diesel::insert_into(search_outbox::table)
                    .values(NewOutboxEntry::delete(article, DocType::Article))
                    .execute(conn)
                    .await?;
            }
            Ok(())
        })
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

/// A new site with the workflow that builds it, stored together (see [`Website::create_with_pipeline`]).
#[derive(Debug, Clone)]
pub struct NewPipelineSite {
    pub website: Website,
    pub offers: Vec<NewOffer>,
    pub workflow: NewWorkflow,
    pub first_task: NewTask,
}

impl Website {
    /// Stores a new site, the offers given with it, its pipeline workflow and that workflow's
    /// first task in one transaction: either all of it exists afterwards or none of it.
    pub async fn create_with_pipeline(
        db: &Db,
        new: NewPipelineSite,
    ) -> StoreResult<(Website, Workflow, Task)> {
        let workflow = Workflow::from_new(new.workflow);
        let task = Task::queued(NewTask {
            workflow_id: Some(workflow.id.clone()),
            ..new.first_task
        });
        let website = Website {
            workflow_id: Some(workflow.id.clone()),
            ..new.website
        };
        let offers: Vec<Offer> = new.offers.into_iter().map(Offer::row).collect();
        transaction!(db, |conn| {
            diesel::insert_into(websites::table)
                .values(&website)
                .execute(conn)
                .await?;
            for offer in &offers {
                crate::upsert_offer!(conn, offer);
            }
            diesel::insert_into(workflows::table)
                .values(&workflow)
                .execute(conn)
                .await?;
            diesel::insert_into(tasks::table)
                .values(&task)
                .execute(conn)
                .await?;
            Ok(())
        })?;
        Ok((website, workflow, task))
    }

    /// Moves a site to `status` with `reason` (kept only for `failed`).
    pub async fn set_status(
        db: &Db,
        id: &str,
        status: WebsiteStatus,
        reason: Option<String>,
    ) -> StoreResult<()> {
        let updated = with_conn!(db, |conn| diesel::update(websites::table.find(id))
            .set((
                websites::status.eq(status),
                websites::status_reason.eq(reason),
                websites::updated_at.eq(now()),
            ))
            .execute(conn)
            .await?);
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

impl Website {
    /// A new run (a rebuild) now makes the site: it names the run and is `building` again.
    pub async fn set_workflow(db: &Db, id: &str, workflow_id: &str) -> StoreResult<()> {
        let updated = with_conn!(db, |conn| diesel::update(websites::table.find(id))
            .set((
                websites::workflow_id.eq(Some(workflow_id)),
                websites::status.eq(WebsiteStatus::Building),
                websites::status_reason.eq(None::<String>),
                websites::updated_at.eq(now()),
            ))
            .execute(conn)
            .await?);
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
