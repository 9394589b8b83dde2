//! Daily spend budgets in micro-EUR: for the cluster, per agent and per website. A call whose
//! worst-case cost would take today's spend, plus what calls in flight have reserved, past any
//! of them is refused before it is made; otherwise that worst case is reserved until the call's
//! ledger rows replace it.

use std::fmt;
use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use empire_schema::models::{Attribution, BudgetLimit, LlmBudget, LlmReservation, Reserved};
use empire_schema::{BudgetScope, Db, StoreError};
use serde::{Deserialize, Serialize};

use crate::services::TaskContext;

/// How long a call's reservation holds if it is never settled (its node died mid-call): longer
/// than any one provider's call with its retries.
const RESERVATION_TTL: Duration = Duration::from_secs(15 * 60);

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

/// Reserves `needed` micro-EUR (a call's worst case) against every budget that applies to
/// `task`, checked and written in one serialised transaction: `Ok(Err(refusal))` when the call
/// would pass one; `Ok(Ok(None))` when no budget applies (nothing to settle).
pub async fn reserve(
    db: &Db,
    task: Option<&TaskContext>,
    needed: u64,
    configured_cluster: u64,
) -> Result<Result<Option<String>, BudgetExceeded>, StoreError> {
    if needed == 0 {
        return Ok(Ok(None));
    }
    let mut names = Vec::new();
    let mut limits = Vec::new();
    for name in applicable(task) {
        let limit = limit_of(db, &name, configured_cluster).await?;
        if limit > 0 {
            limits.push(BudgetLimit {
                scope: name.scope,
                subject: name.subject.clone(),
                micro_eur: i64::try_from(limit).unwrap_or(i64::MAX),
            });
            names.push(name);
        }
    }
    if limits.is_empty() {
        return Ok(Ok(None));
    }
    let by = Attribution {
        agent: task.map(|t| t.agent),
        website_id: task.and_then(|t| t.website_id.as_deref()),
    };
    let needed_i64 = i64::try_from(needed).unwrap_or(i64::MAX);
    let reserved = LlmReservation::reserve(
        db,
        &limits,
        start_of_today(),
        needed_i64,
        by,
        RESERVATION_TTL,
    )
    .await?;
    Ok(match reserved {
        Reserved::Held(id) => Ok(Some(id)),
        Reserved::Refused { index, spent } => Err(BudgetExceeded {
            budget: names.swap_remove(index),
            limit_micro_eur: u64::try_from(limits[index].micro_eur).unwrap_or(0),
            spent_micro_eur: u64::try_from(spent).unwrap_or(0),
            needed_micro_eur: needed,
        }),
    })
}

/// Gives back the reservation of a call that was never made; a failure only delays the
/// release until the reservation lapses.
pub async fn release(db: &Db, reservation: Option<String>) {
    if let Some(id) = reservation
        && let Err(error) = LlmReservation::release(db, &id).await
    {
        tracing::warn!(%error, "cannot release an LLM budget reservation; it lapses on its own");
    }
}
