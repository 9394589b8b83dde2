//! What `sync` copies: every table of the store (not the migrations' bookkeeping nor sync's own
//! marks), in an order where each table comes after the tables it references, with its columns,
//! their kinds, and its primary key, read from the live database of either backend.

use std::collections::{BTreeMap, BTreeSet};

use diesel::sql_query;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;

use super::MARKS;
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::with_conn;

/// How a column's values travel and compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Float,
    Bool,
    Timestamp,
    Blob,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    /// The PostgreSQL type to cast to (`bigint`, `timestamp`…); the declared type on SQLite.
    pub declared: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    /// Indexes into `columns`, in key order.
    pub key: Vec<usize>,
}

impl Table {
    pub fn has_updated_at(&self) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name == "updated_at" && c.kind == Kind::Timestamp)
    }
}

#[derive(diesel::QueryableByName)]
struct Row3 {
    #[diesel(sql_type = Text)]
    a: String,
    #[diesel(sql_type = Text)]
    b: String,
    #[diesel(sql_type = Text)]
    c: String,
}

fn kind_of(declared: &str) -> Kind {
    let declared = declared.to_ascii_lowercase();
    match declared.as_str() {
        "bigint" | "integer" | "int" | "smallint" | "bigserial" | "serial" => Kind::Integer,
        "double precision" | "double" | "real" | "float" => Kind::Float,
        "boolean" | "bool" => Kind::Bool,
        "blob" | "bytea" => Kind::Blob,
        _ if declared.starts_with("timestamp") => Kind::Timestamp,
        _ => Kind::Text,
    }
}

/// Every table of `db` in dependency order.
pub async fn tables(db: &Db) -> StoreResult<Vec<Table>> {
    // (table, column, declared type), (table, key column, position), (table, referenced table, "")
    let sqlite = matches!(db, Db::Sqlite { .. });
    let (columns_sql, keys_sql, refs_sql) = if sqlite {
        (
            "SELECT m.name AS a, p.name AS b, p.type AS c FROM sqlite_master m, \
             pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid",
            "SELECT m.name AS a, p.name AS b, CAST(p.pk AS TEXT) AS c FROM sqlite_master m, \
             pragma_table_info(m.name) p WHERE m.type = 'table' AND p.pk > 0 ORDER BY m.name, p.pk",
            "SELECT m.name AS a, f.\"table\" AS b, '' AS c FROM sqlite_master m, \
             pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
        )
    } else {
        (
            "SELECT table_name::text AS a, column_name::text AS b, data_type::text AS c \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             ORDER BY table_name, ordinal_position",
            "SELECT k.table_name::text AS a, k.column_name::text AS b, k.ordinal_position::text AS c \
             FROM information_schema.key_column_usage k JOIN information_schema.table_constraints t \
             ON t.constraint_name = k.constraint_name AND t.table_schema = k.table_schema \
             WHERE t.constraint_type = 'PRIMARY KEY' AND k.table_schema = current_schema() \
             ORDER BY k.table_name, k.ordinal_position",
            "SELECT src.relname::text AS a, dst.relname::text AS b, '' AS c FROM pg_constraint c \
             JOIN pg_class src ON src.oid = c.conrelid JOIN pg_class dst ON dst.oid = c.confrelid \
             JOIN pg_namespace n ON n.oid = src.relnamespace \
             WHERE c.contype = 'f' AND n.nspname = current_schema()",
        )
    };
    let (columns, keys, refs): (Vec<Row3>, Vec<Row3>, Vec<Row3>) = with_conn!(db, |conn| {
        let columns = sql_query(columns_sql).load(conn).await?;
        let keys = sql_query(keys_sql).load(conn).await?;
        let refs = sql_query(refs_sql).load(conn).await?;
        (columns, keys, refs)
    });
    let mut found: BTreeMap<String, Table> = BTreeMap::new();
    for row in columns {
        if row.a.starts_with("sqlite_") || row.a.starts_with("__diesel") || row.a == MARKS {
            continue;
        }
        let table = found.entry(row.a.clone()).or_insert_with(|| Table {
            name: row.a.clone(),
            columns: Vec::new(),
            key: Vec::new(),
        });
        table.columns.push(Column {
            kind: kind_of(&row.c),
            declared: row.c,
            name: row.b,
        });
    }
    for row in keys {
        if let Some(table) = found.get_mut(&row.a)
            && let Some(at) = table.columns.iter().position(|c| c.name == row.b)
        {
            table.key.push(at);
        }
    }
    if let Some(table) = found.values().find(|t| t.key.is_empty()) {
        return Err(StoreError::Migration(format!(
            "table {} has no primary key; sync cannot copy it",
            table.name
        )));
    }
    let mut needs: BTreeMap<String, BTreeSet<String>> = found
        .keys()
        .map(|name| (name.clone(), BTreeSet::new()))
        .collect();
    for row in refs {
        if row.a != row.b
            && found.contains_key(&row.b)
            && let Some(set) = needs.get_mut(&row.a)
        {
            set.insert(row.b);
        }
    }
    // Kahn's order, alphabetical among equals so both backends list the same order.
    let mut ordered = Vec::with_capacity(found.len());
    while !needs.is_empty() {
        let ready: Vec<String> = needs
            .iter()
            .filter(|(_, set)| set.is_empty())
            .map(|(name, _)| name.clone())
            .collect();
        if ready.is_empty() {
            return Err(StoreError::Migration(
                "the tables reference each other in a cycle; sync cannot order them".into(),
            ));
        }
        for name in ready {
            needs.remove(&name);
            for set in needs.values_mut() {
                set.remove(&name);
            }
            if let Some(table) = found.remove(&name) {
                ordered.push(table);
            }
        }
    }
    Ok(ordered)
}
