//! The near-duplicate index of every site's pages, kept in memory per language and brought up to
//! date before each audit: only pages changed since the last look are read (with a minute of
//! overlap, for writes that committed late), and all of them again every ten minutes, so deleted
//! sites drop out. Reading and parsing every other site's signatures for every audit made the
//! portfolio's audits quadratic in its size.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
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
    loaded: Arc<RwLock<HashMap<Language, Loaded>>>,
    /// One refresh at a time, so concurrent audits do not read the same rows twice.
    refreshing: Arc<tokio::sync::Mutex<()>>,
}

struct Loaded {
    index: DuplicateIndex,
    seen_until: Option<NaiveDateTime>,
    read_all_at: Instant,
}

impl Signatures {
    /// Brings the index of `language` up to date with the store.
    pub async fn refresh(
        &self,
        db: &Db,
        language: Language,
        config: &DuplicateConfig,
    ) -> Result<(), SignaturesError> {
        let _one = self.refreshing.lock().await;
        let since = {
            let loaded = self.loaded.read().unwrap_or_else(PoisonError::into_inner);
            loaded.get(&language).and_then(|current| {
                let fresh = current.read_all_at.elapsed() < FULL_READ_EVERY
                    && current.index.config() == config;
                fresh.then_some(current.seen_until.map(|until| until - OVERLAP))
            })
        };
        let rows = SitePage::signatures_since(db, language, since.flatten()).await?;
        let newest = rows.iter().map(|row| row.updated_at).max();
        let parsed: Vec<(DocKey, Signature)> = rows.into_iter().filter_map(parse).collect();
        let fresh = match since {
            None => Some(DuplicateIndex::new(config.clone())?),
            Some(_) => None,
        };
        let mut loaded = self.loaded.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(index) = fresh {
            let read_all_at = Instant::now();
            let seen_until = None;
            loaded.insert(
                language,
                Loaded {
                    index,
                    seen_until,
                    read_all_at,
                },
            );
        }
        let Some(current) = loaded.get_mut(&language) else {
            return Ok(());
        };
        for (key, signature) in parsed {
            // A signature of another shape (older settings) cannot be compared; it is skipped.
            let _ = current.index.insert(key, signature);
        }
        current.seen_until = current.seen_until.max(newest);
        Ok(())
    }

    /// Runs `look` on the index of `language` (empty when never refreshed). Blocks while a
    /// refresh writes: call it from a blocking thread.
    pub fn with_index<T>(
        &self,
        language: Language,
        config: &DuplicateConfig,
        look: impl FnOnce(&DuplicateIndex) -> T,
    ) -> Result<T, SignaturesError> {
        let loaded = self.loaded.read().unwrap_or_else(PoisonError::into_inner);
        match loaded.get(&language) {
            Some(current) => Ok(look(&current.index)),
            None => Ok(look(&DuplicateIndex::new(config.clone())?)),
        }
    }
}

fn parse(row: PageSignature) -> Option<(DocKey, Signature)> {
    let signature = serde_json::from_str::<Signature>(&row.signature).ok()?;
    let key = DocKey {
        website: WebsiteId(row.website_id),
        page: PageId(row.page_id),
    };
    Some((key, signature))
}

#[cfg(test)]
mod tests {
    use empire_schema::models::WrittenPage;
    use empire_schema::types::PageKind;
    use serde_json::json;

    use super::*;
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
        assert!(SitePage::write(db, &planned.id, written).await.unwrap());
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
        let size = |language| signatures.with_index(language, &config, |index| index.len());

        signatures.refresh(db, Language::En, &config).await.unwrap();
        assert_eq!(size(Language::En).unwrap(), 1);
        assert_eq!(size(Language::De).unwrap(), 0, "not refreshed yet");

        let kettles = signed(db, &coffee.id, "kettles", KETTLES).await;
        signatures.refresh(db, Language::En, &config).await.unwrap();
        assert_eq!(size(Language::En).unwrap(), 2);
        let scratch = DuplicateIndex::new(config.clone()).unwrap();
        let found = signatures
            .with_index(Language::En, &config, |index| {
                index.query(&scratch.signature(KETTLES), None).unwrap()
            })
            .unwrap();
        assert_eq!(found[0].key.page.0, kettles);
    }
}
