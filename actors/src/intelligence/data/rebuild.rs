//! Rebuilding a node's search index from the store: every keyword, product, research note and
//! written article, staged after a clear and committed once, so searches see the old contents
//! until the new ones are complete.

use empire_schema::Db;
use empire_schema::models::{Keyword, OutboxEntry, Product, ResearchNote, SitePage};

use super::docs::{article_doc, keyword_doc, note_doc, product_doc};
use super::error::DataError;
use super::search_service::SearchService;
use crate::intelligence::search::SearchDoc;

/// Rows read and staged per step.
const PAGE: i64 = 1_000;

/// How far a rebuild is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildProgress {
    pub done: u64,
    pub total: u64,
}

/// Rebuilds `search` from the store and returns the documents indexed. The index then resumes
/// the outbox after its newest row as of the start: later rows are applied again, harmlessly.
pub async fn rebuild(
    db: &Db,
    search: &SearchService,
    mut progress: impl FnMut(RebuildProgress),
) -> Result<u64, DataError> {
    let _exclusive = search.exclusive().await;
    let mark = OutboxEntry::last_id(db).await?;
    let total = (Keyword::count(db).await?
        + Product::count(db).await?
        + ResearchNote::count(db).await?
        + SitePage::count_articles(db).await?)
        .max(0) as u64;
    let mut done = 0u64;
    progress(RebuildProgress { done, total });
    search.write(|index| index.clear()).await??;

    let mut after: Option<String> = None;
    loop {
        let rows = Keyword::page_after(db, after.as_deref(), PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id.clone());
        let docs = rows.iter().map(|row| decode(&row.id, keyword_doc(row)));
        done += stage(search, docs.collect::<Result<_, _>>()?).await?;
        progress(RebuildProgress { done, total });
    }
    let mut after: Option<String> = None;
    loop {
        let rows = Product::page_after(db, after.as_deref(), PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id.clone());
        let docs = rows.iter().map(|row| decode(&row.id, product_doc(row)));
        done += stage(search, docs.collect::<Result<_, _>>()?).await?;
        progress(RebuildProgress { done, total });
    }
    let mut after: Option<String> = None;
    loop {
        let rows = ResearchNote::page_after(db, after.as_deref(), PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id.clone());
        let docs = rows.iter().map(|row| decode(&row.id, note_doc(row)));
        done += stage(search, docs.collect::<Result<_, _>>()?).await?;
        progress(RebuildProgress { done, total });
    }
    let mut after: Option<String> = None;
    loop {
        let rows = SitePage::articles_after(db, after.as_deref(), PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id.clone());
        let docs = rows
            .iter()
            .filter_map(|row| Some(decode(&row.id, article_doc(row)?)));
        done += stage(search, docs.collect::<Result<_, _>>()?).await?;
        progress(RebuildProgress { done, total });
    }
    search
        .write(move |index| match mark {
            Some(mark) => index.commit_through(mark),
            None => index.commit(),
        })
        .await??;
    Ok(done)
}

async fn stage(search: &SearchService, docs: Vec<SearchDoc>) -> Result<u64, DataError> {
    let count = docs.len() as u64;
    search.write(move |index| index.upsert(docs)).await??;
    Ok(count)
}

fn decode(id: &str, value: serde_json::Value) -> Result<SearchDoc, DataError> {
    serde_json::from_value(value).map_err(|error| DataError::BadRow {
        id: id.to_owned(),
        reason: error.to_string(),
    })
}
