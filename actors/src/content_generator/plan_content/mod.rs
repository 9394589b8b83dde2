//! `plan_content` (service kind, pipeline step `plan`): plans a site's pages from its keywords
//! (see [`plan`]) and stores them unwritten, inserting only the slugs the site lacks, so a retry
//! or a re-run adds nothing twice.

mod plan;

use empire_schema::models::SitePage;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::content_generator::outline::MAX_KEYWORD_CHARS;
use crate::kinds::{FieldError, KindError, checks, decode_valid, website};
use crate::opportunity_scanner::site_keywords::{MAX_PAGES, pages_of, website_or_fail};
use crate::services::Services;
pub use plan::{PlanSite, article_type, category_count, display, plan};

/// More keywords than the largest site has pages, so a scan's full list is accepted.
pub const MAX_KEYWORDS: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub website_id: String,
    /// Best first.
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub website_id: String,
    /// Pages this run inserted.
    pub planned: usize,
    /// Pages the site has now.
    pub pages: usize,
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = website::check(Some(&input.website_id))
        .into_iter()
        .collect();
    if input.keywords.len() > MAX_KEYWORDS {
        errors.push(FieldError::new(
            "keywords",
            format!("must hold at most {MAX_KEYWORDS} keywords"),
        ));
    }
    for (i, keyword) in input.keywords.iter().enumerate() {
        errors.extend(checks::non_blank_text(
            &format!("keywords[{i}]"),
            keyword,
            MAX_KEYWORD_CHARS,
        ));
    }
    errors
}

pub async fn run(services: Services, input: Value) -> Result<Value, KindError> {
    let input: Input = decode_valid(&input, validate)?;
    let site = website_or_fail(&services, &input.website_id).await?;
    let failed = |what: &str, error: empire_schema::StoreError| {
        KindError::Failed(format!("{what} of website {}: {error}", site.id))
    };
    let existing = SitePage::all(&services.db, &site.id)
        .await
        .map_err(|e| failed("reading the pages", e))?;
    let target = pages_of(&site.settings.0).min(MAX_PAGES);
    let mut planned = plan(
        &PlanSite {
            name: &site.name,
            niche: &site.niche,
            language: site.language,
            pages: target,
        },
        &input.keywords,
    );
    // A site planned before (a retry, or a rebuild after new keywords) keeps its pages and
    // only gains missing ones up to its page count.
    planned.retain(|page| !existing.iter().any(|have| have.slug == page.slug));
    planned.truncate(target.saturating_sub(existing.len()));
    let inserted = if planned.is_empty() {
        0
    } else {
        SitePage::plan(&services.db, &site.id, planned)
            .await
            .map_err(|e| failed("storing the plan", e))?
    };
    let output = Output {
        website_id: site.id.clone(),
        planned: inserted,
        pages: existing.len() + inserted,
    };
    serde_json::to_value(output).map_err(|err| KindError::Failed(format!("encoding output: {err}")))
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "content_generator/plan_content input",
        "type": "object",
        "additionalProperties": false,
        "required": ["website_id", "keywords"],
        "properties": {
            "website_id": website::schema(),
            "keywords": {
                "type": "array",
                "maxItems": MAX_KEYWORDS,
                "description": "The site's keywords, best first (the site_keywords step's output); expansions of the niche fill in when they are too few.",
                "items": { "type": "string", "minLength": 1, "maxLength": MAX_KEYWORD_CHARS, "pattern": "\\S" }
            }
        }
    })
}

pub fn example_input() -> Value {
    json!({
        "website_id": "0193a4c2-7d1e-7c3a-9f4e-2b8d6a1c5e70",
        "keywords": ["espresso machines", "best espresso machine", "espresso machine review"]
    })
}

#[cfg(test)]
mod tests;
