//! The site model a build starts from: the site, its legal settings and its pages.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::images::Images;
use super::theme::Theme;

/// The languages a site can be written in (the one `Language` of the whole system).
pub use empire_schema::types::Language;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{value}`")]
pub struct UnknownName {
    pub what: &'static str,
    pub value: String,
}

/// What a page is; it decides the page's template, URL and structured data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    Home,
    Category,
    Article,
    Imprint,
    Privacy,
}

impl PageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Home => "home",
            Self::Category => "category",
            Self::Article => "article",
            Self::Imprint => "imprint",
            Self::Privacy => "privacy",
        }
    }
}

impl FromStr for PageKind {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Self::Home,
            Self::Category,
            Self::Article,
            Self::Imprint,
            Self::Privacy,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == s)
        .ok_or_else(|| UnknownName {
            what: "page kind",
            value: s.to_owned(),
        })
    }
}

/// One website to build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteSpec {
    /// Lower-case letters, digits and `-`; names the site's folder.
    pub slug: String,
    pub name: String,
    /// Where the site is served, `http(s)://host/optional/path/`; canonical URLs start with it.
    pub base_url: String,
    pub language: Language,
    pub theme: Theme,
    pub settings: LegalSettings,
    pub pages: Vec<PageSpec>,
    /// Localised copies of the pictures the pages show, by the address they were found at
    /// ([`super::images::sources`]); their bytes come with the build's extra files.
    #[serde(default)]
    pub images: Images,
    /// Where the pages' beacon sends views: the front door's `/t/e`, absolute so that a site
    /// on its own domain reports too. `None`: `/t/e` on the page's own origin.
    #[serde(default)]
    pub analytics_url: Option<String>,
}

/// The operator's details for the imprint (Impressum, § 5 DDG) and the privacy page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LegalSettings {
    pub owner_name: String,
    /// Street, postal code and city, one line each.
    pub address_lines: Vec<String>,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub vat_id: Option<String>,
    /// The person responsible for editorial content (§ 18 Abs. 2 MStV on German sites).
    #[serde(default)]
    pub responsible_person: Option<String>,
}

/// One page. Imprint and privacy pages are generated from [`LegalSettings`] when the spec has
/// none; a page of that kind given here adds its Markdown below the settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageSpec {
    pub id: String,
    /// One URL segment (lower-case letters, digits, `-`); empty for the home page.
    pub slug: String,
    pub kind: PageKind,
    pub title: String,
    pub meta_description: String,
    /// The body; may start with front matter, which is dropped (the fields above win).
    pub markdown: String,
    /// For an article: the slug of its category page; the article lives under it.
    #[serde(default)]
    pub category: Option<String>,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub products: Vec<ProductFact>,
    #[serde(default)]
    pub faq: Vec<FaqEntry>,
    /// The same page in other languages, for hreflang alternates.
    #[serde(default)]
    pub translations: Vec<Translation>,
    pub ai_generated: bool,
    pub monetised: bool,
}

/// Facts about one product, each from the product data and naming where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductFact {
    pub name: String,
    #[serde(default)]
    pub brand: Option<String>,
    /// Price in minor units (cents) of `currency`.
    #[serde(default)]
    pub price_minor: Option<i64>,
    /// ISO 4217 code such as `EUR`; required with a price.
    #[serde(default)]
    pub currency: Option<String>,
    /// Rating out of 5, in tenths (45 = 4.5 stars).
    #[serde(default)]
    pub rating_tenths: Option<u8>,
    #[serde(default)]
    pub features: Vec<String>,
    /// The offer link shown with the product.
    #[serde(default)]
    pub offer_url: Option<String>,
    /// The product's picture where the feed publishes it; a build shows the localised copy
    /// (see [`SiteSpec::images`]) and never the original address.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Where the facts come from (a feed, a network, a manufacturer page).
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqEntry {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    pub language: Language,
    pub url: String,
}
