//! `audit_page`: scores a rendered page against weighted on-page SEO checks.

pub(crate) mod rules;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::page_facts;
use crate::kinds::{FieldError, KindError, checks, website};

pub const MAX_HTML_BYTES: usize = 5_000_000;
pub const MAX_KEYWORD_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub html: String,
    /// Matched case-insensitively, with runs of whitespace treated as one space.
    pub keyword: String,
    /// The website the task is for (see `kinds::website`); events about the task name it.
    #[serde(default)]
    pub website_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// 0–100: the weight of the passed checks as a share of all weights, rounded.
    pub score: u8,
    pub checks: Vec<Check>,
    /// Ids of the failed checks, in check order.
    pub failed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub id: String,
    pub passed: bool,
    pub message: String,
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AuditError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
}

impl From<AuditError> for KindError {
    fn from(err: AuditError) -> Self {
        match err {
            AuditError::Invalid(errors) => KindError::InvalidInput(errors),
        }
    }
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input.html.trim().is_empty() {
        errors.push(FieldError::new("html", "must not be empty"));
    } else if input.html.len() > MAX_HTML_BYTES {
        errors.push(FieldError::new(
            "html",
            format!("must be at most {MAX_HTML_BYTES} bytes"),
        ));
    }
    errors.extend(checks::non_blank_text(
        "keyword",
        &input.keyword,
        MAX_KEYWORD_CHARS,
    ));
    errors.extend(website::check(input.website_id.as_deref()));
    errors
}

/// Runs every check in [`rules`]; the score is `round(100 × passed weight / total weight)`.
pub fn run(input: &Input) -> Result<Output, AuditError> {
    let errors = validate(input);
    if !errors.is_empty() {
        return Err(AuditError::Invalid(errors));
    }
    let facts = page_facts::gather(&input.html);
    let checks = rules::evaluate(&facts, &input.keyword);
    let total: u32 = checks.iter().map(|c| c.weight).sum();
    let passed: u32 = checks.iter().filter(|c| c.passed).map(|c| c.weight).sum();
    let score = if total == 0 {
        0
    } else {
        // Integer rounding of 100 × passed / total; at most 100, so it fits a u8.
        u8::try_from((200 * passed + total) / (2 * total)).unwrap_or(100)
    };
    let failed = checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.id.clone())
        .collect();
    Ok(Output {
        score,
        checks,
        failed,
    })
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "seo_optimizer/audit_page input",
        "type": "object",
        "additionalProperties": false,
        "required": ["html", "keyword"],
        "properties": {
            "html": {
                "type": "string",
                "minLength": 1,
                "description": "The complete page. Malformed HTML is tolerated."
            },
            "keyword": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_KEYWORD_CHARS,
                "pattern": "\\S"
            },
            "website_id": website::schema()
        }
    })
}

pub fn example_input() -> Value {
    json!({
        "html": "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Robot Vacuum Review: Is It Worth It in 2 Weeks of Use?</title><meta name=\"description\" content=\"Our robot vacuum review covers suction, noise, battery life, app and price so you can decide whether it is worth buying.\"><link rel=\"canonical\" href=\"https://example.com/robot-vacuum-review\"></head><body><h1>Robot Vacuum Review</h1><p>We tested this robot vacuum for two weeks.</p><h2>Pros and Cons</h2><img src=\"vacuum.jpg\" alt=\"Robot vacuum on a rug\"><p>See <a href=\"/best-robot-vacuums\">our top picks</a>.</p></body></html>",
        "keyword": "robot vacuum"
    })
}

#[cfg(test)]
mod tests;
