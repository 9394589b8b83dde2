//! `GET /api/v1/websites/{id}/analytics?period=7d|30d|90d` (the seed's route): one site's
//! views, clicks, CTR, sales, revenue, EPC, the LLM cost from the ledger and the profit, in
//! total and per day, page and offer.

use actix_web::web;
use empire_schema::models::analytics::{By, Source, rollup};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Merged, OtherCurrency, PeriodQuery, Totals, other_currencies, period, total};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct WebsiteAnalytics {
    pub website_id: String,
    pub period: String,
    /// The first day counted (`YYYY-MM-DD`, UTC); today is the last.
    pub since: String,
    #[serde(flatten)]
    pub totals: Totals,
    /// Sales in other currencies than EUR (counted in `conversions`, not in revenue).
    pub other_currencies: Vec<OtherCurrency>,
    /// Days with any activity, oldest first.
    pub days: Vec<Keyed>,
    /// Views by page path (`key`), as the beacon reports them.
    pub paths: Vec<Keyed>,
    /// Clicks and sales by page id (`key`).
    pub pages: Vec<Keyed>,
    /// Clicks and sales by offer id (`key`).
    pub offers: Vec<Keyed>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Keyed {
    pub key: String,
    #[serde(flatten)]
    pub totals: Totals,
}

fn keyed(groups: std::collections::BTreeMap<String, Totals>) -> Vec<Keyed> {
    groups
        .into_iter()
        .map(|(key, totals)| Keyed { key, totals })
        .collect()
}

#[utoipa::path(
    get,
    path = "/api/v1/websites/{id}/analytics",
    tag = "websites",
    params(("id" = String, Path, format = Uuid, description = "The website's id"), PeriodQuery),
    responses(
        (status = 200, description = "The site's traffic, sales, LLM cost and profit (micro-EUR)", body = WebsiteAnalytics),
        (status = 404, description = "No such website", body = crate::error::Problem),
        (status = 422, description = "A period other than 7d, 30d or 90d", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip(state, query))]
pub async fn website_analytics(
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<PeriodQuery>,
) -> Result<web::Json<WebsiteAnalytics>, ApiError> {
    let (period, since) = period(query.into_inner())?;
    let website = crate::routes::websites::load(&state, &id).await?;
    let db = &state.db;
    let site = Some(website.id.as_str());
    let rolled = async |source, by| rollup(db, source, by, site, since).await;
    let days = Merged::default()
        .views(rolled(Source::Views, By::Day).await?)
        .clicks(rolled(Source::Clicks, By::Day).await?)
        .sales(rolled(Source::Sales, By::Day).await?)
        .revenue(rolled(Source::SalesEur, By::Day).await?)
        .llm_cost(rolled(Source::LlmCost, By::Day).await?)
        .finish();
    let by = async |by| -> Result<_, ApiError> {
        Ok(Merged::default()
            .clicks(rolled(Source::Clicks, by).await?)
            .sales(rolled(Source::Sales, by).await?)
            .revenue(rolled(Source::SalesEur, by).await?)
            .finish())
    };
    let pages = by(By::Page).await?;
    let offers = by(By::Offer).await?;
    let paths = Merged::default()
        .views(rolled(Source::Views, By::Page).await?)
        .finish();
    Ok(web::Json(WebsiteAnalytics {
        website_id: website.id.clone(),
        period,
        since: since.format("%Y-%m-%d").to_string(),
        totals: total(days.values()),
        other_currencies: other_currencies(rolled(Source::Sales, By::Currency).await?),
        days: keyed(days),
        paths: keyed(paths),
        pages: keyed(pages),
        offers: keyed(offers),
    }))
}
