//! The checks a new or changed website passes before anything is stored: niche, name, slug,
//! domain, page count, theme, legal details and offers, each refused with the field it names.

use empire_actors::website_builder::site::{LegalSettings, Theme};
use empire_schema::models::NewOffer;
use empire_schema::types::Network;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::error::ApiError;

pub const MIN_PAGES: i64 = 5;
pub const MAX_PAGES: i64 = 200;
pub const DEFAULT_PAGES: i64 = 20;
const MAX_OFFERS: usize = 100;
const MAX_SLUG_CHARS: usize = 60;

/// An affiliate offer given with a new site; it joins the niche's catalogue.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    pub network: Network,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// The merchant's landing page or product page (http or https).
    pub url: String,
    pub advertiser_id: Option<String>,
    pub product_id: Option<String>,
    /// In major units (`19.99`), at most two decimals; needs `currency`.
    #[schema(minimum = 0)]
    pub price: Option<f64>,
    /// ISO 4217, e.g. `EUR`.
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
}

/// The niche, trimmed: 2 to 80 characters, no control characters.
pub fn niche(text: &str) -> Result<String, ApiError> {
    let text = text.trim();
    let chars = text.chars().count();
    if !(2..=80).contains(&chars) || text.chars().any(char::is_control) {
        return Err(ApiError::field(
            "niche",
            "must be 2 to 80 characters without control characters",
        ));
    }
    Ok(text.to_owned())
}

/// A site's display name: 1 to 100 characters.
pub fn name(text: &str) -> Result<String, ApiError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 100 || text.chars().any(char::is_control) {
        return Err(ApiError::field(
            "name",
            "must be 1 to 100 characters without control characters",
        ));
    }
    Ok(text.to_owned())
}

/// The niche in title case, as a default name: `garden tools` → `Garden Tools`.
pub fn default_name(niche: &str) -> String {
    niche
        .split_whitespace()
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A URL segment made from a name: lower-case ASCII letters, digits and single `-`,
/// umlauts transliterated (`Gärten & Grün` → `gaerten-gruen`).
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.to_lowercase().chars() {
        let piece = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                slug.push(c);
                continue;
            }
            _ => "-",
        };
        if piece == "-" {
            if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        } else {
            slug.push_str(piece);
        }
    }
    let slug: String = slug
        .trim_matches('-')
        .chars()
        .take(MAX_SLUG_CHARS)
        .collect();
    match slug.trim_end_matches('-') {
        "" => "site".to_owned(),
        slug => slug.to_owned(),
    }
}

/// A slug given by the client: already in slug form.
pub fn slug(text: &str) -> Result<String, ApiError> {
    let valid = (1..=MAX_SLUG_CHARS).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--");
    if valid {
        Ok(text.to_owned())
    } else {
        Err(ApiError::field(
            "slug",
            format!("must be 1 to {MAX_SLUG_CHARS} lower-case letters, digits and single `-`"),
        ))
    }
}

/// A host name such as `garden.example`: lower-cased, dot-separated labels of letters, digits
/// and inner `-`, at least two labels.
pub fn domain(text: &str) -> Result<String, ApiError> {
    let host = text.trim().trim_end_matches('.').to_ascii_lowercase();
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let labels: Vec<&str> = host.split('.').collect();
    if host.len() <= 253 && labels.len() >= 2 && labels.iter().all(|label| label_ok(label)) {
        Ok(host)
    } else {
        Err(ApiError::field(
            "domain",
            "must be a host name such as `garden.example`",
        ))
    }
}

pub fn pages(count: Option<i64>) -> Result<i64, ApiError> {
    let count = count.unwrap_or(DEFAULT_PAGES);
    if (MIN_PAGES..=MAX_PAGES).contains(&count) {
        Ok(count)
    } else {
        Err(ApiError::field(
            "pages",
            format!("must be from {MIN_PAGES} to {MAX_PAGES}"),
        ))
    }
}

pub fn theme(name: &str) -> Result<Theme, ApiError> {
    name.parse::<Theme>()
        .map_err(|error| ApiError::field("theme", error.to_string()))
}

/// The operator's details for the imprint and privacy pages.
pub fn legal(value: Value) -> Result<Value, ApiError> {
    let parsed: LegalSettings = serde_json::from_value(value)
        .map_err(|error| ApiError::field("legal", error.to_string()))?;
    serde_json::to_value(parsed).map_err(|error| ApiError::Internal(error.into()))
}

/// The site's `settings` object from the options given.
pub fn settings(pages: i64, theme: Option<Theme>, legal: Option<Value>) -> Value {
    let mut settings = Map::new();
    settings.insert("pages".into(), pages.into());
    if let Some(theme) = theme {
        settings.insert("theme".into(), theme.as_str().into());
    }
    if let Some(legal) = legal {
        settings.insert("legal".into(), legal);
    }
    Value::Object(settings)
}

/// The offers as catalogue rows of `niche`.
pub fn offers(niche: &str, offers: Vec<OfferInput>) -> Result<Vec<NewOffer>, ApiError> {
    if offers.len() > MAX_OFFERS {
        return Err(ApiError::field(
            "offers",
            format!("at most {MAX_OFFERS} offers per request"),
        ));
    }
    offers
        .into_iter()
        .enumerate()
        .map(|(index, offer)| offer_row(niche, index, offer))
        .collect()
}

fn offer_row(niche: &str, index: usize, offer: OfferInput) -> Result<NewOffer, ApiError> {
    let field = |name: &str| format!("offers[{index}].{name}");
    let name = offer.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::field(
            &field("name"),
            "must be 1 to 200 characters",
        ));
    }
    let url = url::Url::parse(offer.url.trim())
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.host_str().is_some())
        .ok_or_else(|| ApiError::field(&field("url"), "must be an http or https URL"))?;
    let price_cents = offer
        .price
        .map(|price| {
            cents(price).ok_or_else(|| {
                ApiError::field(
                    &field("price"),
                    "must be a non-negative amount with at most two decimals",
                )
            })
        })
        .transpose()?;
    let currency = offer.currency.map(|code| code.trim().to_owned());
    if let Some(code) = &currency
        && !(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return Err(ApiError::field(
            &field("currency"),
            "must be an ISO 4217 code such as `EUR`",
        ));
    }
    if price_cents.is_some() && currency.is_none() {
        return Err(ApiError::field(
            &field("currency"),
            "is required with a price",
        ));
    }
    let id = |text: Option<String>, name: &str| -> Result<Option<String>, ApiError> {
        match text.map(|text| text.trim().to_owned()) {
            Some(text) if text.is_empty() || text.len() > 100 => {
                Err(ApiError::field(&field(name), "must be 1 to 100 characters"))
            }
            other => Ok(other),
        }
    };
    Ok(NewOffer {
        network: offer.network,
        niche: niche.to_owned(),
        name,
        url: url.to_string(),
        advertiser_id: id(offer.advertiser_id, "advertiser_id")?,
        product_id: id(offer.product_id, "product_id")?,
        price_cents,
        currency,
    })
}

/// `19.99` → 1999; `None` for negative, non-finite or sub-cent amounts.
fn cents(price: f64) -> Option<i64> {
    let scaled = price * 100.0;
    let rounded = scaled.round();
    let exact = (scaled - rounded).abs() < 1e-6;
    (price.is_finite() && price >= 0.0 && exact && rounded < 1e15).then_some(rounded as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_segments() {
        assert_eq!(slugify("Gärten & Grün"), "gaerten-gruen");
        assert_eq!(
            slugify("  Best Coffee Grinders 2026! "),
            "best-coffee-grinders-2026"
        );
        assert_eq!(slugify("!!!"), "site");
        assert!(slug("garden-tools").is_ok());
        for bad in ["Garden", "-a", "a-", "a--b", "", "a/b"] {
            assert!(slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn domains_are_host_names() {
        assert_eq!(domain("Garden.Example.").unwrap(), "garden.example");
        for bad in [
            "localhost",
            "a..b",
            "-a.example",
            "a_b.example",
            "http://a.example",
        ] {
            assert!(domain(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn page_counts_are_bounded() {
        assert_eq!(pages(None).unwrap(), DEFAULT_PAGES);
        assert!(pages(Some(4)).is_err());
        assert!(pages(Some(201)).is_err());
        assert_eq!(pages(Some(200)).unwrap(), 200);
    }

    #[test]
    fn prices_become_whole_cents() {
        assert_eq!(cents(19.99), Some(1999));
        assert_eq!(cents(0.0), Some(0));
        assert_eq!(cents(1.005), None);
        assert_eq!(cents(-1.0), None);
        assert_eq!(cents(f64::NAN), None);
    }

    #[test]
    fn offers_name_the_bad_field() {
        let offer = |url: &str, price: Option<f64>, currency: Option<&str>| OfferInput {
            network: Network::Awin,
            name: "Spade".into(),
            url: url.into(),
            advertiser_id: None,
            product_id: None,
            price,
            currency: currency.map(str::to_owned),
        };
        let field = |result: Result<Vec<NewOffer>, ApiError>| match result {
            Err(ApiError::Validation { errors, .. }) => errors[0].field.clone(),
            other => panic!("expected a 422, got {other:?}"),
        };
        assert_eq!(
            field(offers("g", vec![offer("ftp://x.example", None, None)])),
            "offers[0].url"
        );
        assert_eq!(
            field(offers(
                "g",
                vec![offer("https://x.example", Some(3.0), None)]
            )),
            "offers[0].currency"
        );
        let rows = offers(
            "g",
            vec![offer("https://x.example/p", Some(3.5), Some("EUR"))],
        )
        .unwrap();
        assert_eq!(rows[0].price_cents, Some(350));
        assert_eq!(rows[0].niche, "g");
    }
}
