//! `write_pages` (service kind, pipeline step `write`): writes every planned page of a site that
//! is neither written nor edited by a person — title, meta description, Markdown with front
//! matter, FAQ, the product facts it states and its near-duplicate signature — one page at a
//! time, so a retry writes only what is still unwritten. The text comes from the `write_pages`
//! LLM chain; when the offline provider answers, the page is built from templates, the
//! store's product data and sentence pools seeded by the website and page (see [`compose`]).

pub mod compose;
pub mod facts;
mod pools;
pub mod prompt;

use crate::intelligence::data::article_doc;
use empire_schema::models::{SitePage, Website, WrittenPage};
use empire_schema::types::PageKind;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::intelligence::llm::{LOCAL_MODEL, LlmError};
use crate::kinds::{FieldError, KindError, decode_valid, website};
use crate::opportunity_scanner::site_keywords::website_or_fail;
use crate::seo_optimizer::site_audit::{DuplicateConfig, DuplicateIndex};
use crate::services::Services;
use crate::website_builder::site::ProductFact;
use compose::{Draft, PageLink};
use pools::Dice;

/// The kind name, also the key of its chain in `[llm.chains]`.
pub const KIND: &str = "write_pages";
/// Articles a category page links to in its own text (the theme lists them all as cards).
const CATEGORY_LINKS: usize = 8;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub website_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub website_id: String,
    /// Pages written by this run.
    pub written: usize,
    /// Pages a person edited, left as they are.
    pub kept_edits: usize,
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    website::check(Some(&input.website_id))
        .into_iter()
        .collect()
}

pub async fn run(services: Services, input: Value) -> Result<Value, KindError> {
    let input: Input = decode_valid(&input, validate)?;
    let site = website_or_fail(&services, &input.website_id).await?;
    let pages = SitePage::all(&services.db, &site.id)
        .await
        .map_err(|e| KindError::Failed(format!("reading the pages of website {}: {e}", site.id)))?;
    let known = facts::gather(&services, &site.niche)
        .await
        .map_err(|e| KindError::Failed(format!("reading the niche's products: {e}")))?;
    let index = DuplicateIndex::new(DuplicateConfig::default())
        .map_err(|e| KindError::Failed(e.to_string()))?;
    let base = services.sites.base_url(&site.slug, site.domain.as_deref());
    // Sites of one niche start their reviews at different products.
    let offset = Dice::new(&site.id, "").below(known.len().max(1));
    let mut output = Output {
        website_id: site.id.clone(),
        written: 0,
        kept_edits: 0,
    };
    for (at, page) in pages.iter().enumerate() {
        if page.edited_at.is_some() {
            output.kept_edits += 1;
            continue;
        }
        if page.written {
            continue;
        }
        let turn = offset
            + pages[..at]
                .iter()
                .filter(|p| p.article_type == page.article_type)
                .count();
        let named = facts::for_page(&known, page.article_type, turn);
        let links = links_of(page, &pages, &base);
        let draft = Draft {
            website_id: &site.id,
            site_name: &site.name,
            language: site.language,
            kind: page.kind,
            article_type: page.article_type,
            slug: &page.slug,
            keyword: &page.keyword,
            title: &page.title,
            facts: &named,
            links: &links,
            home: PageLink {
                title: site.name.clone(),
                url: base.clone(),
            },
        };
        let written = write(&services, &site, &draft, &index).await?;
        let stored = SitePage::write(&services.db, &page.id, written, article_doc)
            .await
            .map_err(|e| KindError::Failed(format!("storing page `{}`: {e}", page.slug)))?;
        if stored {
            output.written += 1;
        } else {
            // A person edited it while it was being written; their text stays.
            output.kept_edits += 1;
        }
    }
    serde_json::to_value(output).map_err(|err| KindError::Failed(format!("encoding output: {err}")))
}

/// Asks the chain for the page; the offline provider's answer is replaced by the template page.
async fn write(
    services: &Services,
    site: &Website,
    draft: &Draft<'_>,
    index: &DuplicateIndex,
) -> Result<WrittenPage, KindError> {
    let outcome = services
        .complete(KIND, &prompt::request(draft))
        .await
        .map_err(|error| llm_failure(draft.slug, error))?;
    let mut composed = compose::compose(draft);
    if outcome.completion.model != LOCAL_MODEL {
        match compose::from_answer(&outcome.completion.text) {
            Some(body) => composed.body = body,
            None => {
                tracing::warn!(website_id = %site.id, page = draft.slug, provider = %outcome.completion.provider, "empty answer; the page is written from templates")
            }
        }
    }
    let signature = index.signature(&compose::plain_text(&composed.body));
    Ok(WrittenPage {
        markdown: compose::document(draft, &composed),
        title: composed.title,
        meta_description: composed.meta_description,
        products: to_json(draft.facts)?,
        faq: to_json(&composed.faq)?,
        ai_generated: true,
        signature: Some(to_json(&signature)?),
    })
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Value, KindError> {
    serde_json::to_value(value).map_err(|e| KindError::Failed(format!("encoding page data: {e}")))
}

/// A spent budget stops the task for good; a provider failure may pass on a retry.
pub fn llm_failure(slug: &str, error: LlmError) -> KindError {
    match error {
        LlmError::BudgetExceeded(exceeded) => KindError::BudgetExceeded(exceeded),
        LlmError::Gateway(error) => KindError::Failed(format!("writing page `{slug}`: {error}")),
        LlmError::Store(error) => KindError::Failed(format!("reading LLM budgets: {error}")),
    }
}

/// Where a page is read below the site's base URL (the builder's layout).
fn path_of(page: &SitePage) -> String {
    match (page.kind, &page.category) {
        (PageKind::Home, _) => String::new(),
        (PageKind::Article, Some(category)) => format!("{category}/{}/", page.slug),
        _ => format!("{}/", page.slug),
    }
}

/// Home: its categories; a category: its first articles; an article: its category.
fn links_of(page: &SitePage, pages: &[SitePage], base: &str) -> Vec<PageLink> {
    let link = |to: &SitePage| PageLink {
        title: to.title.clone(),
        url: format!("{base}{}", path_of(to)),
    };
    match page.kind {
        PageKind::Home => pages
            .iter()
            .filter(|p| p.kind == PageKind::Category)
            .map(link)
            .collect(),
        PageKind::Category => pages
            .iter()
            .filter(|p| p.kind == PageKind::Article && p.category.as_deref() == Some(&page.slug))
            .take(CATEGORY_LINKS)
            .map(link)
            .collect(),
        _ => pages
            .iter()
            .filter(|p| p.kind == PageKind::Category && Some(&p.slug) == page.category.as_ref())
            .map(link)
            .collect(),
    }
}

/// The facts of a written page, as stored.
pub fn stored_facts(page: &SitePage) -> Vec<ProductFact> {
    serde_json::from_value(page.products.0.clone()).unwrap_or_default()
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "content_generator/write_pages input",
        "type": "object",
        "additionalProperties": false,
        "required": ["website_id"],
        "properties": { "website_id": website::schema() }
    })
}

pub fn example_input() -> Value {
    json!({ "website_id": "0193a4c2-7d1e-7c3a-9f4e-2b8d6a1c5e70" })
}

#[cfg(test)]
mod service_tests;
#[cfg(test)]
mod tests;
