//! `GET /api/v1/llm/usage?period=7d|30d|90d`: LLM spend and tokens by provider, agent and website.

use actix_web::web;
use chrono::{Duration, SecondsFormat, Utc};
use empire_schema::models::{LlmCall, SpendGroup, SpendLine};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::view::{BudgetsView, budgets};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct UsageQuery {
    /// `7d` (default), `30d` or `90d`: the days before now counted.
    pub period: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UsageLine {
    /// The provider, agent or website; null for calls made for no agent or website.
    pub key: Option<String>,
    pub calls: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cost_micro_eur: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UsageView {
    pub period: String,
    /// RFC 3339 UTC: calls at or after this are counted.
    pub since: String,
    pub total_micro_eur: i64,
    pub calls: i64,
    pub by_provider: Vec<UsageLine>,
    pub by_agent: Vec<UsageLine>,
    pub by_website: Vec<UsageLine>,
    pub budgets: BudgetsView,
}

fn line(spend: SpendLine) -> UsageLine {
    UsageLine {
        key: spend.key,
        calls: spend.calls,
        input_tokens: spend.input_tokens,
        output_tokens: spend.output_tokens,
        cost_micro_eur: spend.cost_micro_eur,
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/llm/usage",
    tag = "llm",
    params(UsageQuery),
    responses((status = 200, description = "Spend by provider, agent and website (micro-EUR)", body = UsageView))
)]
#[tracing::instrument(skip_all)]
pub async fn llm_usage(
    state: web::Data<AppState>,
    query: web::Query<UsageQuery>,
) -> Result<web::Json<UsageView>, ApiError> {
    let period = query.into_inner().period.unwrap_or_else(|| "7d".into());
    let days = match period.as_str() {
        "7d" => 7,
        "30d" => 30,
        "90d" => 90,
        _ => return Err(ApiError::field("period", "must be 7d, 30d or 90d")),
    };
    let since = Utc::now().naive_utc() - Duration::days(days);
    let db = &state.db;
    let by_provider = LlmCall::usage_since(db, since, SpendGroup::Provider).await?;
    let by_agent = LlmCall::usage_since(db, since, SpendGroup::Agent).await?;
    let by_website = LlmCall::usage_since(db, since, SpendGroup::Website).await?;
    let configured = state
        .runtime
        .services()
        .llm
        .settings()
        .budget_micro_eur_per_day;
    Ok(web::Json(UsageView {
        period,
        since: since.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true),
        total_micro_eur: by_provider.iter().map(|l| l.cost_micro_eur).sum(),
        calls: by_provider.iter().map(|l| l.calls).sum(),
        by_provider: by_provider.into_iter().map(line).collect(),
        by_agent: by_agent.into_iter().map(line).collect(),
        by_website: by_website.into_iter().map(line).collect(),
        budgets: budgets(db, configured).await?,
    }))
}
