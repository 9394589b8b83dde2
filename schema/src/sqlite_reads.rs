//! SQLite's read connections for lists (`load_rows!`): read-only, and run on the calling thread.
//!
//! A list query is short and bounded by its `limit`; handing it to a blocking thread and back
//! cost about 8 % of a 50-row list's CPU (README, "The paired HTTP bench"). So these
//! connections run their query where they are called, as a plain SQLite program would. WAL
//! lets them read beside the one writer without waiting for it, and `query_only` makes sure
//! they never write: a write could wait out the busy timeout on an HTTP worker.
//!
//! Their futures are ready when first polled, so they are never dropped half-way and never
//! reach the `block_in_place` of diesel_async#281.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;

use diesel::SqliteConnection;
use diesel_async::sync_connection_wrapper::{SpawnBlocking, SyncConnectionWrapper};
use diesel_async::{AsyncConnection, SimpleAsyncConnection};

use crate::db::SQLITE_BUSY_TIMEOUT_MS;

/// A SQLite connection that runs its queries on the calling thread.
pub type SqliteReader = SyncConnectionWrapper<SqliteConnection, OnThisThread>;

/// Runs a connection's "blocking" task at once, on the thread that asked.
pub struct OnThisThread;

impl SpawnBlocking for OnThisThread {
    fn spawn_blocking<'a, R>(
        &mut self,
        task: impl FnOnce() -> R + Send + 'static,
    ) -> Pin<Box<dyn Future<Output = Result<R, Box<dyn Error + Send + Sync>>> + Send + 'a>>
    where
        R: Send + 'static,
    {
        Box::pin(std::future::ready(Ok(task())))
    }

    fn get_runtime() -> Self {
        OnThisThread
    }
}

pub(crate) async fn establish_reader(path: String) -> diesel::ConnectionResult<SqliteReader> {
    let mut conn = SqliteReader::establish(&path).await?;
    conn.batch_execute(&format!(
        "PRAGMA query_only = ON; PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};"
    ))
    .await
    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
    Ok(conn)
}
