//! Product facts for a site's pages: only what the niche's offers and imported products say
//! (name, price), each naming its source, and which of them a page names.

use std::collections::HashSet;

use empire_schema::models::{Offer, Product};
use empire_schema::types::ArticleType;

use super::compose::escape;
use super::pools::Pools;
use crate::content_generator::outline::Language;
use crate::intelligence::data::DataError;
use crate::opportunity_scanner::market_scan::products_of;
use crate::services::Services;
use crate::website_builder::site::ProductFact;

/// Products a site draws on: its offers first (those get affiliate links), then feed products.
pub const MAX_FACTS: usize = 12;
/// Products named by a comparison and by a best-of list.
const COMPARED: usize = 3;
const LISTED: usize = 5;

/// The niche's offers and matching feed products as facts, offers first, one per name.
pub async fn gather(services: &Services, niche: &str) -> Result<Vec<ProductFact>, DataError> {
    let offers = Offer::active_for_niche(&services.db, niche).await?;
    let products = products_of(services, niche, MAX_FACTS).await?;
    Ok(merge(&offers, &products))
}

/// A product's picture comes from its feed; an offer of the same name shows that picture too.
pub fn merge(offers: &[Offer], products: &[Product]) -> Vec<ProductFact> {
    let image_of = |name: &str| {
        products
            .iter()
            .find(|product| product.name.eq_ignore_ascii_case(name))
            .and_then(|product| product.image_url.clone())
    };
    let from_offers = offers.iter().map(|offer| {
        let (price_minor, currency) = price(offer.price_cents, offer.currency.as_deref());
        ProductFact {
            image_url: image_of(&offer.name),
            ..fact(
                &offer.name,
                price_minor,
                currency,
                format!("offer catalogue ({})", offer.network.as_str()),
            )
        }
    });
    let from_products = products.iter().map(|product| {
        let (price_minor, currency) = price(Some(product.price_cents), Some(&product.currency));
        ProductFact {
            image_url: product.image_url.clone(),
            ..fact(
                &product.name,
                price_minor,
                currency,
                format!("{} feed", product.network),
            )
        }
    });
    let mut names = HashSet::new();
    from_offers
        .chain(from_products)
        .filter(|fact| !fact.name.is_empty() && names.insert(fact.name.to_lowercase()))
        .take(MAX_FACTS)
        .collect()
}

fn fact(
    name: &str,
    price_minor: Option<i64>,
    currency: Option<String>,
    source: String,
) -> ProductFact {
    ProductFact {
        name: name.split_whitespace().collect::<Vec<_>>().join(" "),
        brand: None,
        price_minor,
        currency,
        rating_tenths: None,
        features: Vec::new(),
        offer_url: None,
        image_url: None,
        source,
    }
}

/// A price only with its currency, and only a positive one (feeds use 0 for "unknown").
fn price(cents: Option<i64>, currency: Option<&str>) -> (Option<i64>, Option<String>) {
    match (cents, currency.map(str::trim)) {
        (Some(cents), Some(code)) if cents > 0 && code.len() == 3 => {
            (Some(cents), Some(code.to_ascii_uppercase()))
        }
        _ => (None, None),
    }
}

/// The facts a page names: a review one product, a comparison three, a best-of list five,
/// starting at `turn` (how many pages of that type came before, plus the site's offset) so
/// the site's pages spread over its products; guides, categories and home pages none.
pub fn for_page(
    all: &[ProductFact],
    article_type: Option<ArticleType>,
    turn: usize,
) -> Vec<ProductFact> {
    let count = match article_type {
        Some(ArticleType::Review) => 1,
        Some(ArticleType::Comparison) => COMPARED,
        Some(ArticleType::Listicle) => LISTED,
        _ => 0,
    }
    .min(all.len());
    (0..count)
        .filter_map(|i| all.get((turn * count.max(1) + i) % all.len().max(1)))
        .cloned()
        .collect()
}

/// `cents` of `currency` as a reader expects it: `1299.00 EUR`, `1299,00 EUR` in German.
pub fn format_price(cents: i64, currency: &str, language: Language) -> String {
    let separator = match language {
        Language::En => '.',
        Language::De => ',',
    };
    format!("{}{separator}{:02} {currency}", cents / 100, cents % 100)
}

/// The facts section of a review (sentences), comparison (a table) or best-of list (a numbered
/// list), each product by its exact name with its price and source; empty without facts.
pub(super) fn facts_block(
    p: &Pools,
    article_type: Option<ArticleType>,
    facts: &[ProductFact],
    language: Language,
) -> String {
    if facts.is_empty() {
        return String::new();
    }
    let name = |fact: &ProductFact| escape(&fact.name);
    let price = |fact: &ProductFact| match (fact.price_minor, &fact.currency) {
        (Some(cents), Some(code)) => Some(format_price(cents, code, language)),
        _ => None,
    };
    let sentence = |fact: &ProductFact| {
        let said = match price(fact) {
            Some(price) => p.facts.price.replace("{price}", &price),
            None => p.facts.no_price.to_owned(),
        };
        format!(
            "{} {}",
            said.replace("{name}", &name(fact)),
            p.facts.source.replace("{source}", &escape(&fact.source))
        )
    };
    let (heading, body) = match article_type {
        Some(ArticleType::Comparison) => {
            let rows: Vec<String> = facts
                .iter()
                .map(|fact| {
                    let cell = price(fact).unwrap_or_else(|| p.facts.no_price_cell.to_owned());
                    format!("| {} | {cell} | {} |", name(fact), escape(&fact.source))
                })
                .collect();
            (
                p.headings.facts_comparison,
                format!(
                    "{}\n| --- | --- | --- |\n{}",
                    p.facts.table_head,
                    rows.join("\n")
                ),
            )
        }
        Some(ArticleType::Listicle) => {
            let items: Vec<String> = facts
                .iter()
                .enumerate()
                .map(|(i, fact)| format!("{}. {}", i + 1, sentence(fact)))
                .collect();
            (p.headings.facts_listicle, items.join("\n"))
        }
        _ => {
            let lines: Vec<String> = facts.iter().map(sentence).collect();
            (p.headings.facts_review, lines.join("\n\n"))
        }
    };
    format!("## {heading}\n\n{body}\n\n{}\n\n", p.facts.note)
}
