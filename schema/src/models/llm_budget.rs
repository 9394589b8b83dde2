//! `llm_budgets`: daily LLM spend limits in micro-EUR, changed at run time; a row overrides the
//! configured cluster budget, and agents and websites have one only when a row names them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;

use crate::clock::now;
use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::llm_budgets;
use crate::stamp::Stamp;
use crate::transaction;
use crate::types::BudgetScope;
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = llm_budgets)]
pub struct LlmBudget {
    pub scope: BudgetScope,
    /// The agent id or website id; empty for the cluster.
    pub subject: String,
    /// 0 = no limit.
    pub micro_eur_per_day: i64,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
}

impl LlmBudget {
    pub fn new(scope: BudgetScope, subject: impl Into<String>, micro_eur_per_day: i64) -> Self {
        LlmBudget {
            scope,
            subject: subject.into(),
            micro_eur_per_day,
            updated_at: now(),
        }
    }

    pub async fn all(db: &Db) -> StoreResult<Vec<LlmBudget>> {
        with_conn!(db, |conn| Ok(llm_budgets::table
            .order((llm_budgets::scope, llm_budgets::subject))
            .select(LlmBudget::as_select())
            .load(conn)
            .await?))
    }

    /// The budget of one scope and subject, if one was set.
    pub async fn find(
        db: &Db,
        scope: BudgetScope,
        subject: &str,
    ) -> StoreResult<Option<LlmBudget>> {
        with_conn!(db, |conn| Ok(llm_budgets::table
            .find((scope, subject))
            .select(LlmBudget::as_select())
            .first(conn)
            .await
            .optional()?))
    }

    /// Sets every budget given, all or none.
    pub async fn set_all(db: &Db, budgets: &[LlmBudget]) -> StoreResult<()> {
        transaction!(db, |conn| {
            for budget in budgets {
                diesel::insert_into(llm_budgets::table)
                    .values(budget)
                    .on_conflict((llm_budgets::scope, llm_budgets::subject))
                    .do_update()
                    .set((
                        llm_budgets::micro_eur_per_day.eq(excluded(llm_budgets::micro_eur_per_day)),
                        llm_budgets::updated_at.eq(excluded(llm_budgets::updated_at)),
                    ))
                    .execute(conn)
                    .await?;
            }
            Ok(())
        })
    }
}
