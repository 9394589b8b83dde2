//! The database handle: a bb8 pool of diesel-async connections to SQLite or PostgreSQL,
//! chosen by URL scheme, and the `with_conn!` macro that runs one query body on either. SQLite
//! has a second pool of read-only connections for lists (`load_rows!`, `sqlite_reads`).
//!
//! Never drop a SQLite query's future half-way on a single-threaded runtime (an HTTP worker):
//! diesel-async's `SyncConnectionWrapper` then waits for the query with `block_in_place`, which
//! panics there and takes the worker down (diesel_async#281). Where a caller may give up on a
//! store call (a timeout, a `select!`), it runs the call on a task of its own and gives up on
//! the task's handle instead (`/ready`, the sockets' credential checks). `load_rows!` is exempt:
//! its SQLite reads finish before their future is first polled (`sqlite_reads`).

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use diesel::SqliteConnection;
use diesel_async::pooled_connection::bb8::{Pool, RunError};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

use crate::error::{StoreError, StoreResult};
use crate::sqlite_reads::{SqliteReader, establish_reader};

pub type SqliteConn = SyncConnectionWrapper<SqliteConnection>;
pub type PgPool = Pool<AsyncPgConnection>;
pub type SqlitePool = Pool<SqliteConn>;
pub type SqliteReadPool = Pool<SqliteReader>;

/// How long a SQLite connection waits for a competing writer before `SQLITE_BUSY`.
pub(crate) const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// A parsed `database.url`: `sqlite://PATH` or `postgres://…` (`postgresql://` too).
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl FromStr for DatabaseUrl {
    type Err = StoreError;

    fn from_str(url: &str) -> StoreResult<Self> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(StoreError::InvalidUrl("sqlite:// needs a file path".into()));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        let scheme = url.split("://").next().unwrap_or(url);
        Err(StoreError::InvalidUrl(format!(
            "unknown scheme `{scheme}`; expected sqlite://PATH or postgres://USER@HOST/DB"
        )))
    }
}

impl DatabaseUrl {
    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// The URL with any password replaced, safe to print and log.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => redact_password(url),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Replaces the password of `scheme://user:password@host…` with `***`.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, Clone)]
pub struct DbOptions {
    pub url: DatabaseUrl,
    pub pool_size: u32,
    pub connect_timeout: Duration,
}

/// The pools of connections to one backend. Cheap to clone.
#[derive(Clone)]
pub enum Db {
    Postgres(PgPool),
    /// `pool` for everything but `load_rows!`, which reads from `reads` (`sqlite_reads`).
    Sqlite {
        pool: SqlitePool,
        reads: SqliteReadPool,
    },
}

/// Pool occupancy and waiting, for metrics.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub connections: u32,
    pub idle: u32,
    pub max_size: u32,
    pub gets_waited: u64,
    pub gets_timed_out: u64,
    pub wait_time: Duration,
}

impl Db {
    /// Builds the pool without connecting; the first query (or `ping`) connects.
    /// A SQLite file and its parent directory are created when missing.
    pub async fn connect(options: &DbOptions) -> StoreResult<Db> {
        match &options.url {
            DatabaseUrl::Postgres(url) => {
                let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url.clone());
                Ok(Db::Postgres(build_pool(options, manager)))
            }
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|error| {
                        StoreError::InvalidUrl(format!("cannot create {}: {error}", dir.display()))
                    })?;
                }
                let path = path.display().to_string();
                let mut config = ManagerConfig::<SqliteConn>::default();
                config.custom_setup = Box::new(|path| Box::pin(establish_sqlite(path.to_owned())));
                let manager =
                    AsyncDieselConnectionManager::<SqliteConn>::new_with_config(&path, config);
                let mut config = ManagerConfig::<SqliteReader>::default();
                config.custom_setup = Box::new(|path| Box::pin(establish_reader(path.to_owned())));
                let readers =
                    AsyncDieselConnectionManager::<SqliteReader>::new_with_config(&path, config);
                Ok(Db::Sqlite {
                    pool: build_pool(options, manager),
                    reads: build_pool(options, readers),
                })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Postgres(_) => Backend::Postgres,
            Db::Sqlite { .. } => Backend::Sqlite,
        }
    }

    /// One round trip to the database.
    pub async fn ping(&self) -> StoreResult<()> {
        crate::with_conn!(self, |conn| {
            conn.batch_execute("SELECT 1").await?;
            Ok(())
        })
    }

    pub fn stats(&self) -> PoolStats {
        let (state, max_size) = match self {
            Db::Postgres(pool) => (pool.state(), pool.config().max_size),
            Db::Sqlite { pool, .. } => (pool.state(), pool.config().max_size),
        };
        PoolStats {
            connections: state.connections,
            idle: state.idle_connections,
            max_size,
            gets_waited: state.statistics.get_waited,
            gets_timed_out: state.statistics.get_timed_out,
            wait_time: state.statistics.get_wait_time,
        }
    }
}

fn build_pool<C>(options: &DbOptions, manager: AsyncDieselConnectionManager<C>) -> Pool<C>
where
    AsyncDieselConnectionManager<C>: bb8::ManageConnection,
{
    // No test query on checkout: it would double the round trips of every query. A connection
    // that died is reported broken after its first failed query and is then replaced.
    bb8::Pool::builder()
        .max_size(options.pool_size)
        .connection_timeout(options.connect_timeout)
        .retry_connection(false)
        .test_on_check_out(false)
        .build_unchecked(manager)
}

pub(crate) async fn establish_sqlite(path: String) -> diesel::ConnectionResult<SqliteConn> {
    let mut conn = SqliteConn::establish(&path).await?;
    // WAL lets readers run beside the one writer; the busy timeout makes writers queue
    // instead of failing; SQLite leaves foreign keys off unless asked, per connection.
    conn.batch_execute(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
         PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON;"
    ))
    .await
    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
    Ok(conn)
}

/// Maps a pool checkout failure: both a timeout and a refused connection mean "unavailable".
pub fn checkout_error(error: RunError) -> StoreError {
    StoreError::Unavailable(error.to_string())
}

/// Loads the rows of `$query`, a list bounded by its `limit` or a single row (an expression
/// written once, compiled for both backends). On SQLite it runs on a read-only connection, on
/// the calling thread (`sqlite_reads`), with its rows built by the synchronous `load`: the
/// async `load` would copy every column value (`sqlite3_value_dup`) and free it later, and
/// SQLite's allocator takes a global mutex for each. `$query` may only use owned values.
#[macro_export]
macro_rules! load_rows {
    ($db:expr, $query:expr) => {
        match $db {
            $crate::db::Db::Postgres(pool) => {
                let mut pooled = pool.get().await.map_err($crate::db::checkout_error)?;
                diesel_async::RunQueryDsl::load($query, &mut *pooled).await?
            }
            $crate::db::Db::Sqlite { reads, .. } => {
                let mut pooled = reads.get().await.map_err($crate::db::checkout_error)?;
                pooled
                    .spawn_blocking(move |conn| diesel::RunQueryDsl::load($query, conn))
                    .await?
            }
        }
    };
}

/// Runs `$body` with `$conn: &mut` a connection of whichever backend `$db` holds.
/// The body is written once and compiled for both backends.
#[macro_export]
macro_rules! with_conn {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Postgres(pool) => {
                let mut pooled = pool.get().await.map_err($crate::db::checkout_error)?;
                let $conn = &mut *pooled;
                $body
            }
            $crate::db::Db::Sqlite { pool, .. } => {
                let mut pooled = pool.get().await.map_err($crate::db::checkout_error)?;
                let $conn = &mut *pooled;
                $body
            }
        }
    };
}

/// Runs `$body` (which may use `?` on `StoreError`) in one transaction with `$conn: &mut` a
/// connection of whichever backend `$db` holds, and evaluates to its `StoreResult`.
/// SQLite begins `IMMEDIATE`: a deferred transaction that reads before it writes fails with
/// `SQLITE_BUSY` instead of waiting when another connection is writing.
#[macro_export]
macro_rules! transaction {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Postgres(pool) => {
                let mut pooled = pool.get().await.map_err($crate::db::checkout_error)?;
                diesel_async::AsyncConnection::transaction::<_, $crate::error::StoreError, _>(
                    &mut *pooled,
                    async |$conn| $body,
                )
                .await
            }
            $crate::db::Db::Sqlite { pool, .. } => {
                let mut pooled = pool.get().await.map_err($crate::db::checkout_error)?;
                pooled
                    .immediate_transaction::<_, $crate::error::StoreError, _>(async |$conn| $body)
                    .await
            }
        }
    };
}
