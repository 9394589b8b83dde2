//! `PUT /api/v1/llm/budgets`: change daily LLM spend limits at run time, for every node at once.

use std::collections::BTreeMap;

use actix_web::web;
use empire_actors::kinds::{AgentId, MAX_WEBSITE_ID_CHARS};
use empire_schema::BudgetScope;
use empire_schema::models::LlmBudget;
use serde::Deserialize;
use utoipa::ToSchema;

use super::view::{BudgetsView, budgets};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

/// Budgets in EUR per UTC day (decimals allowed, kept to the micro-EUR); 0 removes the limit.
/// Budgets not named are left as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetBudgets {
    #[schema(example = 20.0)]
    pub budget_eur_per_day: Option<f64>,
    /// Agent id → EUR per day.
    #[serde(default)]
    pub per_agent: BTreeMap<String, f64>,
    /// Website id → EUR per day.
    #[serde(default)]
    pub per_website: BTreeMap<String, f64>,
}

/// EUR as micro-EUR, refusing what is not a finite amount ≥ 0.
fn micros(field: &str, eur: f64) -> Result<i64, ApiError> {
    let micros = (eur * 1_000_000.0).round();
    if !(eur.is_finite() && eur >= 0.0 && micros < 9.0e15) {
        return Err(ApiError::field(field, "must be an amount of EUR ≥ 0"));
    }
    Ok(micros as i64)
}

#[utoipa::path(
    put,
    path = "/api/v1/llm/budgets",
    tag = "llm",
    request_body = SetBudgets,
    responses(
        (status = 200, description = "The budgets now in force (micro-EUR)", body = BudgetsView),
        (status = 422, description = "A bad amount, agent or website id", body = crate::error::Problem),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn set_llm_budgets(
    state: web::Data<AppState>,
    body: ValidJson<SetBudgets>,
) -> Result<web::Json<BudgetsView>, ApiError> {
    let body = body.0;
    let mut rows = Vec::new();
    if let Some(eur) = body.budget_eur_per_day {
        rows.push(LlmBudget::new(
            BudgetScope::Cluster,
            "",
            micros("budget_eur_per_day", eur)?,
        ));
    }
    for (agent, eur) in &body.per_agent {
        let field = format!("per_agent.{agent}");
        let agent: AgentId = agent
            .parse()
            .map_err(|_| ApiError::field(&field, "unknown agent"))?;
        rows.push(LlmBudget::new(
            BudgetScope::Agent,
            agent.as_str(),
            micros(&field, eur.to_owned())?,
        ));
    }
    for (website, eur) in &body.per_website {
        let field = format!("per_website.{website}");
        if website.trim().is_empty() || website.chars().count() > MAX_WEBSITE_ID_CHARS {
            return Err(ApiError::field(&field, "not a website id"));
        }
        rows.push(LlmBudget::new(
            BudgetScope::Website,
            website.as_str(),
            micros(&field, *eur)?,
        ));
    }
    LlmBudget::set_all(&state.db, &rows).await?;
    tracing::info!(changed = rows.len(), "LLM budgets changed");
    let configured = state
        .runtime
        .services()
        .llm
        .settings()
        .budget_micro_eur_per_day;
    Ok(web::Json(budgets(&state.db, configured).await?))
}
