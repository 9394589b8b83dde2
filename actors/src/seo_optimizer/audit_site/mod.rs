//! `audit_site`: the SEO audit, fix loop and publish gate of one build. The build's pages are
//! audited with the site's sitemap, robots.txt and asset sizes and compared with every other
//! site's pages in the same language; the safe fixes are applied into a new build (the audited
//! one stays byte for byte), and the gate's verdict is stored on the build and every page.

mod report;
mod review;
mod settings;
mod signatures;

use empire_schema::StoreError;
use empire_schema::clock::new_id;
use empire_schema::models::{SiteBuild, SitePage, Website};
use serde::Deserialize;
use serde_json::{Value, json};
use url::Url;

use crate::kinds::{FieldError, KindError, website};
use crate::seo_optimizer::site_audit::WebsiteId;
use crate::services::Services;
use crate::website_builder::site::publish::{BuildId, SiteStore};
pub use report::{FailedCheck, Failure, Output};
use review::{Files, PageFixes};
pub use settings::SeoSettings;
pub use signatures::{Signatures, SignaturesError};

/// Where a build's fixed copy is named in the audited build's report, so a re-run reuses it.
const FIXED_BUILD: &str = "fixed_build_id";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub website_id: String,
    pub build_id: String,
}

pub fn validate(input: &Input) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = website::check(Some(&input.website_id))
        .into_iter()
        .collect();
    if BuildId::parse(&input.build_id).is_err() {
        errors.push(FieldError::new(
            "build_id",
            "must be a build id: 1 to 64 letters, digits, `-` or `_`",
        ));
    }
    errors
}

pub async fn run(services: Services, input: Value) -> Result<Value, KindError> {
    let input: Input = crate::kinds::decode_valid(&input, validate)?;
    let output = audit(&services, &input).await?;
    serde_json::to_value(output).map_err(|err| KindError::Failed(format!("encoding output: {err}")))
}

fn failed(what: &str) -> impl FnOnce(StoreError) -> KindError + '_ {
    move |error| KindError::Failed(format!("{what}: {error}"))
}

/// Runs blocking file or CPU work off the async threads.
async fn blocking<T: Send + 'static>(
    what: &'static str,
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, KindError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| KindError::Failed(format!("{what}: {error}")))?
        .map_err(|error| KindError::Failed(format!("{what}: {error}")))
}

async fn audit(services: &Services, input: &Input) -> Result<Output, KindError> {
    let db = &services.db;
    let site = match Website::get(db, &input.website_id).await {
        Err(StoreError::NotFound) => {
            return Err(KindError::Failed(format!(
                "unknown website {}",
                input.website_id
            )));
        }
        other => other.map_err(failed("reading the website"))?,
    };
    let audited = match SiteBuild::get(db, &site.id, &input.build_id).await {
        Err(StoreError::NotFound) => {
            return Err(KindError::Failed(format!(
                "unknown build {} of website {}",
                input.build_id, site.id
            )));
        }
        other => other.map_err(failed("reading the build"))?,
    };
    let settings = services.sites.settings.seo.clone();
    settings
        .validate()
        .map_err(|(setting, reason)| KindError::Failed(format!("{setting} {reason}")))?;
    let base_text = services.sites.base_url(&site.slug, site.domain.as_deref());
    let base = Url::parse(&base_text)
        .map_err(|_| KindError::Failed(format!("the site's address `{base_text}` is not a URL")))?;
    let stored = SitePage::all(db, &site.id)
        .await
        .map_err(failed("reading pages"))?;
    let store = services.sites.store.clone();
    let id = BuildId::parse(&audited.id).map_err(|e| KindError::Failed(e.to_string()))?;
    let files = {
        let (store, slug) = (store.clone(), site.slug.clone());
        blocking("reading the build", move || {
            store.read_files(&slug, &id).map_err(|e| e.to_string())
        })
        .await?
    };
    let mut fixed = files.clone();
    let mut pages = review::built_pages(&files, &base, site.language, &stored);
    let fixes = review::apply_fixes(&mut fixed, &mut pages);

    let mut target = audited.clone();
    if !fixes.is_empty() {
        target = store_fixed(
            services,
            &store,
            &site.slug,
            &audited,
            fixed.clone(),
            &fixes,
        )
        .await?;
    }

    let others = services
        .signatures
        .snapshot(db, site.language, &settings.duplicates())
        .await
        .map_err(|e| KindError::Failed(e.to_string()))?;
    let review = {
        let (website, base, settings) =
            (WebsiteId(site.id.clone()), base.clone(), settings.clone());
        blocking("auditing the site", move || {
            review::review(website, &pages, &fixed, &base, &others, &settings)
                .map_err(|e| e.to_string())
        })
        .await?
    };
    let output = Output {
        website_id: site.id.clone(),
        build_id: target.id.clone(),
        passed: review.decision.passed,
        score: review.site_score(),
        failures: report::failures(&review),
        site_failures: report::site_failures(&review),
        fixed_from: (target.id != audited.id).then(|| audited.id.clone()),
        fixed_pages: fixes.len(),
    };
    let build_report = report::build_report(&output, &review, &fixes);
    SiteBuild::set_gate(db, &target.id, output.passed, build_report)
        .await
        .map_err(failed("storing the verdict"))?;
    for page_report in &review.pages {
        if stored.iter().any(|p| p.id == page_report.page.0) {
            let audit = report::page_audit(&review, page_report, &target.id, &fixes);
            SitePage::set_audit(db, &page_report.page.0, audit)
                .await
                .map_err(failed("storing a page's audit"))?;
        }
    }
    Ok(output)
}

/// Stores the fixed files as a new build and returns its row. Its id is written into the
/// audited build's report first, so a re-run after a crash completes that build instead of
/// making another; the audited build is refused by the gate, since its copy supersedes it.
async fn store_fixed(
    services: &Services,
    store: &SiteStore,
    slug: &str,
    audited: &SiteBuild,
    files: Files,
    fixes: &[PageFixes],
) -> Result<SiteBuild, KindError> {
    let db = &services.db;
    let fixed_id = audited
        .report
        .0
        .get(FIXED_BUILD)
        .and_then(Value::as_str)
        .map_or_else(new_id, str::to_owned);
    let superseded = json!({
        FIXED_BUILD: fixed_id,
        "fixes": fixes.iter().map(|f| json!({ "page": f.page, "url": f.url, "applied": f.applied })).collect::<Vec<_>>(),
    });
    SiteBuild::set_gate(db, &audited.id, false, superseded)
        .await
        .map_err(failed("recording the fixed build"))?;
    let id = BuildId::parse(&fixed_id).map_err(|e| KindError::Failed(e.to_string()))?;
    let (store, slug_owned) = (store.clone(), slug.to_owned());
    let manifest = blocking("storing the fixed build", move || {
        let written = store.read_files(&slug_owned, &id);
        match written {
            // Written by an earlier run that stopped before its row: the same fixes again.
            Ok(existing) if existing == files => store.manifest(&slug_owned, &id),
            Ok(_) => Err(
                crate::website_builder::site::publish::PublishError::BuildExists(
                    id.as_str().to_owned(),
                ),
            ),
            Err(_) => store.store_files(&slug_owned, &id, &files),
        }
        .map_err(|e| e.to_string())
    })
    .await?;
    match SiteBuild::get(db, &audited.website_id, &fixed_id).await {
        Ok(build) => Ok(build),
        Err(StoreError::NotFound) => SiteBuild::create(
            db,
            &fixed_id,
            &audited.website_id,
            audited.pages,
            i64::try_from(manifest.files.len()).unwrap_or(i64::MAX),
            i64::try_from(manifest.total_bytes()).unwrap_or(i64::MAX),
        )
        .await
        .map_err(failed("recording the fixed build")),
        Err(error) => Err(failed("reading the fixed build")(error)),
    }
}

pub fn input_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "seo_optimizer/audit_site input",
        "type": "object",
        "additionalProperties": false,
        "required": ["website_id", "build_id"],
        "properties": {
            "website_id": website::schema(),
            "build_id": { "type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$", "description": "The build to audit (a site_builds id)." }
        }
    })
}

pub fn example_input() -> Value {
    json!({
        "website_id": "01936f7e-8c1a-7d2b-9f00-0123456789ab",
        "build_id": "01936f7f-0a1b-7c2d-8e3f-0123456789ab"
    })
}

#[cfg(test)]
mod tests;
