//! `PATCH /api/v1/websites/{id}`: name, domain, theme and legal details; they show from the
//! next build (`POST …/rebuild`).

use actix_web::web;
use empire_schema::Json;
use empire_schema::models::{Website, WebsiteChanges};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::generate::taken_field;
use super::request;
use super::view::WebsiteView;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebsite {
    #[schema(max_length = 100)]
    pub name: Option<String>,
    /// A host name, or `null` to serve the site under `/sites/{slug}/` again.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub domain: Option<Option<String>>,
    /// `clean` or `magazine`.
    pub theme: Option<String>,
    /// The operator's details for the imprint and privacy pages.
    #[schema(value_type = Option<Object>)]
    pub legal: Option<Value>,
}

/// A field that is present (even as `null`) becomes `Some`, an absent one stays `None`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    serde::Deserialize::deserialize(d).map(Some)
}

#[utoipa::path(
    patch,
    path = "/api/v1/websites/{id}",
    tag = "websites",
    params(("id" = String, Path, format = Uuid, description = "The website's id")),
    request_body = UpdateWebsite,
    responses((status = 200, description = "The changed website", body = WebsiteView))
)]
#[tracing::instrument(skip(state, body))]
pub async fn update_website(
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: ValidJson<UpdateWebsite>,
) -> Result<web::Json<WebsiteView>, ApiError> {
    let body = body.0;
    let website = super::load(&state, &id).await?;
    let name = body.name.as_deref().map(request::name).transpose()?;
    let domain = match body.domain {
        Some(Some(domain)) => Some(Some(request::domain(&domain)?)),
        Some(None) => Some(None),
        None => None,
    };
    let mut settings = website.settings.0.clone();
    if let Some(theme) = body.theme.as_deref() {
        settings["theme"] = request::theme(theme)?.as_str().into();
    }
    if let Some(legal) = body.legal {
        settings["legal"] = request::legal(legal)?;
    }
    let changes = WebsiteChanges {
        name,
        domain,
        settings: (settings != website.settings.0).then_some(Json(settings)),
        ..WebsiteChanges::default()
    };
    let updated = Website::update(&state.db, &website.id, &changes)
        .await
        .map_err(taken_field)?;
    Ok(web::Json(updated.into()))
}
