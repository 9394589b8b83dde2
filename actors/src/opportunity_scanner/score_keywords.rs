//! `score_keywords`: ranks candidate keywords by how much traffic value they promise.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::kinds::{FieldError, KindError, checks};

pub const MAX_KEYWORDS: usize = 1000;
pub const MAX_KEYWORD_CHARS: usize = 200;
pub const MAX_DIFFICULTY: u32 = 100;

/// The monthly value in EUR at which the score reaches 100; anything above is capped.
const FULL_SCORE_VALUE_EUR: f64 = 1_000_000.0;
/// Even the hardest keyword keeps this share of its value, so difficulty 100 still ranks
/// a huge keyword above a worthless one.
const MIN_EASE: f64 = 0.1;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub keywords: Vec<KeywordInput>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeywordInput {
    pub keyword: String,
    pub monthly_volume: u64,
    pub cpc_eur: f64,
    pub difficulty: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// Best first; `rank` is the 1-based position in this list.
    pub keywords: Vec<ScoredKeyword>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredKeyword {
    pub keyword: String,
    pub monthly_volume: u64,
    pub cpc_eur: f64,
    pub difficulty: u32,
    /// 0–100, two decimals; see [`opportunity_score`].
    pub score: f64,
    pub rank: u32,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScoreError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
}

impl From<ScoreError> for KindError {
    fn from(err: ScoreError) -> Self {
        match err {
            ScoreError::Invalid(errors) => KindError::InvalidInput(errors),
        }
    }
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input.keywords.is_empty() {
        errors.push(FieldError::new(
            "keywords",
            "must hold at least one keyword",
        ));
    }
    if input.keywords.len() > MAX_KEYWORDS {
        errors.push(FieldError::new(
            "keywords",
            format!(
                "must hold at most {MAX_KEYWORDS} keywords (got {})",
                input.keywords.len()
            ),
        ));
    }
    for (i, item) in input.keywords.iter().enumerate() {
        let path = |field: &str| format!("keywords[{i}].{field}");
        errors.extend(checks::non_blank_text(
            &path("keyword"),
            &item.keyword,
            MAX_KEYWORD_CHARS,
        ));
        if !item.cpc_eur.is_finite() || item.cpc_eur < 0.0 {
            errors.push(FieldError::new(
                path("cpc_eur"),
                "must be a finite number ≥ 0",
            ));
        }
        if item.difficulty > MAX_DIFFICULTY {
            errors.push(FieldError::new(
                path("difficulty"),
                format!("must be between 0 and {MAX_DIFFICULTY}"),
            ));
        }
    }
    errors
}

/// The opportunity score of one keyword, 0–100 with two decimals:
///
/// ```text
/// value = monthly_volume × cpc_eur                      (EUR of clicks per month)
/// ease  = 1 − 0.9 × difficulty / 100                    (1.0 at difficulty 0, 0.1 at 100)
/// score = 100 × ln(1 + value × ease) / ln(1 + 1 000 000) (capped at 100)
/// ```
///
/// The log scale keeps long-tail keywords apart instead of crushing them to zero next to a
/// head term; 1 000 000 EUR of difficulty-adjusted monthly value scores 100.
pub fn opportunity_score(volume: u64, cpc_eur: f64, difficulty: u32) -> f64 {
    let value = volume as f64 * cpc_eur.max(0.0);
    let ease = 1.0 - (1.0 - MIN_EASE) * f64::from(difficulty.min(MAX_DIFFICULTY)) / 100.0;
    let raw = 100.0 * (value * ease).ln_1p() / FULL_SCORE_VALUE_EUR.ln_1p();
    let capped = if raw.is_nan() {
        0.0
    } else {
        raw.clamp(0.0, 100.0)
    };
    (capped * 100.0).round() / 100.0
}

/// Scores and ranks the keywords: highest score first, equal scores by keyword (byte order),
/// identical keywords in input order.
pub fn run(input: &Input) -> Result<Output, ScoreError> {
    let errors = validate(input);
    if !errors.is_empty() {
        return Err(ScoreError::Invalid(errors));
    }
    let mut scored: Vec<ScoredKeyword> = input
        .keywords
        .iter()
        .map(|item| ScoredKeyword {
            keyword: item.keyword.clone(),
            monthly_volume: item.monthly_volume,
            cpc_eur: item.cpc_eur,
            difficulty: item.difficulty,
            score: opportunity_score(item.monthly_volume, item.cpc_eur, item.difficulty),
            rank: 0,
        })
        .collect();
    // Stable sort, so full ties keep their input order.
    scored.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(Ordering::Equal)
            .then_with(|| a.keyword.cmp(&b.keyword))
    });
    for (rank, item) in (1u32..).zip(scored.iter_mut()) {
        item.rank = rank;
    }
    Ok(Output { keywords: scored })
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "opportunity_scanner/score_keywords input",
        "type": "object",
        "additionalProperties": false,
        "required": ["keywords"],
        "properties": {
            "keywords": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_KEYWORDS,
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["keyword", "monthly_volume", "cpc_eur", "difficulty"],
                    "properties": {
                        "keyword": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": MAX_KEYWORD_CHARS,
                            "pattern": "\\S"
                        },
                        "monthly_volume": { "type": "integer", "minimum": 0 },
                        "cpc_eur": { "type": "number", "minimum": 0 },
                        "difficulty": { "type": "integer", "minimum": 0, "maximum": MAX_DIFFICULTY }
                    }
                }
            }
        }
    })
}

pub fn example_input() -> Value {
    json!({
        "keywords": [
            { "keyword": "best running shoes", "monthly_volume": 40500, "cpc_eur": 1.2, "difficulty": 78 },
            { "keyword": "trail running shoes for wide feet", "monthly_volume": 880, "cpc_eur": 0.9, "difficulty": 22 },
            { "keyword": "laufschuhe test", "monthly_volume": 14800, "cpc_eur": 0.65, "difficulty": 55 }
        ]
    })
}

#[cfg(test)]
mod tests;
