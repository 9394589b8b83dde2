//! `[sites.seo]`: the thresholds of the site audit and the publish gate.

use serde::{Deserialize, Serialize};

use crate::seo_optimizer::site_audit::{AuditSettings, DuplicateConfig, GateSettings};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SeoSettings {
    /// 0–100: every page must reach this score for the site to publish.
    pub min_page_score: u8,
    /// 0–1: pages at least this similar (estimated Jaccard of word shingles) are reported as
    /// near-duplicates; a page more similar than this to a page of any site keeps the site
    /// from publishing.
    pub duplicate_similarity: f64,
    /// The page and site checks' thresholds (words, keyphrase density, readability, weight).
    pub audit: AuditSettings,
}

impl Default for SeoSettings {
    fn default() -> Self {
        let gate = GateSettings::default();
        SeoSettings {
            min_page_score: gate.min_page_score,
            duplicate_similarity: gate.max_duplicate_similarity,
            audit: AuditSettings::default(),
        }
    }
}

impl SeoSettings {
    /// The setting that is out of range and why.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if self.min_page_score > 100 {
            return Err(("sites.seo.min_page_score", "must be at most 100".into()));
        }
        if !(0.0..=1.0).contains(&self.duplicate_similarity) {
            return Err((
                "sites.seo.duplicate_similarity",
                "must be within 0..=1".into(),
            ));
        }
        Ok(())
    }

    pub fn gate(&self) -> GateSettings {
        GateSettings {
            min_page_score: self.min_page_score,
            max_duplicate_similarity: self.duplicate_similarity,
            ..GateSettings::default()
        }
    }

    pub fn duplicates(&self) -> DuplicateConfig {
        DuplicateConfig {
            threshold: self.duplicate_similarity,
            ..DuplicateConfig::default()
        }
    }
}
