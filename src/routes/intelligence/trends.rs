//! `GET /api/v1/intelligence/trends?industry=&period=7d|30d|90d&limit=`: rising and falling
//! keywords from imported monthly volumes and from the sites' own views and clicks, each with
//! its series.

use actix_web::web;
use empire_actors::intelligence::data::trends::{Period, TrendReport, trends as keyword_trends};
use serde::Deserialize;

use super::params::{bounded, parsed};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TrendParams {
    /// A niche, or text the keywords contain; every keyword when absent.
    pub industry: Option<String>,
    /// 7d, 30d (default) or 90d: ending at the newest imported month for imported volumes,
    /// today for the sites' own analytics.
    pub period: Option<String>,
    /// Keywords per list, 1..=100 (default 20).
    pub limit: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/intelligence/trends",
    tag = "intelligence",
    params(TrendParams),
    responses(
        (status = 200, description = "Rising and falling keywords", body = TrendReport),
        (status = 422, description = "A parameter is invalid"),
    )
)]
pub async fn trends(
    state: web::Data<AppState>,
    params: web::Query<TrendParams>,
) -> Result<web::Json<TrendReport>, ApiError> {
    let params = params.into_inner();
    let period = parsed::<Period>("period", params.period.as_deref())?.unwrap_or(Period::Month);
    let limit = bounded("limit", params.limit.as_deref(), 1..=100, 20)? as usize;
    let industry = params
        .industry
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty());
    if industry.is_some_and(|text| text.chars().count() > 100) {
        return Err(ApiError::field(
            "industry",
            "must be at most 100 characters",
        ));
    }
    keyword_trends(&state.db, industry, period, limit)
        .await
        .map(web::Json)
        .map_err(|error| ApiError::Internal(error.into()))
}
