//! `keywords` and `keyword_history`: imported keyword research, upserted by import key so a
//! re-import changes nothing, each write queueing the keyword for the search index.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use serde_json::Value;

use super::lower;
use super::search_outbox::NewOutboxEntry;
use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::{keyword_history, keywords, search_outbox};
use crate::stamp::Stamp;
use crate::types::{DocType, Language};
use crate::{transaction, with_conn};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = keywords, treat_none_as_default_value = false)]
pub struct Keyword {
    pub id: String,
    pub keyword: String,
    pub language: Language,
    /// Average monthly searches.
    pub volume: i64,
    pub cpc_cents: Option<i64>,
    /// ISO 4217 code of `cpc_cents`, when the export named it.
    pub currency: Option<String>,
    /// 0..=100.
    pub difficulty: Option<i64>,
    pub niche: Option<String>,
    pub import_key: String,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
}

/// A keyword to upsert by `import_key`, with its monthly volumes (`YYYY-MM`, volume).
#[derive(Debug, Clone, PartialEq)]
pub struct NewKeyword {
    pub keyword: String,
    pub language: Language,
    pub volume: i64,
    pub cpc_cents: Option<i64>,
    pub currency: Option<String>,
    pub difficulty: Option<i64>,
    pub niche: Option<String>,
    pub import_key: String,
    pub history: Vec<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = keyword_history, treat_none_as_default_value = false)]
pub struct KeywordMonth {
    pub keyword_id: String,
    /// `YYYY-MM`.
    pub month: String,
    pub volume: i64,
}

impl Keyword {
    /// Inserts or updates `batch` by import key in one transaction, with their history and one
    /// outbox row each (`doc` makes the search document of a stored keyword). Returns the rows.
    pub async fn upsert_batch(
        db: &Db,
        batch: &[NewKeyword],
        doc: fn(&Keyword) -> Value,
    ) -> StoreResult<Vec<Keyword>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let at = now();
        let rows: Vec<Keyword> = batch
            .iter()
            .map(|new| Keyword {
                id: new_id(),
                keyword: new.keyword.clone(),
                language: new.language,
                volume: new.volume,
                cpc_cents: new.cpc_cents,
                currency: new.currency.clone(),
                difficulty: new.difficulty,
                niche: new.niche.clone(),
                import_key: new.import_key.clone(),
                updated_at: at,
            })
            .collect();
        let keys: Vec<&str> = batch.iter().map(|new| new.import_key.as_str()).collect();
        transaction!(db, |conn| {
            for row in &rows {
                diesel::insert_into(keywords::table)
                    .values(row)
                    .on_conflict(keywords::import_key)
                    .do_update()
                    .set((
                        keywords::keyword.eq(excluded(keywords::keyword)),
                        keywords::volume.eq(excluded(keywords::volume)),
                        keywords::cpc_cents.eq(excluded(keywords::cpc_cents)),
                        keywords::currency.eq(excluded(keywords::currency)),
                        keywords::difficulty.eq(excluded(keywords::difficulty)),
                        keywords::niche.eq(excluded(keywords::niche)),
                        keywords::updated_at.eq(excluded(keywords::updated_at)),
                    ))
                    .execute(conn)
                    .await?;
            }
            let stored: Vec<Keyword> = keywords::table
                .filter(keywords::import_key.eq_any(&keys))
                .select(Keyword::as_select())
                .load(conn)
                .await?;
            let history: Vec<KeywordMonth> = stored
                .iter()
                .filter_map(|row| {
                    let new = batch.iter().find(|new| new.import_key == row.import_key)?;
                    Some(new.history.iter().map(|(month, volume)| KeywordMonth {
                        keyword_id: row.id.clone(),
                        month: month.clone(),
                        volume: *volume,
                    }))
                })
                .flatten()
                .collect();
            for month in &history {
                diesel::insert_into(keyword_history::table)
                    .values(month)
                    .on_conflict((keyword_history::keyword_id, keyword_history::month))
                    .do_update()
                    .set(keyword_history::volume.eq(excluded(keyword_history::volume)))
                    .execute(conn)
                    .await?;
            }
            let outbox: Vec<NewOutboxEntry> = stored
                .iter()
                .map(|row| NewOutboxEntry::upsert(&row.id, DocType::Keyword, doc(row)))
                .collect();
            for entry in &outbox {
                diesel::insert_into(search_outbox::table)
                    .values(entry)
                    .execute(conn)
                    .await?;
            }
            Ok(stored)
        })
    }

    /// Up to `limit` keywords with ids after `after`, in id order: a walk over the whole table.
    pub async fn page_after(db: &Db, after: Option<&str>, limit: i64) -> StoreResult<Vec<Keyword>> {
        let after = after.unwrap_or("");
        with_conn!(db, |conn| Ok(keywords::table
            .filter(keywords::id.gt(after))
            .order(keywords::id.asc())
            .limit(limit)
            .select(Keyword::as_select())
            .load(conn)
            .await?))
    }

    /// Every keyword with a niche, or of niche `niche`, for scans.
    pub async fn with_niche(db: &Db, niche: Option<&str>, limit: i64) -> StoreResult<Vec<Keyword>> {
        with_conn!(db, |conn| {
            let mut query = keywords::table
                .filter(keywords::niche.is_not_null())
                .select(Keyword::as_select())
                .into_boxed();
            if let Some(niche) = niche {
                query = query.filter(keywords::niche.eq(niche));
            }
            Ok(query
                .order((keywords::volume.desc(), keywords::id.asc()))
                .limit(limit)
                .load(conn)
                .await?)
        })
    }

    /// Up to `limit` keywords of `language` whose niche is `niche` (ignoring case), biggest
    /// volume first: a site's imported keywords.
    pub async fn for_site(
        db: &Db,
        niche: &str,
        language: Language,
        limit: i64,
    ) -> StoreResult<Vec<Keyword>> {
        let exact = niche.trim().to_owned();
        // SQLite's lower() folds ASCII only, PostgreSQL's every letter: compare with both.
        let folded = exact.to_lowercase();
        let ascii = exact.to_ascii_lowercase();
        with_conn!(db, |conn| Ok(keywords::table
            .filter(
                keywords::niche
                    .eq(&exact)
                    .or(lower(keywords::niche.assume_not_null()).eq(&folded))
                    .or(lower(keywords::niche.assume_not_null()).eq(&ascii)),
            )
            .filter(keywords::language.eq(language))
            .order((keywords::volume.desc(), keywords::id.asc()))
            .limit(limit)
            .select(Keyword::as_select())
            .load(conn)
            .await?))
    }

    pub async fn count(db: &Db) -> StoreResult<i64> {
        with_conn!(db, |conn| Ok(keywords::table
            .count()
            .get_result(conn)
            .await?))
    }

    pub async fn by_import_key(db: &Db, key: &str) -> StoreResult<Keyword> {
        with_conn!(db, |conn| Ok(keywords::table
            .filter(keywords::import_key.eq(key))
            .select(Keyword::as_select())
            .first(conn)
            .await?))
    }
}

impl KeywordMonth {
    /// The monthly volumes of keywords matching `industry` (their niche, or a word of the
    /// keyword) from month `since` (`YYYY-MM`) on, keyword by keyword, months in order.
    pub async fn series(
        db: &Db,
        industry: Option<&str>,
        since: &str,
        limit_keywords: i64,
    ) -> StoreResult<Vec<(Keyword, Vec<KeywordMonth>)>> {
        let since = since.to_owned();
        let rows: Vec<(Keyword, KeywordMonth)> = with_conn!(db, |conn| {
            let mut query = keywords::table
                .inner_join(keyword_history::table)
                .filter(keyword_history::month.ge(&since))
                .select((Keyword::as_select(), KeywordMonth::as_select()))
                .into_boxed();
            if let Some(industry) = industry {
                let pattern = format!("%{}%", industry.to_lowercase());
                query = query.filter(
                    keywords::niche
                        .eq(industry)
                        .or(keywords::keyword.like(pattern)),
                );
            }
            query
                .order((keywords::id.asc(), keyword_history::month.asc()))
                .limit(limit_keywords.saturating_mul(MAX_MONTHS))
                .load(conn)
                .await?
        });
        let mut out: Vec<(Keyword, Vec<KeywordMonth>)> = Vec::new();
        for (keyword, month) in rows {
            match out.last_mut() {
                Some((last, months)) if last.id == keyword.id => months.push(month),
                _ => out.push((keyword, vec![month])),
            }
        }
        Ok(out)
    }

    /// The newest month any keyword has a volume for.
    pub async fn latest_month(db: &Db) -> StoreResult<Option<String>> {
        with_conn!(db, |conn| Ok(keyword_history::table
            .select(diesel::dsl::max(keyword_history::month))
            .first::<Option<String>>(conn)
            .await?))
    }
}

/// The most months one keyword's series may hold in a trends window.
const MAX_MONTHS: i64 = 24;
