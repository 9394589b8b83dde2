//! `pages`: the pages of a website. The content plan inserts them (unwritten), the content
//! generator writes them, a person may edit them; an edited page (`edited_at` set) is never
//! overwritten by a re-run. Written articles are searched: their documents are queued in the
//! `search_outbox` with each write.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use serde_json::Value;

use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::json::Json;
use crate::models::search_outbox::NewOutboxEntry;
use crate::page::{Page, PageRequest};
use crate::schema::{pages, search_outbox, websites};
use crate::stamp::{MaybeStamp, Stamp};
use crate::types::{ArticleType, DocType, Language, PageKind};
use crate::{transaction, with_conn};

/// A page's search document, for the pages that are searched (articles): `None` for the rest.
pub type PageDoc = fn(&SitePage) -> Option<Value>;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = pages, treat_none_as_default_value = false)]
pub struct SitePage {
    pub id: String,
    pub website_id: String,
    /// One URL segment; empty for the home page.
    pub slug: String,
    pub kind: PageKind,
    pub article_type: Option<ArticleType>,
    /// The keyphrase the page is written for.
    pub keyword: String,
    /// For an article: the slug of its category page.
    pub category: Option<String>,
    pub title: String,
    pub meta_description: String,
    /// The body: Markdown with front matter.
    pub markdown: String,
    /// The product facts the page uses, each naming its source.
    pub products: Json<Value>,
    pub faq: Json<Value>,
    /// Order in the content plan.
    pub position: i64,
    pub ai_generated: bool,
    pub monetised: bool,
    /// Whether the body has been written (the plan inserts pages unwritten).
    pub written: bool,
    /// The MinHash signature of the text, for near-duplicate checks across sites.
    pub signature: Option<Json<Value>>,
    /// The latest audit of the page: score and failing checks.
    pub audit: Option<Json<Value>>,
    /// When a person last edited the page; such a page is never regenerated.
    #[diesel(deserialize_as = MaybeStamp)]
    pub edited_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
}

/// A page of the content plan, before it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedPage {
    pub slug: String,
    pub kind: PageKind,
    pub article_type: Option<ArticleType>,
    pub keyword: String,
    pub category: Option<String>,
    pub title: String,
    pub position: i64,
}

/// What the content generator wrote for a page.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenPage {
    pub title: String,
    pub meta_description: String,
    pub markdown: String,
    pub products: Value,
    pub faq: Value,
    pub ai_generated: bool,
    pub signature: Option<Value>,
}

/// A person's edit; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, AsChangeset)]
#[diesel(table_name = pages)]
pub struct PageEdit {
    pub title: Option<String>,
    pub meta_description: Option<String>,
    pub markdown: Option<String>,
}

/// One stored signature of a page of some site, as its JSON text.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct PageSignature {
    pub website_id: String,
    pub page_id: String,
    pub signature: String,
    /// When the page (and so its signature) last changed.
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
}

impl SitePage {
    /// Inserts the plan's pages that the site does not have yet (by slug), in one transaction;
    /// returns how many were new. Running the same plan twice inserts nothing the second time.
    pub async fn plan(db: &Db, website_id: &str, planned: Vec<PlannedPage>) -> StoreResult<usize> {
        let at = now();
        let rows: Vec<SitePage> = planned
            .into_iter()
            .map(|plan| SitePage {
                id: new_id(),
                website_id: website_id.to_owned(),
                slug: plan.slug,
                kind: plan.kind,
                article_type: plan.article_type,
                keyword: plan.keyword,
                category: plan.category,
                title: plan.title,
                meta_description: String::new(),
                markdown: String::new(),
                products: Json(Value::Array(Vec::new())),
                faq: Json(Value::Array(Vec::new())),
                position: plan.position,
                ai_generated: false,
                monetised: false,
                written: false,
                signature: None,
                audit: None,
                edited_at: None,
                created_at: at,
                updated_at: at,
            })
            .collect();
        transaction!(db, |conn| {
            let mut inserted = 0;
            for row in &rows {
                inserted += diesel::insert_into(pages::table)
                    .values(row)
                    .on_conflict((pages::website_id, pages::slug))
                    .do_nothing()
                    .execute(conn)
                    .await?;
            }
            Ok(inserted)
        })
    }

    pub async fn get(db: &Db, website_id: &str, id: &str) -> StoreResult<SitePage> {
        with_conn!(db, |conn| Ok(pages::table
            .find(id)
            .filter(pages::website_id.eq(website_id))
            .select(SitePage::as_select())
            .first(conn)
            .await?))
    }

    /// A site's pages in plan order, a page at a time (the cursor is the last page's id; ids
    /// grow in plan order).
    pub async fn list(
        db: &Db,
        website_id: &str,
        page: &PageRequest,
    ) -> StoreResult<Page<SitePage>> {
        let website_id = website_id.to_owned();
        let cursor = page.cursor().map(str::to_owned);
        let fetch = page.fetch();
        let rows: Vec<SitePage> = crate::load_rows!(db, {
            let mut query = pages::table
                .filter(pages::website_id.eq(website_id))
                .select(SitePage::as_select())
                .into_boxed();
            if let Some(cursor) = cursor {
                query = query.filter(pages::id.gt(cursor));
            }
            query.order(pages::id.asc()).limit(fetch)
        });
        Ok(Page::from_rows(rows, page, |row| &row.id))
    }

    /// Every page of a site, in plan order.
    pub async fn all(db: &Db, website_id: &str) -> StoreResult<Vec<SitePage>> {
        with_conn!(db, |conn| Ok(pages::table
            .filter(pages::website_id.eq(website_id))
            .order((pages::position.asc(), pages::id.asc()))
            .select(SitePage::as_select())
            .load(conn)
            .await?))
    }

    /// Stores generated text for a page unless a person edited it meanwhile; returns whether
    /// it was stored. The page's search document (`doc`) is queued in the same transaction.
    pub async fn write(db: &Db, id: &str, written: WrittenPage, doc: PageDoc) -> StoreResult<bool> {
        transaction!(db, |conn| {
            let updated = diesel::update(pages::table.find(id).filter(pages::edited_at.is_null()))
                .set((
                    pages::title.eq(&written.title),
                    pages::meta_description.eq(&written.meta_description),
                    pages::markdown.eq(&written.markdown),
                    pages::products.eq(Json(&written.products)),
                    pages::faq.eq(Json(&written.faq)),
                    pages::ai_generated.eq(written.ai_generated),
                    pages::signature.eq(written.signature.as_ref().map(Json)),
                    pages::written.eq(true),
                    pages::updated_at.eq(now()),
                ))
                .execute(conn)
                .await?;
            if updated == 1 {
                let page: SitePage = pages::table
                    .find(id)
                    .select(SitePage::as_select())
                    .first(conn)
                    .await?;
                if let Some(payload) = doc(&page) {
                    diesel::insert_into(search_outbox::table)
                        .values(NewOutboxEntry::upsert(id, DocType::Article, payload))
                        .execute(conn)
                        .await?;
                }
            }
            Ok(updated == 1)
        })
    }

    /// A person's edit: stored, and marks the page as edited so no re-run overwrites it. The
    /// page's search document (`doc`) is queued in the same transaction.
    pub async fn edit(
        db: &Db,
        website_id: &str,
        id: &str,
        edit: &PageEdit,
        doc: PageDoc,
    ) -> StoreResult<SitePage> {
        let at = now();
        transaction!(db, |conn| {
            let updated = diesel::update(
                pages::table
                    .find(id)
                    .filter(pages::website_id.eq(website_id)),
            )
            .set((
                edit,
                pages::written.eq(true),
                pages::edited_at.eq(Some(at)),
                pages::updated_at.eq(at),
            ))
            .execute(conn)
            .await?;
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            let page: SitePage = pages::table
                .find(id)
                .select(SitePage::as_select())
                .first(conn)
                .await?;
            if let Some(payload) = doc(&page) {
                diesel::insert_into(search_outbox::table)
                    .values(NewOutboxEntry::upsert(id, DocType::Article, payload))
                    .execute(conn)
                    .await?;
            }
            Ok(page)
        })
    }

    /// Written articles after id `after`, by id: pages for rebuilding the search index.
    pub async fn articles_after(
        db: &Db,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<SitePage>> {
        let after = after.unwrap_or_default().to_owned();
        with_conn!(db, |conn| Ok(pages::table
            .filter(pages::kind.eq(PageKind::Article))
            .filter(pages::written.eq(true))
            .filter(pages::id.gt(after))
            .order(pages::id)
            .limit(limit)
            .select(SitePage::as_select())
            .load(conn)
            .await?))
    }

    pub async fn count_articles(db: &Db) -> StoreResult<i64> {
        with_conn!(db, |conn| Ok(pages::table
            .filter(pages::kind.eq(PageKind::Article))
            .filter(pages::written.eq(true))
            .count()
            .get_result(conn)
            .await?))
    }

    /// Stores the latest audit of a page.
    pub async fn set_audit(db: &Db, id: &str, audit: Value) -> StoreResult<()> {
        with_conn!(db, |conn| {
            diesel::update(pages::table.find(id))
                .set(pages::audit.eq(Some(Json(audit))))
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Marks whether a page carries affiliate links (it then shows the disclosure).
    pub async fn set_monetised(db: &Db, id: &str, monetised: bool) -> StoreResult<()> {
        with_conn!(db, |conn| {
            diesel::update(pages::table.find(id))
                .set(pages::monetised.eq(monetised))
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// The stored signatures of every site's pages in `language` changed at or after `since`
    /// (all when `None`).
    pub async fn signatures_since(
        db: &Db,
        language: Language,
        since: Option<NaiveDateTime>,
    ) -> StoreResult<Vec<PageSignature>> {
        with_conn!(db, |conn| {
            let mut query = pages::table
                .inner_join(websites::table)
                .filter(websites::language.eq(language))
                .filter(pages::signature.is_not_null())
                .select((
                    pages::website_id,
                    pages::id,
                    pages::signature.assume_not_null(),
                    pages::updated_at,
                ))
                .into_boxed();
            if let Some(since) = since {
                query = query.filter(pages::updated_at.ge(since));
            }
            Ok(query.load(conn).await?)
        })
    }
}
