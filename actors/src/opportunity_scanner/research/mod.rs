//! `research` (service kind): asks several LLM providers about a topic, merges their findings
//! with each attributed to the providers that gave it, reads competitor pages safely, and
//! stores the result as a research note.

mod findings;
mod run;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::kinds::{FieldError, checks, website};

pub use findings::{Finding, extract, merge};
pub use run::run;

pub const MAX_TOPIC_CHARS: usize = 200;
pub const MAX_COMPETITORS: usize = 5;
pub const MAX_PROVIDERS: usize = 5;
pub const MAX_DEPTH: u8 = 3;

pub use empire_schema::types::Language;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub topic: String,
    pub language: Language,
    /// 1 (a quick look) to 3 (thorough): more findings and a longer answer per provider.
    pub depth: u8,
    #[serde(default)]
    pub competitor_urls: Vec<String>,
    /// Providers to ask instead of the configured `research` chain.
    #[serde(default)]
    pub providers: Option<Vec<String>>,
    /// The website the research is for: its spend counts against that website's budget.
    #[serde(default)]
    pub website_id: Option<String>,
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = Vec::new();
    errors.extend(checks::non_blank_text(
        "topic",
        &input.topic,
        MAX_TOPIC_CHARS,
    ));
    if !(1..=MAX_DEPTH).contains(&input.depth) {
        errors.push(FieldError::new(
            "depth",
            format!("must be between 1 and {MAX_DEPTH}"),
        ));
    }
    if input.competitor_urls.len() > MAX_COMPETITORS {
        errors.push(FieldError::new(
            "competitor_urls",
            format!("must hold at most {MAX_COMPETITORS} URLs"),
        ));
    }
    for (i, url) in input.competitor_urls.iter().enumerate() {
        if let Err(error) = checks::http_url(&format!("competitor_urls[{i}]"), url) {
            errors.push(error);
        }
    }
    errors.extend(website::check(input.website_id.as_deref()));
    if let Some(providers) = &input.providers {
        if providers.is_empty() || providers.len() > MAX_PROVIDERS {
            errors.push(FieldError::new(
                "providers",
                format!("must name 1 to {MAX_PROVIDERS} providers"),
            ));
        }
        for (i, name) in providers.iter().enumerate() {
            errors.extend(checks::non_blank_text(&format!("providers[{i}]"), name, 64));
        }
    }
    errors
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "opportunity_scanner/research input",
        "type": "object",
        "additionalProperties": false,
        "required": ["topic", "language", "depth"],
        "properties": {
            "topic": { "type": "string", "minLength": 1, "maxLength": MAX_TOPIC_CHARS, "pattern": "\\S" },
            "language": { "type": "string", "enum": ["en", "de"] },
            "depth": { "type": "integer", "minimum": 1, "maximum": MAX_DEPTH },
            "competitor_urls": {
                "type": "array",
                "maxItems": MAX_COMPETITORS,
                "items": { "type": "string", "format": "uri", "pattern": "^https?://" }
            },
            "providers": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_PROVIDERS,
                "items": { "type": "string", "minLength": 1, "maxLength": 64 }
            },
            "website_id": website::schema()
        }
    })
}

pub fn example_input() -> Value {
    json!({
        "topic": "electric kettles",
        "language": "en",
        "depth": 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::decode_valid as decode;

    #[test]
    fn the_example_is_valid_and_bad_fields_are_named() {
        assert!(decode::<Input>(&example_input(), validate).is_ok());
        let bad = json!({
            "topic": " ", "language": "en", "depth": 4,
            "competitor_urls": ["ftp://x"], "providers": []
        });
        let fields: Vec<String> = match decode::<Input>(&bad, validate) {
            Err(crate::kinds::KindError::InvalidInput(errors)) => {
                errors.into_iter().map(|e| e.field).collect()
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(
            fields,
            ["topic", "depth", "competitor_urls[0]", "providers"]
        );
        assert!(
            decode::<Input>(
                &json!({"topic": "x", "language": "fr", "depth": 1}),
                validate
            )
            .is_err()
        );
    }
}
