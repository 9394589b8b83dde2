//! Aggregates over `tasks` for dashboards: tasks finished per minute.

use chrono::NaiveDateTime;
use diesel::sql_types::{BigInt, Text, Timestamp};
use diesel::{QueryableByName, sql_query};
use diesel_async::RunQueryDsl;

use crate::db::{Backend, Db};
use crate::error::StoreResult;
use crate::models::Task;
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct MinuteCount {
    /// `YYYY-MM-DDTHH:MM:00Z`
    #[diesel(sql_type = Text)]
    pub minute: String,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

impl Task {
    /// Tasks that ended (succeeded, dead or cancelled) per minute since `since`, oldest first.
    pub async fn finished_per_minute(
        db: &Db,
        since: NaiveDateTime,
    ) -> StoreResult<Vec<MinuteCount>> {
        // Truncating a timestamp to the minute has no portable SQL spelling.
        let sql = match db.backend() {
            Backend::Postgres => {
                "SELECT to_char(date_trunc('minute', finished_at), 'YYYY-MM-DD\"T\"HH24:MI:00\"Z\"') AS minute, \
                 count(*) AS count FROM tasks WHERE finished_at >= $1 GROUP BY 1 ORDER BY 1"
            }
            Backend::Sqlite => {
                "SELECT strftime('%Y-%m-%dT%H:%M:00Z', finished_at) AS minute, count(*) AS count \
                 FROM tasks WHERE finished_at >= ? GROUP BY 1 ORDER BY 1"
            }
        };
        with_conn!(db, |conn| Ok(sql_query(sql)
            .bind::<Timestamp, _>(since)
            .load(conn)
            .await?))
    }
}
