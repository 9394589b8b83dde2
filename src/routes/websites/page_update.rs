//! `PATCH /api/v1/websites/{id}/pages/{page_id}`: a person's edit. It is kept: no re-run of
//! the pipeline overwrites an edited page. It shows from the next build.

use actix_web::web;
use empire_actors::intelligence::data::article_doc;
use empire_schema::models::{PageEdit, SitePage};
use serde::Deserialize;
use utoipa::ToSchema;

use super::page_get::load_page;
use super::view::PageDetailView;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

const MAX_TITLE_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 400;
const MAX_MARKDOWN_BYTES: usize = 200_000;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePage {
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[schema(max_length = 400)]
    pub meta_description: Option<String>,
    /// Markdown, optionally with front matter; sanitised when built.
    #[schema(max_length = 200000)]
    pub markdown: Option<String>,
}

#[utoipa::path(
    patch,
    path = "/api/v1/websites/{id}/pages/{page_id}",
    tag = "websites",
    params(
        ("id" = String, Path, format = Uuid, description = "The website's id"),
        ("page_id" = String, Path, format = Uuid, description = "The page's id"),
    ),
    request_body = UpdatePage,
    responses((status = 200, description = "The edited page", body = PageDetailView))
)]
#[tracing::instrument(skip(state, body))]
pub async fn update_page(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: ValidJson<UpdatePage>,
) -> Result<web::Json<PageDetailView>, ApiError> {
    let (id, page_id) = path.into_inner();
    let UpdatePage {
        title,
        meta_description,
        markdown,
    } = body.0;
    let title = title.map(|title| title.trim().to_owned());
    if title
        .as_ref()
        .is_some_and(|title| title.is_empty() || title.chars().count() > MAX_TITLE_CHARS)
    {
        return Err(ApiError::field(
            "title",
            format!("must be 1 to {MAX_TITLE_CHARS} characters"),
        ));
    }
    if meta_description
        .as_ref()
        .is_some_and(|text| text.chars().count() > MAX_DESCRIPTION_CHARS)
    {
        return Err(ApiError::field(
            "meta_description",
            format!("must be at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    if markdown
        .as_ref()
        .is_some_and(|text| text.len() > MAX_MARKDOWN_BYTES)
    {
        return Err(ApiError::field(
            "markdown",
            format!("must be at most {MAX_MARKDOWN_BYTES} bytes"),
        ));
    }
    let page = load_page(&state, &id, &page_id).await?;
    let edit = PageEdit {
        title,
        meta_description,
        markdown,
    };
    let edited = SitePage::edit(&state.db, &page.website_id, &page.id, &edit, article_doc).await?;
    Ok(web::Json(edited.into()))
}
