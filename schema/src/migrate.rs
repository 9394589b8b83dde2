//! Embedded migrations, one set per backend, applied over a dedicated connection.

use diesel_async::{
    AsyncConnection, AsyncMigrationHarness, AsyncPgConnection, SimpleAsyncConnection,
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::db::{DatabaseUrl, SqliteConn, establish_sqlite};
use crate::error::{StoreError, StoreResult};

const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

/// Serialises migrations of nodes that start together against one PostgreSQL.
const PG_MIGRATION_LOCK: i64 = 0x656d_7069_7265; // "empire"

/// Applies every pending migration and returns the versions applied (empty when up to date).
/// Needs the multi-threaded tokio runtime: diesel's harness blocks in place.
pub async fn run_pending(url: &DatabaseUrl) -> StoreResult<Vec<String>> {
    match url {
        DatabaseUrl::Postgres(url) => {
            let mut conn = AsyncPgConnection::establish(url)
                .await
                .map_err(|error| StoreError::Unavailable(error.to_string()))?;
            conn.batch_execute(&format!("SELECT pg_advisory_lock({PG_MIGRATION_LOCK})"))
                .await?;
            let (mut conn, applied) = apply(conn, POSTGRES);
            conn.batch_execute(&format!("SELECT pg_advisory_unlock({PG_MIGRATION_LOCK})"))
                .await?;
            applied
        }
        DatabaseUrl::Sqlite(path) => {
            if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|error| {
                    StoreError::InvalidUrl(format!("cannot create {}: {error}", dir.display()))
                })?;
            }
            let conn: SqliteConn = establish_sqlite(path.display().to_string())
                .await
                .map_err(|error| StoreError::Unavailable(error.to_string()))?;
            apply(conn, SQLITE).1
        }
    }
}

/// Runs the migrations and hands the connection back, whatever the outcome.
fn apply<C>(conn: C, migrations: EmbeddedMigrations) -> (C, StoreResult<Vec<String>>)
where
    C: AsyncConnection,
    AsyncMigrationHarness<C>: MigrationHarness<C::Backend>,
{
    let mut harness = AsyncMigrationHarness::new(conn);
    let applied = harness
        .run_pending_migrations(migrations)
        .map(|versions| versions.iter().map(ToString::to_string).collect())
        .map_err(|error| StoreError::Migration(error.to_string()));
    (harness.into_inner(), applied)
}
