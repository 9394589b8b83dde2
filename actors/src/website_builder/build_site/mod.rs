//! `build_site`: builds a stored website into a new, unpublished build. Its written pages, its
//! theme and legal settings and its monetised links (the first mention of each linked offer
//! becomes a `/go/{code}` link, `rel="sponsored nofollow"`) make a [`SiteSpec`], which the site
//! store builds under a fresh id; the build is recorded in `site_builds`. A retry makes another
//! build and never touches an existing one. The pictures its pages show are localised first
//! (scaled WebP copies in the build; see [`images`]).

pub mod links;
pub mod spec;

use std::collections::{BTreeMap, HashMap};

use empire_schema::StoreError;
use empire_schema::clock::new_id;
use empire_schema::models::{Link, Offer, SiteBuild, SitePage, Website};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::kinds::{FieldError, KindError, website};
use crate::services::Services;
use crate::website_builder::deploy::indexnow::KEY_FILE;
use crate::website_builder::images;
use crate::website_builder::site::images as site_images;
use crate::website_builder::site::publish::{BuildId, PublishError};
use crate::website_builder::site::{BuildError, SiteSpec};
use links::OfferLink;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub website_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Output {
    pub website_id: String,
    pub build_id: String,
    /// HTML pages in the build, the generated legal pages included.
    pub pages: u64,
    pub files: u64,
    pub bytes: u64,
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    website::check(Some(&input.website_id))
        .into_iter()
        .collect()
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": false,
        "required": ["website_id"],
        "properties": { "website_id": website::schema() },
    })
}

pub fn example_input() -> Value {
    json!({ "website_id": "01936f7e-8c1a-7d2b-9f00-0123456789ab" })
}

pub async fn run(services: Services, input: Value) -> Result<Value, KindError> {
    let input: Input = crate::kinds::decode_valid(&input, validate)?;
    let output = build(&services, &input.website_id).await?;
    serde_json::to_value(output).map_err(|err| KindError::Failed(format!("encoding output: {err}")))
}

/// Builds the site `website_id` and records the build.
pub async fn build(services: &Services, website_id: &str) -> Result<Output, KindError> {
    let db = &services.db;
    let website = Website::get(db, website_id)
        .await
        .map_err(|error| store_error(error, website_id))?;
    let pages = SitePage::all(db, website_id).await.map_err(failed)?;
    let offers = page_offers(services, website_id).await?;
    let base_url = services
        .sites
        .base_url(&website.slug, website.domain.as_deref());
    let operator = &services.sites.settings.legal;
    let mut spec = spec::site_spec(&website, &pages, &offers, base_url, operator)
        .map_err(|error| KindError::Failed(format!("site `{}`: {error}", website.slug)))?;
    let mut extra = extra_files(services);
    let pictures = images::localise(services, &site_images::sources(&spec)).await;
    spec.images = pictures.images;
    spec.analytics_url = Some(services.sites.analytics_url());
    extra.extend(pictures.files);
    let id = new_id();
    let build_id = BuildId::parse(&id).map_err(|error| KindError::Failed(error.to_string()))?;
    let store = services.sites.store.clone();
    let built = {
        let spec = spec.clone();
        tokio::task::spawn_blocking(move || store.build_with(&spec, &extra, &build_id))
            .await
            .map_err(|error| KindError::Failed(format!("build thread: {error}")))?
    };
    let manifest = built.map_err(|error| build_failed(&spec, error))?;
    let output = Output {
        website_id: website_id.to_owned(),
        build_id: id.clone(),
        pages: manifest
            .files
            .iter()
            .filter(|file| file.path.ends_with("index.html"))
            .count() as u64,
        files: manifest.files.len() as u64,
        bytes: manifest.total_bytes(),
    };
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    SiteBuild::create(
        db,
        &id,
        website_id,
        count(output.pages),
        count(output.files),
        count(output.bytes),
    )
    .await
    .map_err(failed)?;
    tracing::info!(website_id, build_id = %id, pages = output.pages, bytes = output.bytes, "site built");
    Ok(output)
}

/// Each page's linked offers: name and tracked address.
async fn page_offers(
    services: &Services,
    website_id: &str,
) -> Result<BTreeMap<String, Vec<OfferLink>>, KindError> {
    let db = &services.db;
    let links = Link::for_website(db, website_id).await.map_err(failed)?;
    let mut names: HashMap<String, String> = HashMap::new();
    let mut by_page: BTreeMap<String, Vec<OfferLink>> = BTreeMap::new();
    for link in links {
        let name = match names.get(&link.offer_id) {
            Some(name) => name.clone(),
            None => {
                let offer = Offer::get(db, &link.offer_id).await.map_err(failed)?;
                names.insert(link.offer_id.clone(), offer.name.clone());
                offer.name
            }
        };
        by_page.entry(link.page_id).or_default().push(OfferLink {
            name,
            url: services.sites.go_url(&link.code),
        });
    }
    Ok(by_page)
}

/// Files every build carries beside the rendered site: the IndexNow key when pings are on.
pub fn extra_files(services: &Services) -> BTreeMap<String, Vec<u8>> {
    let indexnow = &services.sites.settings.indexnow;
    let mut files = BTreeMap::new();
    if indexnow.enabled {
        files.insert(KEY_FILE.to_owned(), indexnow.key.clone().into_bytes());
    }
    files
}

fn build_failed(spec: &SiteSpec, error: PublishError) -> KindError {
    let detail = match &error {
        PublishError::Build(BuildError::Invalid(errors)) => errors
            .iter()
            .map(|e| name_page(spec, &e.to_string()))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    };
    KindError::Failed(format!("site `{}` cannot be built: {detail}", spec.slug))
}

/// `pages[2].title: …` → `pages[2] (`best-shears`).title: …`, so the failing page is named.
fn name_page(spec: &SiteSpec, text: &str) -> String {
    let Some(rest) = text.strip_prefix("pages[") else {
        return text.to_owned();
    };
    let Some((index, tail)) = rest.split_once(']') else {
        return text.to_owned();
    };
    match index.parse::<usize>().ok().and_then(|i| spec.pages.get(i)) {
        Some(page) => format!("pages[{index}] (`{}`){tail}", page.id),
        None => text.to_owned(),
    }
}

fn store_error(error: StoreError, website_id: &str) -> KindError {
    match error {
        StoreError::NotFound => KindError::Failed(format!("unknown website {website_id}")),
        other => failed(other),
    }
}

fn failed(error: StoreError) -> KindError {
    KindError::Failed(format!("store: {error}"))
}

#[cfg(test)]
pub(crate) mod tests;
