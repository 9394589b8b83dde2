//! `market_scan`: ranks niches by demand × commission × EPC ÷ competition (see [`score`]) from
//! the imported keywords and products and the knowledge graph, writes the niches and their
//! keywords and products to the graph, and returns the ranking with its evidence.

mod gather;
pub mod score;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::intelligence::nlp::Language;
use crate::kinds::{FieldError, KindError, checks};
use crate::services::Services;
pub(crate) use gather::products_of;
pub use gather::{Evidence, Opportunity, Output};
pub use score::Weights;

pub const MAX_NICHES: usize = 100;
pub const MAX_NICHE_CHARS: usize = 100;
pub const MAX_PROGRAMMES: usize = 1_000;
pub const MAX_LIMIT: usize = 100;
pub const MAX_PRODUCTS_PER_NICHE: usize = 200;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// The niches to score; all niches of the imported keywords when absent.
    #[serde(default)]
    pub niches: Option<Vec<String>>,
    /// Only keywords of this language.
    #[serde(default)]
    pub language: Option<Language>,
    #[serde(default = "default_limit")]
    pub limit: usize,
    #[serde(default)]
    pub weights: Weights,
    /// Share of the price paid per sale by programmes not listed in `programmes`.
    #[serde(default = "default_commission_rate")]
    pub default_commission_rate: f64,
    /// Earnings per click, in cents, of programmes not listed in `programmes`.
    #[serde(default = "default_epc_cents")]
    pub default_epc_cents: u64,
    /// Known programme terms, by the advertiser's id on the network.
    #[serde(default)]
    pub programmes: Vec<Programme>,
    #[serde(default = "default_products_per_niche")]
    pub products_per_niche: usize,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    pub merchant_id: String,
    pub commission_rate: f64,
    pub epc_cents: u64,
}

fn default_limit() -> usize {
    10
}
fn default_commission_rate() -> f64 {
    0.05
}
fn default_epc_cents() -> u64 {
    10
}
fn default_products_per_niche() -> usize {
    20
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(niches) = &input.niches {
        if niches.is_empty() || niches.len() > MAX_NICHES {
            errors.push(FieldError::new(
                "niches",
                format!("must hold 1 to {MAX_NICHES} niches"),
            ));
        }
        for (i, niche) in niches.iter().enumerate() {
            errors.extend(checks::non_blank_text(
                &format!("niches[{i}]"),
                niche,
                MAX_NICHE_CHARS,
            ));
        }
    }
    if !(1..=MAX_LIMIT).contains(&input.limit) {
        errors.push(FieldError::new(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    if !(1..=MAX_PRODUCTS_PER_NICHE).contains(&input.products_per_niche) {
        errors.push(FieldError::new(
            "products_per_niche",
            format!("must be between 1 and {MAX_PRODUCTS_PER_NICHE}"),
        ));
    }
    for (name, weight) in input.weights.named() {
        if !(0.0..=Weights::MAX).contains(&weight) {
            errors.push(FieldError::new(
                format!("weights.{name}"),
                format!("must be between 0 and {}", Weights::MAX),
            ));
        }
    }
    if !rate_ok(input.default_commission_rate) {
        errors.push(FieldError::new(
            "default_commission_rate",
            "must be above 0 and at most 1",
        ));
    }
    if input.programmes.len() > MAX_PROGRAMMES {
        errors.push(FieldError::new(
            "programmes",
            format!("must hold at most {MAX_PROGRAMMES} programmes"),
        ));
    }
    for (i, programme) in input.programmes.iter().enumerate() {
        errors.extend(checks::non_blank_text(
            &format!("programmes[{i}].merchant_id"),
            &programme.merchant_id,
            MAX_NICHE_CHARS,
        ));
        if !rate_ok(programme.commission_rate) {
            errors.push(FieldError::new(
                format!("programmes[{i}].commission_rate"),
                "must be above 0 and at most 1",
            ));
        }
    }
    errors
}

fn rate_ok(rate: f64) -> bool {
    rate.is_finite() && rate > 0.0 && rate <= 1.0
}

/// Runs the scan with the node's store and graph.
pub async fn run(services: Services, input: Value) -> Result<Value, KindError> {
    let input: Input = crate::kinds::decode_valid(&input, validate)?;
    let output = gather::scan(&services, &input)
        .await
        .map_err(|error| KindError::Failed(format!("market scan: {error}")))?;
    serde_json::to_value(output).map_err(|err| KindError::Failed(format!("encoding output: {err}")))
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "opportunity_scanner/market_scan input",
        "type": "object",
        "additionalProperties": false,
        "required": [],
        "properties": {
            "niches": { "type": "array", "minItems": 1, "maxItems": MAX_NICHES,
                "items": { "type": "string", "minLength": 1, "maxLength": MAX_NICHE_CHARS, "pattern": "\\S" } },
            "language": { "enum": ["en", "de"] },
            "limit": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 10 },
            "weights": {
                "type": "object", "additionalProperties": false,
                "description": "Exponents of score = demand^w × commission^w × epc^w ÷ competition^w (default 1 each).",
                "properties": {
                    "demand": { "type": "number", "minimum": 0, "maximum": Weights::MAX },
                    "commission": { "type": "number", "minimum": 0, "maximum": Weights::MAX },
                    "epc": { "type": "number", "minimum": 0, "maximum": Weights::MAX },
                    "competition": { "type": "number", "minimum": 0, "maximum": Weights::MAX }
                }
            },
            "default_commission_rate": { "type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": 0.05 },
            "default_epc_cents": { "type": "integer", "minimum": 0, "default": 10 },
            "programmes": { "type": "array", "maxItems": MAX_PROGRAMMES, "items": {
                "type": "object", "additionalProperties": false,
                "required": ["merchant_id", "commission_rate", "epc_cents"],
                "properties": {
                    "merchant_id": { "type": "string", "minLength": 1 },
                    "commission_rate": { "type": "number", "exclusiveMinimum": 0, "maximum": 1 },
                    "epc_cents": { "type": "integer", "minimum": 0 }
                }
            } },
            "products_per_niche": { "type": "integer", "minimum": 1, "maximum": MAX_PRODUCTS_PER_NICHE, "default": 20 }
        }
    })
}

pub fn example_input() -> Value {
    json!({
        "niches": ["running shoes", "espresso machines"],
        "limit": 5,
        "weights": { "demand": 1.0, "commission": 1.0, "epc": 1.0, "competition": 1.0 },
        "default_commission_rate": 0.05,
        "default_epc_cents": 10,
        "programmes": [{ "merchant_id": "1234", "commission_rate": 0.08, "epc_cents": 25 }]
    })
}
