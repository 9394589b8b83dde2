//! Daily spend budgets in micro-EUR: for the cluster, per agent and per website. A call whose
//! worst-case cost would take today's spend past any of them is refused before it is made.

use std::fmt;

use chrono::{NaiveDateTime, Utc};
use empire_schema::models::{LlmBudget, LlmCall};
use empire_schema::{BudgetScope, Db, StoreError};
use serde::{Deserialize, Serialize};

use crate::services::TaskContext;

/// The budget a call would have passed, and by how much.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error(
    "{budget} budget exceeded: {spent_micro_eur} of {limit_micro_eur} micro-EUR spent today, the call may cost {needed_micro_eur}"
)]
pub struct BudgetExceeded {
    pub budget: BudgetName,
    pub limit_micro_eur: u64,
    pub spent_micro_eur: u64,
    pub needed_micro_eur: u64,
}

/// Which budget: `cluster`, `agent:<id>` or `website:<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetName {
    pub scope: BudgetScope,
    pub subject: String,
}

impl fmt::Display for BudgetName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scope {
            BudgetScope::Cluster => f.write_str("cluster"),
            scope => write!(f, "{}:{}", scope.as_str(), self.subject),
        }
    }
}

/// The start of today, UTC: budgets are per calendar day.
pub fn start_of_today() -> NaiveDateTime {
    Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
}

/// The budgets that apply to a call for `task` (the cluster's always).
fn applicable(task: Option<&TaskContext>) -> Vec<BudgetName> {
    let mut names = vec![BudgetName {
        scope: BudgetScope::Cluster,
        subject: String::new(),
    }];
    if let Some(task) = task {
        names.push(BudgetName {
            scope: BudgetScope::Agent,
            subject: task.agent.as_str().to_owned(),
        });
        if let Some(website) = &task.website_id {
            names.push(BudgetName {
                scope: BudgetScope::Website,
                subject: website.clone(),
            });
        }
    }
    names
}

/// The limit of `name`: its row, else for the cluster the configured default; 0 = none.
async fn limit_of(db: &Db, name: &BudgetName, configured_cluster: u64) -> Result<u64, StoreError> {
    let row = LlmBudget::find(db, name.scope, &name.subject).await?;
    Ok(match (row, name.scope) {
        (Some(row), _) => u64::try_from(row.micro_eur_per_day).unwrap_or(0),
        (None, BudgetScope::Cluster) => configured_cluster,
        (None, _) => 0,
    })
}

/// `Ok(Err(refusal))` when a call of at most `needed` micro-EUR would pass a budget.
pub async fn check(
    db: &Db,
    task: Option<&TaskContext>,
    needed: u64,
    configured_cluster: u64,
) -> Result<Result<(), BudgetExceeded>, StoreError> {
    if needed == 0 {
        return Ok(Ok(()));
    }
    let since = start_of_today();
    for name in applicable(task) {
        let limit = limit_of(db, &name, configured_cluster).await?;
        if limit == 0 {
            continue;
        }
        let spent = LlmCall::spent_since(db, since, name.scope, &name.subject).await?;
        let spent = u64::try_from(spent).unwrap_or(0);
        if spent.saturating_add(needed) > limit {
            return Ok(Err(BudgetExceeded {
                budget: name,
                limit_micro_eur: limit,
                spent_micro_eur: spent,
                needed_micro_eur: needed,
            }));
        }
    }
    Ok(Ok(()))
}
