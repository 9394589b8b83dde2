//! The field rules of `build_affiliate_link`.

use super::{Input, MAX_CLICK_REF_CHARS, MAX_NAME_CHARS, MAX_NUMERIC_ID_DIGITS, Network};
use crate::kinds::{FieldError, checks};

pub(super) fn check(input: &Input) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let network = input.network.as_str();
    // (field, the network it belongs to, whether that network needs it, value)
    let network_fields = [
        ("advertiser_id", Network::Awin, true, &input.advertiser_id),
        ("publisher_id", Network::Awin, true, &input.publisher_id),
        ("target_url", Network::Awin, true, &input.target_url),
        ("product_id", Network::Digistore24, true, &input.product_id),
        (
            "affiliate_id",
            Network::Digistore24,
            true,
            &input.affiliate_id,
        ),
        (
            "campaign_key",
            Network::Digistore24,
            false,
            &input.campaign_key,
        ),
    ];
    for (field, owner, required, value) in network_fields {
        let ours = owner == input.network;
        if ours && required && value.is_none() {
            errors.push(FieldError::new(
                field,
                format!("is required for network {network}"),
            ));
        }
        if !ours && value.is_some() {
            errors.push(FieldError::new(
                field,
                format!("is not used by network {network}"),
            ));
        }
    }
    let numeric = [
        ("advertiser_id", &input.advertiser_id),
        ("publisher_id", &input.publisher_id),
        ("product_id", &input.product_id),
    ];
    for (field, value) in numeric {
        if let Some(value) = value {
            errors.extend(numeric_id(field, value));
        }
    }
    let names = [
        ("affiliate_id", &input.affiliate_id, MAX_NAME_CHARS),
        ("campaign_key", &input.campaign_key, MAX_NAME_CHARS),
        ("click_ref", &input.click_ref, MAX_CLICK_REF_CHARS),
    ];
    for (field, value, max) in names {
        if let Some(value) = value {
            errors.extend(token(field, value, max));
        }
    }
    if let Some(target) = &input.target_url
        && let Err(err) = checks::http_url("target_url", target)
    {
        errors.push(err);
    }
    errors
}

fn numeric_id(field: &str, value: &str) -> Option<FieldError> {
    let ok = (1..=MAX_NUMERIC_ID_DIGITS).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_digit());
    (!ok).then(|| {
        FieldError::new(
            field,
            format!("must be 1 to {MAX_NUMERIC_ID_DIGITS} digits"),
        )
    })
}

/// Letters, digits, `_` and `-` only: these values go into URL paths and tracking reports,
/// and the networks' own ids and keys use no other characters.
fn token(field: &str, value: &str, max_chars: usize) -> Option<FieldError> {
    let ok = (1..=max_chars).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    (!ok).then(|| {
        FieldError::new(
            field,
            format!("must be 1 to {max_chars} characters of A–Z, a–z, 0–9, `_` or `-`"),
        )
    })
}
