//! The near-duplicate index of every site's pages, kept in memory per language. Before an audit
//! it is brought up to date, at most once a second: only pages changed since the last look are
//! read (with a minute of overlap, for writes that committed late), and all of them again every
//! ten minutes, so deleted sites drop out. Audits read an immutable snapshot, so none waits for
//! another; a refresh copies the index, adds what changed and swaps the copy in. Reading and
//! parsing every other site's signatures for every audit made the portfolio quadratic.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use empire_schema::models::{PageSignature, SitePage};
use empire_schema::types::Language;
use empire_schema::{Db, StoreError};

use crate::seo_optimizer::site_audit::{
    DocKey, DuplicateConfig, DuplicateError, DuplicateIndex, PageId, Signature, WebsiteId,
};

/// How often the whole index is read again.
const FULL_READ_EVERY: Duration = Duration::from_secs(600);
/// How often the store is asked for changes at most.
const REFRESH_AT_MOST_EVERY: Duration = Duration::from_secs(1);
/// How far before the newest change already seen the next read starts.
const OVERLAP: chrono::Duration = chrono::Duration::seconds(60);

#[derive(Debug, thiserror::Error)]
pub enum SignaturesError {
    #[error("reading signatures: {0}")]
    Store(#[from] StoreError),
    #[error("near-duplicate index: {0}")]
    Index(#[from] DuplicateError),
}

/// Shared by every clone; cheap to clone.
#[derive(Clone, Default)]
pub struct Signatures {
    loaded: Arc<Mutex<HashMap<Language, Loaded>>>,
    /// One refresh at a time, so concurrent audits do not read the same rows twice.
    refreshing: Arc<tokio::sync::Mutex<()>>,
}

#[derive(Clone)]
struct Loaded {
    index: Arc<DuplicateIndex>,
    /// When each indexed page last changed, so a read overlapping the last one skips it.
    changed: Arc<HashMap<DocKey, NaiveDateTime>>,
    seen_until: Option<NaiveDateTime>,
    read_all_at: Instant,
    refreshed_at: Instant,
}

impl Signatures {
    /// The index of `language` as the store has it now (give or take a second).
    pub async fn snapshot(
        &self,
        db: &Db,
        language: Language,
        config: &DuplicateConfig,
    ) -> Result<Arc<DuplicateIndex>, SignaturesError> {
        let _one = self.refreshing.lock().await;
        let current = self.current(language);
        let usable = current
            .as_ref()
            .filter(|current| current.index.config() == config);
        if let Some(current) = usable
            && current.refreshed_at.elapsed() < REFRESH_AT_MOST_EVERY
        {
            return Ok(current.index.clone());
        }
        let incremental = usable.filter(|current| current.read_all_at.elapsed() < FULL_READ_EVERY);
        let since = incremental.and_then(|current| current.seen_until.map(|until| until - OVERLAP));
        let mut rows = SitePage::signatures_since(db, language, since).await?;
        let newest = rows.iter().map(|row| row.updated_at).max();
        if let Some(current) = incremental {
            rows.retain(|row| current.changed.get(&key_of(row)) != Some(&row.updated_at));
        }
        let next = match incremental {
            Some(current) if rows.is_empty() => Loaded {
                refreshed_at: Instant::now(),
                ..current.clone()
            },
            Some(current) => {
                let mut index = DuplicateIndex::clone(&current.index);
                let mut changed = HashMap::clone(&current.changed);
                add(&mut index, &mut changed, rows);
                Loaded {
                    index: Arc::new(index),
                    changed: Arc::new(changed),
                    seen_until: current.seen_until.max(newest),
                    read_all_at: current.read_all_at,
                    refreshed_at: Instant::now(),
                }
            }
            None => {
                let mut index = DuplicateIndex::new(config.clone())?;
                let mut changed = HashMap::new();
                add(&mut index, &mut changed, rows);
                Loaded {
                    index: Arc::new(index),
                    changed: Arc::new(changed),
                    seen_until: newest,
                    read_all_at: Instant::now(),
                    refreshed_at: Instant::now(),
                }
            }
        };
        let index = next.index.clone();
        self.lock().insert(language, next);
        Ok(index)
    }

    fn current(&self, language: Language) -> Option<Loaded> {
        self.lock().get(&language).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Language, Loaded>> {
        self.loaded.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn key_of(row: &PageSignature) -> DocKey {
    DocKey {
        website: WebsiteId(row.website_id.clone()),
        page: PageId(row.page_id.clone()),
    }
}

/// Adds stored signatures; one of another shape (older settings) cannot be compared and is
/// skipped.
fn add(
    index: &mut DuplicateIndex,
    changed: &mut HashMap<DocKey, NaiveDateTime>,
    rows: Vec<PageSignature>,
) {
    for row in rows {
        let Ok(signature) = serde_json::from_str::<Signature>(&row.signature) else {
            continue;
        };
        let key = key_of(&row);
        if index.insert(key.clone(), signature).is_ok() {
            changed.insert(key, row.updated_at);
        }
    }
}

#[cfg(test)]
mod tests {
    use empire_schema::models::WrittenPage;
    use empire_schema::types::PageKind;
    use serde_json::json;

    use super::*;
    use crate::intelligence::data::article_doc;
    use crate::monetization::monetise_site::tests::support::{env, page, website};
    use crate::website_builder::sites::SiteSettings;

    const GRINDERS: &str = "Burr grinders crush beans between two rough plates so every grain comes out the same size, which is why espresso drinkers swear by them and why a blade grinder, chopping at random, leaves dust and boulders in the same cup of coffee every single morning";
    const KETTLES: &str = "A gooseneck kettle pours a thin steady stream that lets you wet the coffee bed evenly, and a thermometer in the lid tells you when the water has cooled from boiling to the ninety odd degrees that light roasts need to taste sweet instead of sour";

    /// A written page of the site with the signature of `text`; returns its id.
    async fn signed(db: &Db, website_id: &str, slug: &str, text: &str) -> String {
        let planned = page(db, website_id, slug, PageKind::Article, "", json!([])).await;
        let scratch = DuplicateIndex::new(DuplicateConfig::default()).unwrap();
        let written = WrittenPage {
            title: slug.into(),
            meta_description: slug.into(),
            markdown: text.into(),
            products: json!([]),
            faq: json!([]),
            ai_generated: true,
            signature: Some(serde_json::to_value(scratch.signature(text)).unwrap()),
        };
        assert!(
            SitePage::write(db, &planned.id, written, article_doc)
                .await
                .unwrap()
        );
        planned.id
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_refresh_reads_what_changed_and_each_language_has_its_own_index() {
        let env = env(SiteSettings::default()).await;
        let db = env.db();
        let config = DuplicateConfig::default();
        let coffee = website(db, "coffee", "coffee", Language::En).await;
        let kaffee = website(db, "kaffee", "kaffee", Language::De).await;
        signed(db, &coffee.id, "grinders", GRINDERS).await;
        signed(db, &kaffee.id, "muehlen", GRINDERS).await;
        let signatures = Signatures::default();
        let english = signatures
            .snapshot(db, Language::En, &config)
            .await
            .unwrap();
        assert_eq!(english.len(), 1);

        let kettles = signed(db, &coffee.id, "kettles", KETTLES).await;
        tokio::time::sleep(REFRESH_AT_MOST_EVERY).await;
        let later = signatures
            .snapshot(db, Language::En, &config)
            .await
            .unwrap();
        assert_eq!(
            (english.len(), later.len()),
            (1, 2),
            "a snapshot never changes"
        );
        let scratch = DuplicateIndex::new(config.clone()).unwrap();
        let found = later.query(&scratch.signature(KETTLES), None).unwrap();
        assert_eq!(found[0].key.page.0, kettles);
        let german = signatures
            .snapshot(db, Language::De, &config)
            .await
            .unwrap();
        assert_eq!(german.len(), 1);
    }
}
