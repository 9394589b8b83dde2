//! `site_keywords` (service kind, first step of `website_pipeline`): picks the keywords a new
//! site is written for — the niche's imported keywords in the site's language, ranked by
//! [`score_keywords`](super::score_keywords), topped up with expansions of the niche until
//! there is one per page — sets the site `building`, and records in the knowledge graph that
//! the site targets them.

mod expand;
mod graph;

use empire_schema::StoreError;
use empire_schema::models::{Keyword, Website};
use empire_schema::types::WebsiteStatus;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::score_keywords::{self, KeywordInput, MAX_KEYWORD_CHARS as MAX_SCORED_CHARS};
use crate::content_generator::outline::MAX_KEYWORD_CHARS;
use crate::kinds::{FieldError, KindError, decode_valid, website};
use crate::services::Services;
pub use expand::{expansions, top_up};

/// Pages of a site whose settings name none.
pub const DEFAULT_PAGES: usize = 20;
pub const MIN_PAGES: usize = 5;
pub const MAX_PAGES: usize = 200;
/// Difficulty assumed for an imported keyword whose export gave none: the middle of the scale.
const UNKNOWN_DIFFICULTY: u32 = 50;
/// Imported keywords read per site; more than any site has pages.
const MAX_IMPORTED: i64 = 1_000;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub website_id: String,
}

/// Where a keyword came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Imported keyword research, scored by volume, CPC and difficulty.
    Imported,
    /// A phrasing of the niche, unmeasured (score 0).
    Expansion,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteKeyword {
    pub keyword: String,
    /// 0–100; see [`score_keywords::opportunity_score`].
    pub score: f64,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub website_id: String,
    /// Best first; one per planned page.
    pub keywords: Vec<SiteKeyword>,
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    website::check(Some(&input.website_id))
        .into_iter()
        .collect()
}

/// The page count a site's settings ask for (`pages`), within [`MIN_PAGES`]..=[`MAX_PAGES`].
pub fn pages_of(settings: &Value) -> usize {
    settings
        .get("pages")
        .and_then(Value::as_u64)
        .map_or(DEFAULT_PAGES, |n| {
            usize::try_from(n)
                .unwrap_or(MAX_PAGES)
                .clamp(MIN_PAGES, MAX_PAGES)
        })
}

/// The site, or the error every factory kind gives for a missing one.
pub(crate) async fn website_or_fail(services: &Services, id: &str) -> Result<Website, KindError> {
    Website::get(&services.db, id)
        .await
        .map_err(|error| match error {
            StoreError::NotFound => KindError::Failed(format!("unknown website {id}")),
            other => KindError::Failed(format!("reading website {id}: {other}")),
        })
}

/// Imported keywords, scored and ranked best first; ones too long for a page title are left out.
pub fn score_imported(rows: &[Keyword]) -> Vec<SiteKeyword> {
    let usable: Vec<KeywordInput> = rows
        .iter()
        .filter(|row| {
            let chars = row.keyword.trim().chars().count();
            (1..=MAX_KEYWORD_CHARS.min(MAX_SCORED_CHARS)).contains(&chars)
        })
        .map(|row| KeywordInput {
            keyword: row.keyword.split_whitespace().collect::<Vec<_>>().join(" "),
            monthly_volume: u64::try_from(row.volume).unwrap_or(0),
            cpc_eur: row
                .cpc_cents
                .map_or(0.0, |cents| cents.max(0) as f64 / 100.0),
            difficulty: row
                .difficulty
                .and_then(|d| u32::try_from(d.clamp(0, 100)).ok())
                .unwrap_or(UNKNOWN_DIFFICULTY),
        })
        .collect();
    if usable.is_empty() {
        return Vec::new();
    }
    let ranked = score_keywords::run(&score_keywords::Input { keywords: usable })
        .map(|output| output.keywords)
        .unwrap_or_default();
    ranked
        .into_iter()
        .map(|k| SiteKeyword {
            keyword: k.keyword,
            score: k.score,
            source: Source::Imported,
        })
        .collect()
}

pub async fn run(services: Services, input: Value) -> Result<Value, KindError> {
    let input: Input = decode_valid(&input, validate)?;
    let site = website_or_fail(&services, &input.website_id).await?;
    Website::set_status(&services.db, &site.id, WebsiteStatus::Building, None)
        .await
        .map_err(|error| KindError::Failed(format!("marking the site building: {error}")))?;
    let rows = Keyword::for_site(&services.db, &site.niche, site.language, MAX_IMPORTED)
        .await
        .map_err(|error| KindError::Failed(format!("reading keywords: {error}")))?;
    let pages = pages_of(&site.settings.0);
    let keywords = top_up(score_imported(&rows), &site.niche, site.language, pages);
    if let Err(error) = graph::record(&services, &site, &rows, &keywords).await {
        // The graph is a map for later scans; a site is built without it.
        tracing::warn!(website_id = %site.id, %error, "site keywords not recorded in the graph");
    }
    let output = Output {
        website_id: site.id,
        keywords,
    };
    serde_json::to_value(output).map_err(|err| KindError::Failed(format!("encoding output: {err}")))
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "opportunity_scanner/site_keywords input",
        "type": "object",
        "additionalProperties": false,
        "required": ["website_id"],
        "properties": { "website_id": website::schema() }
    })
}

pub fn example_input() -> Value {
    json!({ "website_id": "0193a4c2-7d1e-7c3a-9f4e-2b8d6a1c5e70" })
}

#[cfg(test)]
mod tests;
