//! `POST /api/v1/websites/generate`: a new website and the durable `website_pipeline` that
//! makes it, stored together; 202 with both ids.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use empire_actors::runtime::StartError;
use empire_schema::models::{NewWebsite, Website};
use empire_schema::types::Language;
use empire_schema::{StoreError, WebsiteStatus};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::request::{self, OfferInput};
use super::view::WebsiteRunView;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateWebsite {
    /// What the site is about.
    #[schema(example = "garden tools", min_length = 2, max_length = 80)]
    pub niche: String,
    pub language: Language,
    /// Defaults to the niche in title case.
    #[schema(max_length = 100)]
    pub name: Option<String>,
    /// The site's handle in URLs (`/sites/{slug}/`); defaults to one made from the name.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 60)]
    pub slug: Option<String>,
    /// Where the site will be served; without one it is served under `/sites/{slug}/`.
    #[schema(example = "garden.example")]
    pub domain: Option<String>,
    /// Pages in all: home, categories and articles (default 20).
    #[schema(minimum = 5, maximum = 200)]
    pub pages: Option<i64>,
    /// `clean` or `magazine`.
    #[schema(example = "clean")]
    pub theme: Option<String>,
    /// The operator's details for the imprint and privacy pages: `owner_name`,
    /// `address_lines`, `email`, optional `phone`, `vat_id`, `responsible_person`.
    #[schema(value_type = Option<Object>)]
    pub legal: Option<Value>,
    /// Offers to add to the niche's catalogue; none are ever invented.
    #[serde(default)]
    pub offers: Vec<OfferInput>,
}

#[utoipa::path(
    post,
    path = "/api/v1/websites/generate",
    tag = "websites",
    request_body = GenerateWebsite,
    responses((status = 202, description = "The website exists in `draft` and its pipeline runs", body = WebsiteRunView))
)]
#[tracing::instrument(skip_all)]
pub async fn generate_website(
    state: web::Data<AppState>,
    body: ValidJson<GenerateWebsite>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let niche = request::niche(&body.niche)?;
    let name = match &body.name {
        Some(name) => request::name(name)?,
        None => request::default_name(&niche),
    };
    let domain = body.domain.as_deref().map(request::domain).transpose()?;
    let pages = request::pages(body.pages)?;
    let theme = body.theme.as_deref().map(request::theme).transpose()?;
    let legal = body.legal.map(request::legal).transpose()?;
    let offers = request::offers(&niche, body.offers)?;
    let slug = match body.slug.as_deref() {
        Some(slug) => request::slug(slug)?,
        None => free_slug(&state, &request::slugify(&name)).await?,
    };
    let website = Website::row(NewWebsite {
        slug,
        name,
        niche,
        domain,
        language: body.language,
        status: WebsiteStatus::Draft,
        settings: request::settings(pages, theme, legal),
    });
    let (website, workflow, _first) = state
        .runtime
        .start_site_pipeline(website, offers)
        .await
        .map_err(|error| match error {
            StartError::Store(error) => taken_field(error),
            error => error.into(),
        })?;
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/api/v1/websites/{}", website.id)))
        .json(WebsiteRunView {
            website_id: website.id,
            workflow_id: workflow.id,
        }))
}

/// `base`, or `base-2`, `base-3`, … when another site has it: a name picked by default never
/// collides (an explicit slug that does is refused instead).
async fn free_slug(state: &AppState, base: &str) -> Result<String, ApiError> {
    for n in 1..=50 {
        let candidate = if n == 1 {
            base.to_owned()
        } else {
            format!("{base}-{n}")
        };
        match Website::get_by_slug(&state.db, &candidate).await {
            Err(StoreError::NotFound) => return Ok(candidate),
            Err(error) => return Err(error.into()),
            Ok(_) => {}
        }
    }
    Err(ApiError::field(
        "slug",
        format!("`{base}` and its variants are taken; give a slug"),
    ))
}

/// A unique slug or domain taken by another site is the client's to fix: 422 naming it.
pub fn taken_field(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict(what) => {
            let field = if what.contains("domain") {
                "domain"
            } else {
                "slug"
            };
            ApiError::field(field, "is already used by another website")
        }
        error => error.into(),
    }
}
