//! `llm_calls`: the LLM ledger, one row per call attempt with its tokens, latency, outcome and
//! cost in micro-EUR; and the sums budgets and the usage report are made of.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};
use diesel::{QueryableByName, sql_query};
use diesel_async::RunQueryDsl;

use crate::db::{Backend, Db};
use crate::error::StoreResult;
use crate::schema::{llm_calls, llm_reservations};
use crate::stamp::Stamp;
use crate::types::{AgentId, BudgetScope};
use crate::{transaction, with_conn};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = llm_calls)]
pub struct LlmCall {
    pub id: String,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    pub provider: String,
    pub model: String,
    pub task_id: Option<String>,
    pub agent: Option<AgentId>,
    pub website_id: Option<String>,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub usage_estimated: bool,
    pub latency_ms: i64,
    /// A `CallOutcome` of the gateway (`ok`, `rate_limited`, …).
    pub outcome: String,
    pub cost_micro_eur: i64,
    pub priced_by_default: bool,
    pub streamed: bool,
    pub error: Option<String>,
}

/// One line of a usage report: spend and tokens grouped by provider, agent or website.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct SpendLine {
    /// The provider, agent or website; `None` for calls made for no agent or website.
    #[diesel(sql_type = Nullable<Text>)]
    pub key: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub calls: i64,
    #[diesel(sql_type = BigInt)]
    pub input_tokens: i64,
    #[diesel(sql_type = BigInt)]
    pub output_tokens: i64,
    #[diesel(sql_type = BigInt)]
    pub cost_micro_eur: i64,
}

/// What to group a usage report by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpendGroup {
    Provider,
    Agent,
    Website,
}

impl SpendGroup {
    /// The column grouped by: a constant, never input.
    fn column(self) -> &'static str {
        match self {
            SpendGroup::Provider => "provider",
            SpendGroup::Agent => "agent",
            SpendGroup::Website => "website_id",
        }
    }
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// `?` placeholders numbered `$1, $2, …` on PostgreSQL.
pub(crate) fn placeholders(db: &Db, sql: &str) -> String {
    match db.backend() {
        Backend::Sqlite => sql.to_owned(),
        Backend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

impl LlmCall {
    /// Appends attempts to the ledger and, in the same transaction, drops the reservation
    /// (`llm_reservations`) they settle, so the budget never counts a call twice or not at all.
    pub async fn record(db: &Db, calls: &[LlmCall], settles: Option<&str>) -> StoreResult<()> {
        if calls.is_empty() && settles.is_none() {
            return Ok(());
        }
        // One statement per row: SQLite has no multi-row insert with NULL defaults in diesel.
        transaction!(db, |conn| {
            for call in calls {
                diesel::insert_into(llm_calls::table)
                    .values(call)
                    .execute(conn)
                    .await?;
            }
            if let Some(reservation) = settles {
                diesel::delete(llm_reservations::table.find(reservation))
                    .execute(conn)
                    .await?;
            }
            Ok(())
        })
    }

    /// Micro-EUR spent since `since` by the cluster (`subject` ignored), one agent or one website.
    pub async fn spent_since(
        db: &Db,
        since: NaiveDateTime,
        scope: BudgetScope,
        subject: &str,
    ) -> StoreResult<i64> {
        let filter = match scope {
            BudgetScope::Cluster => "",
            BudgetScope::Agent => " AND agent = ?",
            BudgetScope::Website => " AND website_id = ?",
        };
        let sql = placeholders(
            db,
            &format!(
                "SELECT CAST(COALESCE(SUM(cost_micro_eur), 0) AS BIGINT) AS total \
                 FROM llm_calls WHERE created_at >= ?{filter}"
            ),
        );
        with_conn!(db, |conn| {
            let query = sql_query(sql.as_str()).bind::<Timestamp, _>(since);
            let total: Total = match scope {
                BudgetScope::Cluster => query.get_result(conn).await?,
                _ => query.bind::<Text, _>(subject).get_result(conn).await?,
            };
            Ok(total.total)
        })
    }

    /// Calls, tokens and spend since `since` grouped by `group`, most expensive first.
    pub async fn usage_since(
        db: &Db,
        since: NaiveDateTime,
        group: SpendGroup,
    ) -> StoreResult<Vec<SpendLine>> {
        let column = group.column();
        let sql = placeholders(
            db,
            &format!(
                "SELECT {column} AS key, CAST(COUNT(*) AS BIGINT) AS calls, \
                 CAST(COALESCE(SUM(input_tokens), 0) AS BIGINT) AS input_tokens, \
                 CAST(COALESCE(SUM(output_tokens), 0) AS BIGINT) AS output_tokens, \
                 CAST(COALESCE(SUM(cost_micro_eur), 0) AS BIGINT) AS cost_micro_eur \
                 FROM llm_calls WHERE created_at >= ? GROUP BY {column} \
                 ORDER BY cost_micro_eur DESC, key"
            ),
        );
        with_conn!(db, |conn| Ok(sql_query(sql.as_str())
            .bind::<Timestamp, _>(since)
            .load(conn)
            .await?))
    }

    /// Attempts made at or after `since`, oldest first, at most `limit`.
    pub async fn since(db: &Db, since: NaiveDateTime, limit: i64) -> StoreResult<Vec<LlmCall>> {
        with_conn!(db, |conn| Ok(llm_calls::table
            .filter(llm_calls::created_at.ge(since))
            .order((llm_calls::created_at, llm_calls::id))
            .limit(limit)
            .select(LlmCall::as_select())
            .load(conn)
            .await?))
    }

    /// The attempts made for `task_id`, oldest first.
    pub async fn for_task(db: &Db, task_id: &str) -> StoreResult<Vec<LlmCall>> {
        with_conn!(db, |conn| Ok(llm_calls::table
            .filter(llm_calls::task_id.eq(task_id))
            .order((llm_calls::created_at, llm_calls::id))
            .select(LlmCall::as_select())
            .load(conn)
            .await?))
    }
}
