//! `GET /api/v1/analytics/portfolio?period=7d|30d|90d`: every website's traffic, sales, LLM
//! cost and profit, most profitable first, with totals that also count the sales no website is
//! attributed (a sale without our click reference) and LLM spend made for no website.

use actix_web::web;
use empire_schema::models::Website;
use empire_schema::models::analytics::{By, Source, rollup};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Merged, OtherCurrency, PeriodQuery, Totals, other_currencies, period, total};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioAnalytics {
    pub period: String,
    /// The first day counted (`YYYY-MM-DD`, UTC).
    pub since: String,
    /// Everything, the unattributed included.
    pub totals: Totals,
    /// Sales and LLM spend no website is attributed.
    pub unattributed: Totals,
    pub other_currencies: Vec<OtherCurrency>,
    /// Every website with any activity or cost, by profit (highest first), then slug.
    pub websites: Vec<SiteLine>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SiteLine {
    pub website_id: String,
    pub slug: String,
    #[serde(flatten)]
    pub totals: Totals,
}

#[utoipa::path(
    get,
    path = "/api/v1/analytics/portfolio",
    tag = "websites",
    params(PeriodQuery),
    responses(
        (status = 200, description = "Every website ranked by profit, with portfolio totals (micro-EUR)", body = PortfolioAnalytics),
        (status = 422, description = "A period other than 7d, 30d or 90d", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn portfolio_analytics(
    state: web::Data<AppState>,
    query: web::Query<PeriodQuery>,
) -> Result<web::Json<PortfolioAnalytics>, ApiError> {
    let (period, since) = period(query.into_inner())?;
    let db = &state.db;
    let rolled = async |source| rollup(db, source, By::Website, None, since).await;
    let mut groups = Merged::default()
        .views(rolled(Source::Views).await?)
        .clicks(rolled(Source::Clicks).await?)
        .sales(rolled(Source::Sales).await?)
        .revenue(rolled(Source::SalesEur).await?)
        .llm_cost(rolled(Source::LlmCost).await?)
        .finish();
    let totals = total(groups.values());
    let unattributed = groups.remove("").unwrap_or_default();
    let slugs: std::collections::HashMap<String, String> = Website::slugs_and_domains(db)
        .await?
        .into_iter()
        .map(|(id, slug, _)| (id, slug))
        .collect();
    let mut websites: Vec<SiteLine> = groups
        .into_iter()
        .map(|(website_id, totals)| SiteLine {
            slug: slugs.get(&website_id).cloned().unwrap_or_default(),
            website_id,
            totals,
        })
        .collect();
    websites.sort_by(|a, b| {
        b.totals
            .profit_micro_eur
            .cmp(&a.totals.profit_micro_eur)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let currencies = rollup(db, Source::Sales, By::Currency, None, since).await?;
    Ok(web::Json(PortfolioAnalytics {
        period,
        since: since.format("%Y-%m-%d").to_string(),
        totals,
        unattributed,
        other_currencies: other_currencies(currencies),
        websites,
    }))
}
