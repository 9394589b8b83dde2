//! Which offers a page names: an offer's name found in the page's Markdown or in the names of
//! its product facts, ignoring case, as whole words (so "Pro" is not found in "product").

use empire_schema::models::{NewOffer, Offer, Product, SitePage};
use empire_schema::types::Network;
use serde_json::Value;

/// Offer names shorter than this are too generic to find in prose.
const MIN_NAME_CHARS: usize = 3;

/// The text of a page that may name offers: its Markdown and its products' names.
pub(crate) fn page_text(page: &SitePage) -> String {
    let mut text = page.markdown.clone();
    if let Value::Array(products) = &page.products.0 {
        for name in products.iter().filter_map(|p| p.get("name")?.as_str()) {
            text.push('\n');
            text.push_str(name);
        }
    }
    text
}

/// The offers `text` names, in catalogue order, each once.
pub(crate) fn offers_named<'a>(text: &str, offers: &'a [Offer]) -> Vec<&'a Offer> {
    let haystack = text.to_lowercase();
    offers
        .iter()
        .filter(|offer| names(&haystack, &offer.name.to_lowercase()))
        .collect()
}

/// Whether lower-cased `haystack` contains lower-cased `name` with no letter or digit on
/// either side.
fn names(haystack: &str, name: &str) -> bool {
    let name = name.trim();
    if name.chars().count() < MIN_NAME_CHARS {
        return false;
    }
    haystack.match_indices(name).any(|(start, found)| {
        let before = haystack[..start].chars().next_back();
        let after = haystack[start + found.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A feed product of the niche as a catalogue offer: its tracking link and ids as imported.
/// Only AWIN feeds are imported; a product of another network is left out.
pub(crate) fn product_offer(niche: &str, product: &Product) -> Option<NewOffer> {
    (product.network == Network::Awin.as_str()).then(|| NewOffer {
        network: Network::Awin,
        niche: niche.to_owned(),
        name: product.name.clone(),
        url: product.deep_link.clone(),
        advertiser_id: Some(product.merchant_id.clone()),
        product_id: Some(product.product_id.clone()),
        price_cents: Some(product.price_cents),
        currency: Some(product.currency.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(name: &str) -> Offer {
        Offer::row(NewOffer {
            network: Network::Awin,
            niche: "coffee".into(),
            name: name.into(),
            url: format!("https://shop.example/{}", name.len()),
            advertiser_id: Some("1".into()),
            product_id: None,
            price_cents: None,
            currency: None,
        })
    }

    fn named(text: &str, offers: &[Offer]) -> Vec<String> {
        offers_named(text, offers)
            .into_iter()
            .map(|o| o.name.clone())
            .collect()
    }

    #[test]
    fn names_match_whole_words_ignoring_case() {
        let offers = [offer("Acme Grinder"), offer("Brew Pro"), offer("Mühle X")];
        assert_eq!(
            named("We tested the ACME grinder, and the brew pro.", &offers),
            ["Acme Grinder", "Brew Pro"]
        );
        assert_eq!(named("Die MÜHLE X im Test", &offers), ["Mühle X"]);
        assert!(named("Acme Grinders and Brew Professional", &offers).is_empty());
        assert!(named("nothing here", &offers).is_empty());
    }

    #[test]
    fn short_names_are_not_matched() {
        assert!(named("an X in the text", &[offer("X")]).is_empty());
    }

    #[test]
    fn product_names_count_as_naming_the_offer() {
        let page = SitePage {
            markdown: "# Grinders\n\nOur favourites.".into(),
            products: empire_schema::Json(
                serde_json::json!([{ "name": "Acme Grinder", "source": "awin feed" }]),
            ),
            ..crate::monetization::monetise_site::tests::page_row()
        };
        assert_eq!(
            named(&page_text(&page), &[offer("Acme Grinder")]),
            ["Acme Grinder"]
        );
    }

    #[test]
    fn only_awin_feed_products_become_offers() {
        let mut product = Product {
            id: "p1".into(),
            network: "awin".into(),
            merchant_id: "1001".into(),
            product_id: "77".into(),
            name: "Acme Grinder".into(),
            deep_link: "https://www.awin1.com/pclick.php?p=77&a=1&m=1001".into(),
            price_cents: 4_999,
            currency: "EUR".into(),
            category: Some("coffee".into()),
            in_stock: Some(true),
            import_key: "awin:1001:77".into(),
            updated_at: empire_schema::clock::now(),
            image_url: None,
        };
        let new = product_offer("coffee", &product).unwrap();
        assert_eq!(new.url, product.deep_link);
        assert_eq!(new.advertiser_id.as_deref(), Some("1001"));
        product.network = "other".into();
        assert!(product_offer("coffee", &product).is_none());
    }
}
