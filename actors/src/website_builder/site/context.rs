//! What the templates see: the site (navigation, legal links, assets) and one page, with
//! every piece of user and LLM text either escaped by the template or cleaned by ammonia.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::images::ImageView;
use super::spec::{FaqEntry, Language, LegalSettings, ProductFact};
use super::text::Text;

#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub lang: &'static str,
    /// The site's root path (`/` or `/sites/slug/`); every internal link starts with it.
    pub root: String,
    pub nav: Vec<Link>,
    pub imprint: Link,
    pub privacy: Link,
    pub css: String,
    pub beacon: String,
    /// Where the beacon posts views.
    pub beacon_endpoint: String,
    pub feed: String,
    pub settings: &'a LegalSettings,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub description: String,
    pub date: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Alternate {
    pub hreflang: &'static str,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct ProductView {
    /// The localised picture, when the product has one.
    pub image: Option<ImageView>,
    pub name: String,
    pub brand: Option<String>,
    pub price: Option<String>,
    pub rating: Option<String>,
    pub features: Vec<String>,
    pub offer_url: Option<String>,
    pub source: String,
}

#[derive(Debug, Serialize)]
pub struct PageView {
    pub kind: &'static str,
    pub title: String,
    pub meta_description: String,
    pub canonical: String,
    /// Root-relative URL of the page; the navigation marks the current entry with it.
    pub path: String,
    pub body_html: String,
    pub published: String,
    pub updated: String,
    pub breadcrumbs: Vec<Link>,
    pub alternates: Vec<Alternate>,
    pub ai_generated: bool,
    pub monetised: bool,
    pub json_ld: String,
    pub products: Vec<ProductView>,
    pub faq: Vec<FaqEntry>,
    pub listing: Vec<Card>,
    pub categories: Vec<Card>,
}

#[derive(Debug, Serialize)]
pub struct Context<'a> {
    pub site: &'a SiteView<'a>,
    pub page: &'a PageView,
    pub text: &'static Text,
}

pub fn day(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `12999` → `"129.99"`: the machine form schema.org wants.
pub fn decimal(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.unsigned_abs();
    format!("{sign}{}.{:02}", minor / 100, minor % 100)
}

/// The form a reader sees: `129.99 EUR` on English sites, `129,99 EUR` on German ones.
pub fn price_text(minor: i64, currency: &str, language: Language) -> String {
    let number = decimal(minor);
    let number = match language {
        Language::En => number,
        Language::De => number.replace('.', ","),
    };
    format!("{number} {currency}")
}

/// `45` → `"4.5"`.
pub fn rating_value(tenths: u8) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

pub fn product_view(
    product: &ProductFact,
    language: Language,
    image: Option<ImageView>,
) -> ProductView {
    ProductView {
        image,
        name: product.name.clone(),
        brand: product.brand.clone(),
        price: product
            .price_minor
            .zip(product.currency.as_deref())
            .map(|(minor, currency)| price_text(minor, currency, language)),
        rating: product
            .rating_tenths
            .map(|r| format!("{} / 5", rating_value(r))),
        features: product.features.clone(),
        offer_url: product.offer_url.clone(),
        source: product.source.clone(),
    }
}
