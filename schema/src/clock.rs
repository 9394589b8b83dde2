//! Ids and timestamps as the store writes them.

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// Now in UTC, at the microsecond precision both backends keep.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// A new time-ordered id (UUIDv7) as text.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The database server's clock plus an offset, as an SQL expression, so that every node judges
/// leases by one clock whatever its own says. PostgreSQL reads its own `CURRENT_TIMESTAMP` in
/// UTC; SQLite is embedded, so its clock is this node's and the time is bound from here.
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
pub struct DatabaseTime {
    plus_ms: f64,
    local: NaiveDateTime,
}

impl DatabaseTime {
    /// The database's now.
    pub fn now() -> Self {
        Self::now_plus(chrono::Duration::zero())
    }

    /// The database's now plus `offset` (negative for the past).
    pub fn now_plus(offset: chrono::Duration) -> Self {
        DatabaseTime {
            plus_ms: offset
                .num_microseconds()
                .map_or(f64::MAX, |us| us as f64 / 1_000.0),
            local: now()
                .checked_add_signed(offset)
                .unwrap_or(NaiveDateTime::MAX),
        }
    }
}

impl diesel::expression::Expression for DatabaseTime {
    type SqlType = diesel::sql_types::Timestamp;
}

impl<QS> diesel::expression::AppearsOnTable<QS> for DatabaseTime {}

impl<QS> diesel::expression::SelectableExpression<QS> for DatabaseTime {}

impl<GB> diesel::expression::ValidGrouping<GB> for DatabaseTime {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for DatabaseTime {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> diesel::QueryResult<()> {
        out.push_sql("(CURRENT_TIMESTAMP AT TIME ZONE 'UTC' + ");
        out.push_bind_param::<diesel::sql_types::Double, _>(&self.plus_ms)?;
        out.push_sql(" * INTERVAL '1 millisecond')");
        Ok(())
    }
}

impl diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite> for DatabaseTime {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::sqlite::Sqlite>,
    ) -> diesel::QueryResult<()> {
        out.push_bind_param::<diesel::sql_types::Timestamp, _>(&self.local)
    }
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use super::*;
    use crate::schema::tasks;

    #[test]
    fn postgres_leases_are_timed_by_the_servers_clock_in_utc() {
        let lease = DatabaseTime::now_plus(chrono::Duration::milliseconds(1_500));
        let update = diesel::update(tasks::table).set(tasks::lease_expires_at.eq(lease.nullable()));
        let sql = diesel::debug_query::<diesel::pg::Pg, _>(&update).to_string();
        assert!(
            sql.contains("CURRENT_TIMESTAMP AT TIME ZONE 'UTC' + $1 * INTERVAL '1 millisecond'"),
            "{sql}"
        );
        assert!(sql.contains("binds: [1500.0]"), "{sql}");
    }

    #[test]
    fn sqlite_binds_this_nodes_time_plus_the_offset() {
        let before = now();
        let lease = DatabaseTime::now_plus(chrono::Duration::seconds(-60));
        assert!(lease.local <= before - chrono::Duration::seconds(59));
        let filter = tasks::table.filter(tasks::lease_expires_at.lt(lease.nullable()));
        let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&filter).to_string();
        assert!(sql.contains("`tasks`.`lease_expires_at` < ?"), "{sql}");
    }
}
