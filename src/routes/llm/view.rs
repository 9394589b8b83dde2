//! The budgets as answered by both LLM routes: the effective daily limits and today's spend.

use std::collections::BTreeMap;

use empire_actors::intelligence::llm::node::start_of_today;
use empire_schema::models::{LlmBudget, LlmCall};
use empire_schema::{BudgetScope, Db, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// Daily limits in micro-EUR (0 = none) and what the cluster spent today (UTC).
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetsView {
    /// The cluster's limit: set at run time, else `llm.budget_eur_per_day`.
    pub cluster_micro_eur_per_day: u64,
    pub per_agent_micro_eur_per_day: BTreeMap<String, u64>,
    pub per_website_micro_eur_per_day: BTreeMap<String, u64>,
    pub spent_today_micro_eur: u64,
}

pub async fn budgets(db: &Db, configured_cluster: u64) -> Result<BudgetsView, StoreError> {
    let mut view = BudgetsView {
        cluster_micro_eur_per_day: configured_cluster,
        per_agent_micro_eur_per_day: BTreeMap::new(),
        per_website_micro_eur_per_day: BTreeMap::new(),
        spent_today_micro_eur: 0,
    };
    for budget in LlmBudget::all(db).await? {
        let limit = u64::try_from(budget.micro_eur_per_day).unwrap_or(0);
        match budget.scope {
            BudgetScope::Cluster => view.cluster_micro_eur_per_day = limit,
            BudgetScope::Agent => {
                view.per_agent_micro_eur_per_day
                    .insert(budget.subject, limit);
            }
            BudgetScope::Website => {
                view.per_website_micro_eur_per_day
                    .insert(budget.subject, limit);
            }
        }
    }
    let spent = LlmCall::spent_since(db, start_of_today(), BudgetScope::Cluster, "").await?;
    view.spent_today_micro_eur = u64::try_from(spent).unwrap_or(0);
    Ok(view)
}
