//! Backup files of an SQLite store. A backup is itself an SQLite database: a consistent copy
//! of the live store made by `VACUUM INTO` (one read transaction, so writers go on), plus one
//! table, `empire_backup`, holding what else is needed to restore (the data directory's
//! secrets) and what describes the copy. `sqlite3 FILE` opens it; restoring drops that table.

use std::path::Path;

use diesel::prelude::*;
use diesel::sql_query;
use diesel::sql_types::{Binary, Text};
use diesel::sqlite::SqliteConnection;

/// The backup table's format; a restore refuses any other.
pub const FORMAT: &str = "empire-backup-1";
const TABLE: &str = "empire_backup";
/// How long a backup waits for the live store's write lock to let it read.
const BUSY_TIMEOUT_MS: u32 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("cannot open {path}: {source}")]
    Open {
        path: String,
        source: diesel::ConnectionError,
    },
    #[error("{0}")]
    Sql(#[from] diesel::result::Error),
    #[error("{path} fails SQLite's integrity check: {report}")]
    Damaged { path: String, report: String },
    #[error("{0} is not an empire backup (no {TABLE} table of format {FORMAT})")]
    NotABackup(String),
}

/// One entry of the backup table: `meta:…` describes the copy, `file:NAME` is a data-directory
/// file to restore as `NAME`.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Entry {
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Binary)]
    pub value: Vec<u8>,
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn open(path: &Path) -> Result<SqliteConnection, BackupError> {
    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).map_err(|source| {
        BackupError::Open {
            path: path.display().to_string(),
            source,
        }
    })?;
    sql_query(format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")).execute(&mut conn)?;
    Ok(conn)
}

/// Copies the store at `source` into the new file `out` (which must not exist), adds
/// `entries`, and checks the result.
pub fn write(source: &Path, out: &Path, entries: &[Entry]) -> Result<(), BackupError> {
    let mut live = open(source)?;
    sql_query("VACUUM INTO ?")
        .bind::<Text, _>(out.to_string_lossy())
        .execute(&mut live)?;
    drop(live);
    let mut copy = open(out)?;
    sql_query(format!(
        "CREATE TABLE {TABLE} (name TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL)"
    ))
    .execute(&mut copy)?;
    let format = Entry {
        name: "meta:format".into(),
        value: FORMAT.as_bytes().to_vec(),
    };
    for entry in std::iter::once(&format).chain(entries) {
        sql_query(format!("INSERT INTO {TABLE} (name, value) VALUES (?, ?)"))
            .bind::<Text, _>(&entry.name)
            .bind::<Binary, _>(&entry.value)
            .execute(&mut copy)?;
    }
    check(&mut copy, out)
}

/// The entries of the backup at `path`, after checking it is a whole backup of this format.
pub fn read(path: &Path) -> Result<Vec<Entry>, BackupError> {
    let not_a_backup = || BackupError::NotABackup(path.display().to_string());
    if !path.is_file() {
        return Err(not_a_backup());
    }
    let mut conn = open(path)?;
    // A file that is not SQLite at all fails here, as "file is not a database".
    let tables: Count = sql_query(format!(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'"
    ))
    .get_result(&mut conn)
    .map_err(|_| not_a_backup())?;
    if tables.n != 1 {
        return Err(not_a_backup());
    }
    check(&mut conn, path)?;
    let entries: Vec<Entry> =
        sql_query(format!("SELECT name, value FROM {TABLE} ORDER BY name")).load(&mut conn)?;
    let format = entries.iter().find(|entry| entry.name == "meta:format");
    if format.is_none_or(|entry| entry.value != FORMAT.as_bytes()) {
        return Err(not_a_backup());
    }
    Ok(entries)
}

/// Turns a copy of a backup back into a plain store: drops the backup table.
pub fn strip(path: &Path) -> Result<(), BackupError> {
    let mut conn = open(path)?;
    sql_query(format!("DROP TABLE {TABLE}")).execute(&mut conn)?;
    Ok(())
}

fn check(conn: &mut SqliteConnection, path: &Path) -> Result<(), BackupError> {
    let rows: Vec<Check> = sql_query("PRAGMA integrity_check").load(conn)?;
    let report: Vec<String> = rows.into_iter().map(|row| row.integrity_check).collect();
    if report == ["ok"] {
        Ok(())
    } else {
        Err(BackupError::Damaged {
            path: path.display().to_string(),
            report: report.join("; "),
        })
    }
}
