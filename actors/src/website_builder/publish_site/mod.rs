//! `publish_site`: puts a build live once the publish gate has passed it. The front door's copy
//! swaps in one atomic rename (`SiteStore::publish`), the row follows (`mark_published`, and
//! `mark_pruned` for builds retention dropped), then the configured deploy targets get it: a
//! plain directory and Cloudflare Pages. Last, IndexNow hears which URLs changed. A refused
//! build leaves the live site alone and marks the website `failed`, naming the failing pages.

pub mod gate;

use empire_schema::StoreError;
use empire_schema::models::{SiteBuild, Website};
use empire_schema::types::WebsiteStatus;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::kinds::{FieldError, KindError, website};
use crate::services::Services;
use crate::website_builder::deploy::cloudflare::PagesClient;
use crate::website_builder::deploy::indexnow::{IndexNow, Submitted};
use crate::website_builder::deploy::read_build;
use crate::website_builder::site::publish::{BuildId, deploy_to_dir};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub website_id: String,
    pub build_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Output {
    pub website_id: String,
    pub build_id: String,
    pub published: bool,
    /// Why the build was not published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Where the build went: `front_door`, `directory`, `cloudflare`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// Older builds whose files retention deleted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pruned: Vec<String>,
    /// The IndexNow ping, when configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indexnow: Option<Value>,
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = website::check(Some(&input.website_id))
        .into_iter()
        .collect();
    if BuildId::parse(&input.build_id).is_err() {
        errors.push(FieldError::new(
            "build_id",
            "must be a build id: 1 to 64 of A-Z a-z 0-9 - _",
        ));
    }
    errors
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": false,
        "required": ["website_id", "build_id"],
        "properties": {
            "website_id": website::schema(),
            "build_id": {
                "type": "string",
                "pattern": "^[A-Za-z0-9_-]{1,64}$",
                "description": "The build to publish (a `build_site` output, or the audit's fixed copy)."
            },
        },
    })
}

pub fn example_input() -> Value {
    json!({
        "website_id": "01936f7e-8c1a-7d2b-9f00-0123456789ab",
        "build_id": "01936f80-0000-7000-8000-000000000001",
    })
}

pub async fn run(services: Services, input: Value) -> Result<Value, KindError> {
    let input: Input = crate::kinds::decode_valid(&input, validate)?;
    let output = publish(&services, &input).await?;
    serde_json::to_value(output).map_err(|err| KindError::Failed(format!("encoding output: {err}")))
}

pub async fn publish(services: &Services, input: &Input) -> Result<Output, KindError> {
    let db = &services.db;
    let (website_id, build_id) = (input.website_id.as_str(), input.build_id.as_str());
    let website = Website::get(db, website_id)
        .await
        .map_err(|error| match error {
            StoreError::NotFound => KindError::Failed(format!("unknown website {website_id}")),
            other => failed(other),
        })?;
    let build = SiteBuild::get(db, website_id, build_id)
        .await
        .map_err(|error| match error {
            StoreError::NotFound => {
                KindError::Failed(format!("unknown build {build_id} of website {website_id}"))
            }
            other => failed(other),
        })?;
    let mut output = Output {
        website_id: website_id.to_owned(),
        build_id: build_id.to_owned(),
        published: false,
        reason: None,
        targets: Vec::new(),
        pruned: Vec::new(),
        indexnow: None,
    };
    if let Some(reason) = gate::refusal(&build) {
        Website::set_status(db, website_id, WebsiteStatus::Failed, Some(reason.clone()))
            .await
            .map_err(failed)?;
        tracing::warn!(website_id, build_id, %reason, "publish refused");
        output.reason = Some(reason);
        return Ok(output);
    }
    let id = BuildId::parse(build_id).map_err(|error| KindError::Failed(error.to_string()))?;
    let slug = website.slug.clone();
    let store = services.sites.store.clone();
    let (dropped, build_dir, manifest) = {
        let id = id.clone();
        blocking(move || {
            let manifest = store.manifest(&slug, &id)?;
            let dropped = store.publish(&slug, &id)?;
            Ok((dropped, store.build_dir(&slug, &id)?, manifest))
        })
        .await?
    };
    SiteBuild::mark_published(db, website_id, build_id)
        .await
        .map_err(failed)?;
    output.pruned = dropped.iter().map(|id| id.as_str().to_owned()).collect();
    SiteBuild::mark_pruned(db, &output.pruned)
        .await
        .map_err(failed)?;
    output.published = true;
    output.targets.push("front_door".into());

    let settings = &services.sites.settings;
    if let Some(root) = settings.deploy_dir() {
        let (from, to) = (build_dir.clone(), root.join(&website.slug));
        blocking(move || deploy_to_dir(&from, &to)).await?;
        output.targets.push("directory".into());
    }
    if settings.cloudflare.enabled() {
        let (dir, listed) = (build_dir.clone(), manifest.clone());
        let files = tokio::task::spawn_blocking(move || read_build(&dir, &listed))
            .await
            .map_err(|error| KindError::Failed(format!("deploy thread: {error}")))?
            .map_err(|error| KindError::Failed(format!("reading build {build_id}: {error}")))?;
        let client = PagesClient::new(settings.cloudflare.clone())
            .map_err(|error| KindError::Failed(error.to_string()))?;
        let project = settings.cloudflare.project_for(&website.slug);
        let deployment = client.deploy(&project, &files).await.map_err(|error| {
            KindError::Failed(format!("site {} published here, but {error}", website.slug))
        })?;
        tracing::info!(website_id, build_id, project, deployment = %deployment.id, uploaded = deployment.uploaded, live = deployment.live, stage = %deployment.stage, "deployed to Cloudflare Pages");
        output.targets.push("cloudflare".into());
    }
    if settings.indexnow.enabled {
        let base = services
            .sites
            .base_url(&website.slug, website.domain.as_deref());
        let urls: Vec<String> = manifest
            .files
            .iter()
            .filter_map(|file| file.path.strip_suffix("index.html"))
            .map(|path| format!("{base}{path}"))
            .collect();
        output.indexnow = Some(ping(settings.indexnow.clone(), &base, &urls).await);
    }
    tracing::info!(website_id, build_id, targets = ?output.targets, "site published");
    Ok(output)
}

/// The ping's outcome; a refused ping does not undo a publish, so it is reported, not raised.
async fn ping(
    settings: crate::website_builder::deploy::indexnow::IndexNowSettings,
    base: &str,
    urls: &[String],
) -> Value {
    let result = match IndexNow::new(settings) {
        Ok(client) => client.submit(base, urls).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(Submitted {
            urls,
            requests,
            key_pending,
        }) => {
            json!({ "submitted": urls, "requests": requests, "key_pending": key_pending })
        }
        Err(error) => {
            tracing::warn!(%error, base, "IndexNow ping failed");
            json!({ "error": error.to_string() })
        }
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, crate::website_builder::site::publish::PublishError>
    + Send
    + 'static,
) -> Result<T, KindError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| KindError::Failed(format!("publish thread: {error}")))?
        .map_err(|error| KindError::Failed(format!("publish: {error}")))
}

fn failed(error: StoreError) -> KindError {
    KindError::Failed(format!("store: {error}"))
}

#[cfg(test)]
mod tests;
