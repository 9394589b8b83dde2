//! The audit's tunable thresholds, with defaults the website pipeline can override.

use serde::{Deserialize, Serialize};

/// Thresholds of the page and site checks. Ratios are fractions (0.02 is 2 %).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditSettings {
    /// A page with fewer words of main content is thin (legal pages are exempt).
    pub min_words: usize,
    /// Keyphrase occurrences per word, inclusive range.
    pub min_keyphrase_density: f64,
    pub max_keyphrase_density: f64,
    /// Lowest acceptable Flesch (English) or Amstad (German) score.
    pub min_readability: f64,
    /// Budget for the HTML plus the local assets it references.
    pub max_page_bytes: u64,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            min_words: 300,
            min_keyphrase_density: 0.005,
            max_keyphrase_density: 0.03,
            min_readability: 50.0,
            max_page_bytes: 1_000_000,
        }
    }
}
