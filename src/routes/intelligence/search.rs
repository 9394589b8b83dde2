//! `GET /api/v1/intelligence/search?q=&type=&language=&limit=`: BM25 search over this node's index.

use actix_web::web;
use empire_actors::intelligence::data::DataError;
use empire_actors::intelligence::search::{DocType, Language, SearchError, SearchQuery};
use serde::Deserialize;

use super::params::{bounded, parsed};
use super::views::{HitView, SearchResults};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SearchParams {
    /// Free text (query syntax such as `"exact phrase"` or `-word` allowed; errors forgiven).
    pub q: Option<String>,
    /// research_note, article, keyword or product.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub doc_type: Option<String>,
    /// en or de; both when absent.
    pub language: Option<String>,
    /// 1..=100 (default 10).
    pub limit: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/intelligence/search",
    tag = "intelligence",
    params(SearchParams),
    responses(
        (status = 200, description = "Hits, best first", body = SearchResults),
        (status = 422, description = "A parameter is invalid"),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn search(
    state: web::Data<AppState>,
    params: web::Query<SearchParams>,
) -> Result<web::Json<SearchResults>, ApiError> {
    let params = params.into_inner();
    let q = params.q.unwrap_or_default();
    if q.trim().is_empty() {
        return Err(ApiError::field("q", "must not be empty"));
    }
    if q.chars().count() > SearchQuery::MAX_QUERY_CHARS {
        return Err(ApiError::field(
            "q",
            format!(
                "must be at most {} characters",
                SearchQuery::MAX_QUERY_CHARS
            ),
        ));
    }
    let query = SearchQuery {
        q,
        doc_type: parsed::<DocType>("type", params.doc_type.as_deref())?,
        language: parsed::<Language>("language", params.language.as_deref())?,
        limit: bounded(
            "limit",
            params.limit.as_deref(),
            1..=SearchQuery::MAX_LIMIT as u64,
            SearchQuery::DEFAULT_LIMIT as u64,
        )? as usize,
    };
    match state.runtime.services().search.search(query).await {
        Ok(hits) => Ok(web::Json(SearchResults {
            hits: hits.into_iter().map(HitView::from).collect(),
        })),
        Err(DataError::Search(SearchError::InvalidQuery { field, reason })) => {
            Err(ApiError::field(field, reason))
        }
        Err(error) => Err(ApiError::Internal(error.into())),
    }
}
