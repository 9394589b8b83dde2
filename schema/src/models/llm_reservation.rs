//! `llm_reservations`: the worst-case cost of LLM calls in flight. The budget check and the
//! reservation are one serialised transaction, and the call's ledger rows replace its
//! reservation when it ends, so concurrent calls cannot together pass a budget.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_query;
use diesel::sql_types::{BigInt, Text, Timestamp};
use diesel_async::RunQueryDsl;

use super::llm_call::placeholders;
use crate::db::{Backend, Db};
use crate::error::StoreResult;
use crate::schema::llm_reservations;
use crate::types::{AgentId, BudgetScope};
use crate::{clock, transaction, with_conn};

/// Serialises reservations across the cluster on PostgreSQL (SQLite transactions here begin
/// `IMMEDIATE`, which already serialises them).
const PG_BUDGET_LOCK: i64 = 0x656d_7069_7265_0002;

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = llm_reservations)]
struct NewReservation<'a> {
    id: &'a str,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    agent: Option<AgentId>,
    website_id: Option<&'a str>,
    micro_eur: i64,
}

/// A budget a call must fit under: its scope and subject (as `llm_budgets` names them) and
/// its limit for the day, above 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLimit {
    pub scope: BudgetScope,
    pub subject: String,
    pub micro_eur: i64,
}

/// What a reservation attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reserved {
    /// The reservation's id, to settle or release.
    Held(String),
    /// `limits[index]` would be passed: `spent` is today's spend plus what calls in flight hold.
    Refused { index: usize, spent: i64 },
}

/// Who a call is for, as the ledger attributes it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Attribution<'a> {
    pub agent: Option<AgentId>,
    pub website_id: Option<&'a str>,
}

pub struct LlmReservation;

impl LlmReservation {
    /// Reserves `needed` micro-EUR for a call attributed to `by`, if today's spend (since
    /// `since`) plus the unexpired reservations plus `needed` stays within every one of
    /// `limits`; the reservation lapses after `ttl` if nobody settles it (a node that died).
    pub async fn reserve(
        db: &Db,
        limits: &[BudgetLimit],
        since: NaiveDateTime,
        needed: i64,
        by: Attribution<'_>,
        ttl: Duration,
    ) -> StoreResult<Reserved> {
        let now = clock::now();
        let expires_at = now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX);
        let lock = (db.backend() == Backend::Postgres)
            .then(|| format!("SELECT pg_advisory_xact_lock({PG_BUDGET_LOCK})"));
        let queries: Vec<String> = limits
            .iter()
            .map(|limit| placeholders(db, &spent_sql(limit.scope)))
            .collect();
        let id = clock::new_id();
        transaction!(db, |conn| {
            if let Some(lock) = &lock {
                sql_query(lock.as_str()).execute(conn).await?;
            }
            for (index, (limit, sql)) in limits.iter().zip(&queries).enumerate() {
                let query = sql_query(sql.as_str()).bind::<Timestamp, _>(since);
                let spent: Total = match limit.scope {
                    BudgetScope::Cluster => {
                        query.bind::<Timestamp, _>(now).get_result(conn).await?
                    }
                    _ => {
                        query
                            .bind::<Text, _>(&limit.subject)
                            .bind::<Timestamp, _>(now)
                            .bind::<Text, _>(&limit.subject)
                            .get_result(conn)
                            .await?
                    }
                };
                if spent.total.saturating_add(needed) > limit.micro_eur {
                    return Ok(Reserved::Refused {
                        index,
                        spent: spent.total,
                    });
                }
            }
            diesel::insert_into(llm_reservations::table)
                .values(NewReservation {
                    id: &id,
                    created_at: now,
                    expires_at,
                    agent: by.agent,
                    website_id: by.website_id,
                    micro_eur: needed,
                })
                .execute(conn)
                .await?;
            Ok(Reserved::Held(id.clone()))
        })
    }

    /// Gives a reservation back (the call was never made).
    pub async fn release(db: &Db, id: &str) -> StoreResult<()> {
        with_conn!(db, |conn| {
            diesel::delete(llm_reservations::table.find(id))
                .execute(conn)
                .await?;
            Ok(())
        })
    }
}

/// Spend since `?` plus unexpired reservations (at `?`) in one budget's scope; agent and
/// website scopes bind their subject after each timestamp.
fn spent_sql(scope: BudgetScope) -> String {
    let filter = match scope {
        BudgetScope::Cluster => "",
        BudgetScope::Agent => " AND agent = ?",
        BudgetScope::Website => " AND website_id = ?",
    };
    format!(
        "SELECT CAST(\
           COALESCE((SELECT SUM(cost_micro_eur) FROM llm_calls WHERE created_at >= ?{filter}), 0) + \
           COALESCE((SELECT SUM(micro_eur) FROM llm_reservations WHERE expires_at > ?{filter}), 0) \
         AS BIGINT) AS total"
    )
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    total: i64,
}
