//! `build_affiliate_link`: a tracked AWIN deep link or Digistore24 promolink.

mod id_text;
mod rules;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{awin, click_ref, digistore24};
use crate::kinds::{FieldError, KindError, checks, website};

/// Numeric ids (AWIN advertiser/publisher, Digistore24 product) have at most this many digits.
pub const MAX_NUMERIC_ID_DIGITS: usize = 12;
/// Digistore24 affiliate names and campaign keys.
pub const MAX_NAME_CHARS: usize = 64;
/// Our own bound on click refs for both networks; the reference gives no limit, so this is a
/// conservative assumption that keeps them short enough for any report column.
pub const MAX_CLICK_REF_CHARS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    Awin,
    Digistore24,
}

impl Network {
    pub const fn as_str(self) -> &'static str {
        match self {
            Network::Awin => "awin",
            Network::Digistore24 => "digistore24",
        }
    }
}

/// One flat shape for both networks, so a field error can name the field; which fields a
/// network needs is checked by [`validate`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub network: Network,
    /// AWIN `awinmid`.
    #[serde(default, deserialize_with = "id_text::optional")]
    pub advertiser_id: Option<String>,
    /// AWIN `awinaffid`.
    #[serde(default, deserialize_with = "id_text::optional")]
    pub publisher_id: Option<String>,
    /// AWIN destination (`ued`); http or https.
    #[serde(default)]
    pub target_url: Option<String>,
    /// Digistore24 product id.
    #[serde(default, deserialize_with = "id_text::optional")]
    pub product_id: Option<String>,
    /// Digistore24 affiliate name.
    #[serde(default, deserialize_with = "id_text::optional")]
    pub affiliate_id: Option<String>,
    /// Digistore24 campaign key.
    #[serde(default)]
    pub campaign_key: Option<String>,
    /// Our tracking reference; derived from the other fields when absent.
    #[serde(default)]
    pub click_ref: Option<String>,
    /// The website the task is for (see `kinds::website`); events about the task name it.
    #[serde(default)]
    pub website_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    pub url: String,
    pub network: Network,
    pub click_ref: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("could not build the link: {0}")]
    Build(String),
}

impl From<LinkError> for KindError {
    fn from(err: LinkError) -> Self {
        match err {
            LinkError::Invalid(errors) => KindError::InvalidInput(errors),
            LinkError::Build(message) => KindError::Failed(message),
        }
    }
}

/// Checks which fields the network needs and refuses the other network's fields, then the
/// charset of every id and reference and the target URL.
pub fn validate(input: &Input) -> Vec<FieldError> {
    let mut errors = rules::check(input);
    errors.extend(website::check(input.website_id.as_deref()));
    errors
}

pub fn run(input: &Input) -> Result<Output, LinkError> {
    let errors = validate(input);
    if !errors.is_empty() {
        return Err(LinkError::Invalid(errors));
    }
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let (url, click_ref) = match input.network {
        Network::Awin => {
            let target = checks::http_url("target_url", &text(&input.target_url))
                .map_err(|err| LinkError::Invalid(vec![err]))?;
            let (advertiser, publisher) = (text(&input.advertiser_id), text(&input.publisher_id));
            let click_ref = input.click_ref.clone().unwrap_or_else(|| {
                click_ref::derive(&["awin", &advertiser, &publisher, target.as_str()])
            });
            let url = awin::deep_link(&advertiser, &publisher, &click_ref, &target)
                .map_err(|err| LinkError::Build(err.to_string()))?;
            (url, click_ref)
        }
        Network::Digistore24 => {
            let (product, affiliate) = (text(&input.product_id), text(&input.affiliate_id));
            let campaign = input.campaign_key.as_deref();
            let click_ref = input.click_ref.clone().unwrap_or_else(|| {
                click_ref::derive(&["digistore24", &product, &affiliate, campaign.unwrap_or("")])
            });
            let url = digistore24::promolink(&product, &affiliate, campaign, &click_ref)
                .map_err(|err| LinkError::Build(err.to_string()))?;
            (url, click_ref)
        }
    };
    Ok(Output {
        url: url.into(),
        network: input.network,
        click_ref,
    })
}

pub fn input_schema() -> Value {
    let numeric_id = json!({
        "type": ["string", "integer"],
        "pattern": format!("^[0-9]{{1,{MAX_NUMERIC_ID_DIGITS}}}$"),
        "minimum": 0
    });
    let token =
        |max: usize| json!({ "type": "string", "pattern": format!("^[A-Za-z0-9_-]{{1,{max}}}$") });
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "monetization/build_affiliate_link input",
        "type": "object",
        "additionalProperties": false,
        "required": ["network"],
        "properties": {
            "network": { "enum": ["awin", "digistore24"] },
            "advertiser_id": numeric_id,
            "publisher_id": numeric_id,
            "target_url": { "type": "string", "format": "uri", "pattern": "^https?://", "maxLength": checks::MAX_URL_CHARS },
            "product_id": numeric_id,
            "affiliate_id": { "type": ["string", "integer"], "pattern": format!("^[A-Za-z0-9_-]{{1,{MAX_NAME_CHARS}}}$") },
            "campaign_key": token(MAX_NAME_CHARS),
            "click_ref": token(MAX_CLICK_REF_CHARS),
            "website_id": website::schema()
        },
        "allOf": [
            {
                "if": { "properties": { "network": { "const": "awin" } } },
                "then": {
                    "required": ["advertiser_id", "publisher_id", "target_url"],
                    "properties": { "product_id": false, "affiliate_id": false, "campaign_key": false }
                }
            },
            {
                "if": { "properties": { "network": { "const": "digistore24" } } },
                "then": {
                    "required": ["product_id", "affiliate_id"],
                    "properties": { "advertiser_id": false, "publisher_id": false, "target_url": false }
                }
            }
        ]
    })
}

pub fn example_input() -> Value {
    json!({
        "network": "awin",
        "advertiser_id": "1001",
        "publisher_id": "234567",
        "target_url": "https://shop.example.com/robot-vacuum?colour=black",
        "click_ref": "robot-vacuum-review"
    })
}

#[cfg(test)]
mod tests;
