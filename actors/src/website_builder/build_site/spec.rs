//! The [`SiteSpec`] of a stored website: its pages as written (or edited), its theme and legal
//! details from the site's settings, and the monetised links woven into the text.

use std::collections::BTreeMap;

use empire_schema::models::{SitePage, Website};
use serde::Deserialize;
use serde_json::Value;

use super::links::{OfferLink, link_first_mentions};
use crate::website_builder::site::{
    FaqEntry, LegalSettings, PageKind, PageSpec, ProductFact, SiteSpec, Theme,
};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("settings.theme `{0}` is not a theme (clean, magazine)")]
    UnknownTheme(String),
    #[error("settings are not readable: {0}")]
    Settings(String),
    #[error("page `{page}`: {field} is not readable: {reason}")]
    Page {
        page: String,
        field: &'static str,
        reason: String,
    },
}

/// The parts of `websites.settings` a build reads; the rest belongs to other steps.
#[derive(Debug, Default, Deserialize)]
struct Options {
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    legal: Option<Legal>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Legal {
    owner_name: Option<String>,
    address_lines: Vec<String>,
    email: Option<String>,
    phone: Option<String>,
    vat_id: Option<String>,
    responsible_person: Option<String>,
}

/// Builds the spec. `offers` holds each page's linked offers (by page id); `base_url` is where
/// the site is read; `operator` (`[sites.legal]`) fills the legal details the site leaves out.
pub fn site_spec(
    website: &Website,
    pages: &[SitePage],
    offers: &BTreeMap<String, Vec<OfferLink>>,
    base_url: String,
    operator: &LegalSettings,
) -> Result<SiteSpec, SpecError> {
    let options: Options = match &website.settings.0 {
        Value::Null => Options::default(),
        value => serde_json::from_value(value.clone())
            .map_err(|error| SpecError::Settings(error.to_string()))?,
    };
    let theme = match options.theme.as_deref().map(str::trim) {
        None | Some("") => Theme::Clean,
        Some(name) => name
            .parse()
            .map_err(|_| SpecError::UnknownTheme(name.to_owned()))?,
    };
    let settings = legal_settings(website, options.legal.unwrap_or_default(), operator);
    let pages = pages
        .iter()
        .filter(|page| page.written || page.edited_at.is_some())
        .map(|page| {
            let links = offers.get(&page.id).map(Vec::as_slice).unwrap_or_default();
            page_spec(page, links)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SiteSpec {
        slug: website.slug.clone(),
        name: website.name.clone(),
        base_url,
        language: website.language,
        theme,
        settings,
        pages,
        images: Default::default(),
        analytics_url: None,
    })
}

/// The site's legal details, each field falling back to the operator's (`[sites.legal]`), then
/// to the site's name and an `info@` address at its domain.
fn legal_settings(website: &Website, legal: Legal, operator: &LegalSettings) -> LegalSettings {
    let given = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let pick = |site: Option<String>, operator: Option<&String>| {
        given(site).or_else(|| given(operator.cloned()))
    };
    let domain = website
        .domain
        .clone()
        .unwrap_or_else(|| format!("{}.invalid", website.slug));
    let lines = |lines: Vec<String>| -> Vec<String> {
        lines
            .into_iter()
            .filter(|line| !line.trim().is_empty())
            .collect()
    };
    let address_lines = match lines(legal.address_lines) {
        site if site.is_empty() => lines(operator.address_lines.clone()),
        site => site,
    };
    LegalSettings {
        owner_name: pick(legal.owner_name, Some(&operator.owner_name))
            .unwrap_or_else(|| website.name.clone()),
        address_lines,
        email: pick(legal.email, Some(&operator.email)).unwrap_or_else(|| format!("info@{domain}")),
        phone: pick(legal.phone, operator.phone.as_ref()),
        vat_id: pick(legal.vat_id, operator.vat_id.as_ref()),
        responsible_person: pick(
            legal.responsible_person,
            operator.responsible_person.as_ref(),
        ),
    }
}

fn page_spec(page: &SitePage, offers: &[OfferLink]) -> Result<PageSpec, SpecError> {
    let unreadable = |field: &'static str| {
        let page = page.id.clone();
        move |error: serde_json::Error| SpecError::Page {
            page,
            field,
            reason: error.to_string(),
        }
    };
    let mut products: Vec<ProductFact> = match &page.products.0 {
        Value::Null => Vec::new(),
        value => serde_json::from_value(value.clone()).map_err(unreadable("products"))?,
    };
    let faq: Vec<FaqEntry> = match &page.faq.0 {
        Value::Null => Vec::new(),
        value => serde_json::from_value(value.clone()).map_err(unreadable("faq"))?,
    };
    // A product that is a linked offer points at the tracked link, so its clicks count too.
    for product in &mut products {
        if let Some(offer) = offers.iter().find(|offer| offer.name == product.name) {
            product.offer_url = Some(offer.url.clone());
        }
    }
    let linked = link_first_mentions(&page.markdown, offers);
    let monetised = page.monetised
        || !offers.is_empty()
        || products.iter().any(|product| product.offer_url.is_some());
    let kind: PageKind = page.kind.as_str().parse().map_err(|_| SpecError::Page {
        page: page.id.clone(),
        field: "kind",
        reason: format!("`{}` is not a page kind", page.kind.as_str()),
    })?;
    Ok(PageSpec {
        id: page.id.clone(),
        slug: page.slug.clone(),
        kind,
        title: page.title.clone(),
        meta_description: page.meta_description.clone(),
        markdown: linked.markdown,
        category: page.category.clone(),
        published_at: page.created_at.and_utc(),
        updated_at: page.updated_at.and_utc(),
        products,
        faq,
        translations: Vec::new(),
        ai_generated: page.ai_generated,
        monetised,
    })
}

#[cfg(test)]
#[path = "spec_tests.rs"]
mod tests;
