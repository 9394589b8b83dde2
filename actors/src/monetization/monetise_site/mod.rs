//! `monetise_site`: links every written page of a site to the offers it names. The offers are the
//! niche's catalogue plus the niche's imported feed products (added to the catalogue); each named
//! offer gets one `Link` per page whose target is the network's tracking link with the link's
//! code as click reference, so a network's report leads back to the website, page and offer.

mod matching;
mod target;

pub(crate) use target::tracking_url;

use empire_schema::StoreError;
use empire_schema::models::{Link, Offer, Product, SitePage, Website};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::kinds::{FieldError, KindError, website};
use crate::monetization::link_code;
use crate::services::Services;

/// Feed products of the niche added to the catalogue per run, dearest first.
pub const MAX_FEED_PRODUCTS: i64 = 100;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub website_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub website_id: String,
    /// Links the site's pages have (kept from earlier runs or new).
    pub links: usize,
    pub monetised_pages: usize,
    /// Named offers that could not get a tracking link, and why.
    pub unlinked_offers: Vec<Unlinked>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unlinked {
    pub offer_id: String,
    pub name: String,
    pub reason: String,
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    website::check(Some(&input.website_id))
        .into_iter()
        .collect()
}

pub async fn run(services: Services, input: Value) -> Result<Value, KindError> {
    let input: Input = crate::kinds::decode_valid(&input, validate)?;
    let output = monetise(&services, &input.website_id).await?;
    serde_json::to_value(output).map_err(|err| KindError::Failed(format!("encoding output: {err}")))
}

fn store(what: &str) -> impl FnOnce(StoreError) -> KindError + '_ {
    move |error| KindError::Failed(format!("{what}: {error}"))
}

async fn monetise(services: &Services, website_id: &str) -> Result<Output, KindError> {
    let db = &services.db;
    let site = match Website::get(db, website_id).await {
        Err(StoreError::NotFound) => {
            return Err(KindError::Failed(format!("unknown website {website_id}")));
        }
        other => other.map_err(store("reading the website"))?,
    };
    let products = Product::matching(db, &site.niche, MAX_FEED_PRODUCTS)
        .await
        .map_err(store("reading feed products"))?;
    let from_feed: Vec<_> = products
        .iter()
        .filter_map(|product| matching::product_offer(&site.niche, product))
        .collect();
    if !from_feed.is_empty() {
        Offer::upsert_many(db, from_feed)
            .await
            .map_err(store("adding feed products to the catalogue"))?;
    }
    let offers = Offer::active_for_niche(db, &site.niche)
        .await
        .map_err(store("reading offers"))?;
    let pages = SitePage::all(db, website_id)
        .await
        .map_err(store("reading pages"))?;
    let ids = &services.sites.settings.affiliate;
    let mut output = Output {
        website_id: website_id.to_owned(),
        links: 0,
        monetised_pages: 0,
        unlinked_offers: Vec::new(),
    };
    for page in pages.iter().filter(|page| page.written) {
        let mut linked = 0;
        for offer in matching::offers_named(&matching::page_text(page), &offers) {
            let code = link_code::new_code();
            // The code doubles as the click reference: one lookup leads a network's report
            // back to the website, page and offer, and it carries nothing about a visitor.
            let target_url = match target::tracking_url(offer, ids, &code) {
                Ok(url) => url,
                Err(reason) => {
                    if !output
                        .unlinked_offers
                        .iter()
                        .any(|u| u.offer_id == offer.id)
                    {
                        output.unlinked_offers.push(Unlinked {
                            offer_id: offer.id.clone(),
                            name: offer.name.clone(),
                            reason,
                        });
                    }
                    continue;
                }
            };
            Link::get_or_create(db, code, website_id, &page.id, &offer.id, target_url)
                .await
                .map_err(store("storing a link"))?;
            linked += 1;
        }
        if (linked > 0) != page.monetised {
            SitePage::set_monetised(db, &page.id, linked > 0)
                .await
                .map_err(store("marking a page monetised"))?;
        }
        output.links += linked;
        output.monetised_pages += usize::from(linked > 0);
    }
    Ok(output)
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "monetization/monetise_site input",
        "type": "object",
        "additionalProperties": false,
        "required": ["website_id"],
        "properties": { "website_id": website::schema() }
    })
}

pub fn example_input() -> Value {
    json!({ "website_id": "01936f7e-8c1a-7d2b-9f00-0123456789ab" })
}

#[cfg(test)]
pub(crate) mod tests;
