//! Rows in transit: read from either backend as JSON arrays in key order (keyset batches), and
//! written into either backend in one statement per batch, with the table's high-water mark in
//! the same transaction. Values travel in one form whatever the source: timestamps as
//! `YYYY-MM-DD HH:MM:SS.ffffff`, blobs as lower-case hex, booleans as JSON booleans or 0/1.

use diesel::sql_query;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use serde_json::Value;

use super::MARKS;
use super::tables::{Kind, Table};
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::{transaction, with_conn};

/// One row: a value per column, in the table's column order.
pub type Row = Vec<Value>;

#[derive(diesel::QueryableByName)]
struct Json {
    #[diesel(sql_type = Text)]
    row: String,
}

/// Which rows to read.
pub enum Range<'a> {
    /// Rows whose key comes after `key` (all rows when `None`).
    After(Option<&'a [Value]>),
    /// Rows written at or after this timestamp (`updated_at`), the key after `key`.
    ChangedSince(&'a str, Option<&'a [Value]>),
}

/// Up to `limit` rows of `table` in key order.
pub async fn read(db: &Db, table: &Table, range: Range<'_>, limit: i64) -> StoreResult<Vec<Row>> {
    let pg = matches!(db, Db::Postgres(_));
    let values: Vec<String> = table
        .columns
        .iter()
        .map(|c| match (c.kind, pg) {
            (Kind::Blob, true) => format!("encode({}, 'hex')", c.name),
            (Kind::Blob, false) => format!("lower(hex({}))", c.name),
            (Kind::Timestamp, true) => format!("to_char({}, 'YYYY-MM-DD HH24:MI:SS.US')", c.name),
            _ => c.name.clone(),
        })
        .collect();
    let row = if pg {
        format!("json_build_array({})::text", values.join(", "))
    } else {
        format!("json_array({})", values.join(", "))
    };
    let keys = key_list(table, pg);
    let mut conditions = Vec::new();
    let after = match range {
        Range::After(after) => after,
        Range::ChangedSince(since, after) => {
            if let Some(at) = table.has_updated_at() {
                conditions.push(format!("{} >= {}", table.columns[at].name, quote(since)));
            }
            after
        }
    };
    if let Some(after) = after {
        conditions.push(format!("({keys}) > ({})", literals(table, after)?));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT {row} AS row FROM {} {filter} ORDER BY {keys} LIMIT {limit}",
        table.name
    );
    let rows: Vec<Json> = with_conn!(db, |conn| sql_query(sql.as_str()).load(conn).await?);
    rows.into_iter()
        .map(|json| {
            serde_json::from_str(&json.row)
                .map_err(|error| StoreError::Migration(format!("{}: {error}", table.name)))
        })
        .collect()
}

/// Writes `rows` in one transaction, each over the row of its key if there is one (rows a
/// migration put in the target, or rows changed since an earlier copy), and, when `mark`,
/// records the last row's key as the table's mark.
pub async fn write(db: &Db, table: &Table, rows: &[Row], mark: bool) -> StoreResult<()> {
    let Some(last) = rows.last() else {
        return Ok(());
    };
    let pg = matches!(db, Db::Postgres(_));
    let last_key: Vec<Value> = table.key.iter().map(|at| last[*at].clone()).collect();
    let marking = format!(
        "INSERT INTO {MARKS} (table_name, last_key, copied) VALUES ({}, {}, {}) \
         ON CONFLICT (table_name) DO UPDATE SET last_key = excluded.last_key, \
         copied = {MARKS}.copied + excluded.copied",
        quote(&table.name),
        quote(&Value::Array(last_key).to_string()),
        rows.len()
    );
    let statements = inserts(table, rows, pg)?;
    transaction!(db, |conn| {
        for (sql, json) in &statements {
            sql_query(sql.as_str())
                .bind::<Text, _>(json)
                .execute(conn)
                .await?;
        }
        if mark {
            sql_query(marking.as_str()).execute(conn).await?;
        }
        Ok(())
    })
}

/// The statements that upsert `rows`, each with its JSON array of rows to bind: one for the
/// batch, or one per row on SQLite when a blob must be spelled as a literal.
fn inserts(table: &Table, rows: &[Row], pg: bool) -> StoreResult<Vec<(String, String)>> {
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    let keys: Vec<&str> = table.key.iter().map(|at| names[*at]).collect();
    let sets: Vec<String> = names
        .iter()
        .enumerate()
        .filter(|(at, _)| !table.key.contains(at))
        .map(|(_, name)| format!("{name} = excluded.{name}"))
        .collect();
    let conflict = if sets.is_empty() {
        " ON CONFLICT DO NOTHING".to_owned()
    } else {
        format!(
            " ON CONFLICT ({}) DO UPDATE SET {}",
            keys.join(", "),
            sets.join(", ")
        )
    };
    let statement = |blobs: Option<&Row>| -> StoreResult<String> {
        let mut exprs = Vec::with_capacity(names.len());
        for (at, column) in table.columns.iter().enumerate() {
            exprs.push(match (column.kind, pg, blobs) {
                (Kind::Blob, true, _) => format!("decode(v->>{at}, 'hex')"),
                (_, true, _) => format!("(v->>{at})::{}", column.declared),
                (Kind::Blob, false, Some(row)) => blob_literal(&row[at])?,
                (_, false, _) => format!("json_extract(r.value, '$[{at}]')"),
            });
        }
        let source = if pg {
            "json_array_elements($1::json) AS r(v)"
        } else {
            "json_each(?) AS r WHERE true"
        };
        Ok(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {source}{conflict}",
            table.name,
            names.join(", "),
            exprs.join(", ")
        ))
    };
    let has_blob = table.columns.iter().any(|c| c.kind == Kind::Blob);
    if pg || !has_blob {
        return Ok(vec![(
            statement(None)?,
            Value::from(rows.to_vec()).to_string(),
        )]);
    }
    rows.iter()
        .map(|row| {
            Ok((
                statement(Some(row))?,
                Value::from(vec![Value::from(row.clone())]).to_string(),
            ))
        })
        .collect()
}

/// `X'…'` for a hex value (checked: only hex digits are ever spelled into SQL).
fn blob_literal(value: &Value) -> StoreResult<String> {
    match value {
        Value::Null => Ok("NULL".into()),
        Value::String(hex) if hex.len() % 2 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(format!("X'{hex}'"))
        }
        other => Err(StoreError::Migration(format!("not a hex blob: {other}"))),
    }
}

/// The key columns, comparing text byte-wise on PostgreSQL as SQLite does.
fn key_list(table: &Table, pg: bool) -> String {
    table
        .key
        .iter()
        .map(|at| {
            let column = &table.columns[*at];
            if pg && column.kind == Kind::Text {
                format!("{} COLLATE \"C\"", column.name)
            } else {
                column.name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A key's values as SQL literals.
fn literals(table: &Table, key: &[Value]) -> StoreResult<String> {
    if key.len() != table.key.len() {
        return Err(StoreError::Migration(format!(
            "{}: a mark of {} values for a key of {}",
            table.name,
            key.len(),
            table.key.len()
        )));
    }
    key.iter()
        .map(|value| match value {
            Value::Number(n) if n.is_i64() => Ok(n.to_string()),
            Value::String(text) => Ok(quote(text)),
            other => Err(StoreError::Migration(format!(
                "{}: a key value {other} cannot be compared",
                table.name
            ))),
        })
        .collect::<StoreResult<Vec<_>>>()
        .map(|values| values.join(", "))
}

/// A string literal: quotes doubled, as both backends read them.
pub(crate) fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
