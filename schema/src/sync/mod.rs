//! `empire sync`'s store side: copy every table from one store to another (SQLite ↔
//! PostgreSQL) in dependency order and key-ordered batches, each batch committed with the
//! table's high-water mark in the target (`empire_sync_marks`), so a killed sync resumes where
//! its last commit ended; and compare two stores table by table (rows and checksums).

mod checksum;
mod rows;
mod tables;

use diesel::sql_query;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use serde_json::Value;

pub use checksum::row_hash;
pub use rows::{Range, Row, read, write};
pub use tables::{Column, Kind, Table, tables};

use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::with_conn;

/// The target's table of high-water marks: per table, the last key copied and how many rows.
pub const MARKS: &str = "empire_sync_marks";

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct Mark {
    #[diesel(sql_type = Text)]
    last_key: String,
}

#[derive(diesel::QueryableByName)]
struct Serial {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

pub async fn count(db: &Db, table: &Table) -> StoreResult<i64> {
    let sql = format!("SELECT COUNT(*) AS n FROM {}", table.name);
    let count: Count = with_conn!(db, |conn| sql_query(sql.as_str()).get_result(conn).await?);
    Ok(count.n)
}

/// Creates the marks table in the target when missing.
pub async fn prepare_marks(db: &Db) -> StoreResult<()> {
    let sql = format!(
        "CREATE TABLE IF NOT EXISTS {MARKS} (table_name TEXT PRIMARY KEY NOT NULL, \
         last_key TEXT NOT NULL, copied BIGINT NOT NULL)"
    );
    with_conn!(db, |conn| sql_query(sql.as_str()).execute(conn).await?);
    Ok(())
}

/// The last key copied into `table`, if a sync copied any.
pub async fn mark(db: &Db, table: &Table) -> StoreResult<Option<Vec<Value>>> {
    let sql = format!(
        "SELECT last_key FROM {MARKS} WHERE table_name = {}",
        rows::quote(&table.name)
    );
    let marks: Vec<Mark> = with_conn!(db, |conn| sql_query(sql.as_str()).load(conn).await?);
    marks
        .into_iter()
        .next()
        .map(|mark| {
            serde_json::from_str(&mark.last_key)
                .map_err(|error| StoreError::Migration(format!("{MARKS}: {error}")))
        })
        .transpose()
}

/// Moves PostgreSQL's sequences past the ids copied in (copies carry their ids); nothing on
/// SQLite, whose AUTOINCREMENT follows inserted ids by itself.
pub async fn advance_sequences(db: &Db) -> StoreResult<()> {
    if !matches!(db, Db::Postgres(_)) {
        return Ok(());
    }
    let serials: Vec<Serial> = with_conn!(db, |conn| sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         AND column_default LIKE 'nextval(%'"
    )
    .load(conn)
    .await?);
    for serial in serials {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence({table}, {column}), \
             GREATEST(COALESCE(MAX({name}), 0), 1), MAX({name}) IS NOT NULL) FROM {t}",
            table = rows::quote(&serial.table_name),
            column = rows::quote(&serial.column_name),
            name = serial.column_name,
            t = serial.table_name,
        );
        with_conn!(db, |conn| sql_query(sql.as_str()).execute(conn).await?);
    }
    Ok(())
}

/// Rows and the order-independent checksum of `table` in `db`, read in batches of `batch`.
pub async fn checksum(
    db: &Db,
    table: &Table,
    batch: i64,
    mut progress: impl FnMut(i64),
) -> StoreResult<(i64, u64)> {
    let (mut rows, mut sum) = (0i64, 0u64);
    let mut after: Option<Vec<Value>> = None;
    loop {
        let batch_rows = read(db, table, Range::After(after.as_deref()), batch).await?;
        for row in &batch_rows {
            sum = sum.wrapping_add(row_hash(table, row));
        }
        rows += batch_rows.len() as i64;
        progress(rows);
        match batch_rows.last() {
            Some(last) if batch_rows.len() as i64 == batch => {
                after = Some(table.key.iter().map(|at| last[*at].clone()).collect());
            }
            _ => return Ok((rows, sum)),
        }
    }
}
