//! The input of `page_pipeline`: its shape, its checks (the step kinds' own rules) and schema.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{LINK, OUTLINE, STEPS};
use crate::content_generator::outline::{self, ArticleType, Language};
use crate::kinds::{FieldError, WEBSITE_ID, checks};
use crate::monetization::build_affiliate_link;
use crate::workflows::{WorkflowError, steps};

/// The fields of the input, in schema order; the first four are the outline's input.
const FIELDS: [&str; 6] = [
    "keyword",
    "article_type",
    "language",
    WEBSITE_ID,
    "site_url",
    "affiliate",
];
const OUTLINE_FIELDS: usize = 4;
/// Every field but the optional `website_id`.
const REQUIRED: [&str; 5] = [
    "keyword",
    "article_type",
    "language",
    "site_url",
    "affiliate",
];

/// The page lives at `<site_url>/<slug>/`, which must still be a URL we accept.
const MAX_SITE_URL_CHARS: usize = checks::MAX_URL_CHARS - outline::MAX_SLUG_CHARS - 2;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Input {
    pub keyword: String,
    pub article_type: ArticleType,
    pub language: Language,
    /// The website the page is for; every step's input carries it (see `kinds::website`).
    #[serde(default)]
    pub website_id: Option<String>,
    pub site_url: String,
    /// The input of `monetization/build_affiliate_link`, passed through as given (with the
    /// workflow's `website_id` added).
    pub affiliate: Value,
}

/// A validated input and the site's base URL (normalised, without a trailing slash).
pub(super) struct Plan {
    pub input: Input,
    pub base_url: String,
    pub host: String,
}

/// Checks every part of the input with the rules of the step it feeds and collects all the
/// field errors: the outline's fields (`website_id` among them) as they are, `affiliate`'s
/// under `affiliate.`.
pub(super) fn plan(input: &Value) -> Result<Plan, WorkflowError> {
    let Some(fields) = input.as_object() else {
        let error = FieldError::new("", "must be a JSON object");
        return Err(WorkflowError::InvalidInput(vec![error]));
    };
    let mut errors: Vec<FieldError> = fields
        .keys()
        .filter(|key| !FIELDS.contains(&key.as_str()))
        .map(|key| FieldError::new(key.as_str(), unknown_field_message()))
        .collect();
    let outline_input: Map<String, Value> = fields
        .iter()
        .filter(|(key, _)| FIELDS[..OUTLINE_FIELDS].contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    errors.extend(steps::field_errors(
        &STEPS[OUTLINE],
        &Value::Object(outline_input),
    )?);
    let site = match fields.get("site_url").map(site_base) {
        Some(Ok(site)) => Some(site),
        Some(Err(err)) => {
            errors.push(err);
            None
        }
        None => {
            errors.push(FieldError::new("site_url", "is required"));
            None
        }
    };
    match fields.get("affiliate") {
        None => errors.push(FieldError::new("affiliate", "is required")),
        Some(value) => {
            errors.extend(steps::prefixed(
                "affiliate",
                steps::field_errors(&STEPS[LINK], value)?,
            ));
            // One website per run: the workflow's, given once at the top.
            if value.get(WEBSITE_ID).is_some() {
                errors.push(FieldError::new(
                    format!("affiliate.{WEBSITE_ID}"),
                    format!("is taken from the workflow's `{WEBSITE_ID}`; leave it out here"),
                ));
            }
        }
    }
    let Some((base_url, host)) = site.filter(|_| errors.is_empty()) else {
        return Err(WorkflowError::InvalidInput(errors));
    };
    // Every part was checked above, so this only fails if the checks and `Input` disagree.
    let input = serde_json::from_value(input.clone())
        .map_err(|err| WorkflowError::InvalidInput(vec![FieldError::new("", err.to_string())]))?;
    Ok(Plan {
        input,
        base_url,
        host,
    })
}

fn unknown_field_message() -> String {
    let expected: Vec<String> = FIELDS.iter().map(|f| format!("`{f}`")).collect();
    format!(
        "is not a known field (expected one of {})",
        expected.join(", ")
    )
}

/// The site's base URL and host. The base takes `/<slug>/` appended, so it may have a path
/// but no query or fragment, and must leave room for the longest slug.
fn site_base(value: &Value) -> Result<(String, String), FieldError> {
    const FIELD: &str = "site_url";
    let raw = String::deserialize(value).map_err(|err| FieldError::new(FIELD, err.to_string()))?;
    let url = checks::http_url(FIELD, &raw)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(FieldError::new(FIELD, "must not have a query or fragment"));
    }
    let base = url.as_str().trim_end_matches('/').to_owned();
    if base.chars().count() > MAX_SITE_URL_CHARS {
        return Err(FieldError::new(
            FIELD,
            format!("must be at most {MAX_SITE_URL_CHARS} characters"),
        ));
    }
    Ok((base, url.host_str().unwrap_or_default().to_owned()))
}

pub(in crate::workflows) fn input_schema() -> Value {
    let outline = outline::input_schema();
    let mut affiliate = build_affiliate_link::input_schema();
    if let Some(schema) = affiliate.as_object_mut() {
        schema.remove("$schema");
        schema.remove("title");
        // The workflow's own `website_id` is passed on instead.
        if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
            properties.remove(WEBSITE_ID);
        }
    }
    let mut website_id = outline["properties"][WEBSITE_ID].clone();
    website_id["description"] = json!(
        "The website (its id in the websites table) the page is for; the workflow's events and every step's task name it."
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "page_pipeline input",
        "type": "object",
        "additionalProperties": false,
        "required": REQUIRED,
        "properties": {
            "keyword": outline["properties"]["keyword"],
            "article_type": outline["properties"]["article_type"],
            "language": outline["properties"]["language"],
            "website_id": website_id,
            "site_url": {
                "type": "string",
                "format": "uri",
                "pattern": "^https?://[^?#]+$",
                "maxLength": MAX_SITE_URL_CHARS,
                "description": "Base URL of the site; the page lives at <site_url>/<slug>/."
            },
            "affiliate": affiliate
        }
    })
}

pub(in crate::workflows) fn example_input() -> Value {
    json!({
        "keyword": "espresso machine",
        "article_type": "review",
        "language": "en",
        "site_url": "https://espresso.example",
        "affiliate": {
            "network": "awin",
            "advertiser_id": "1001",
            "publisher_id": "234567",
            "target_url": "https://shop.example.com/espresso-machine?colour=silver",
            "click_ref": "espresso-machine-review"
        }
    })
}

#[cfg(test)]
mod tests;
