//! `empire serve`: the whole system on this node.

use empire_schema::DatabaseUrl;

use crate::config::Config;
use crate::sqlite_lock::SqliteNodeLock;
use crate::startup::Application;

pub async fn run(config: Config) -> anyhow::Result<()> {
    let _log = crate::telemetry::init(&config.log);
    tracing::info!(
        node = %config.node.name,
        database = %config.database_url()?.redacted(),
        cache = if config.redis_url().is_some() { "redis" } else { "memory" },
        "starting"
    );
    // Held until the process ends: SQLite serves one node.
    let _sqlite_lock = match config.database_url()? {
        DatabaseUrl::Sqlite(path) => Some(SqliteNodeLock::acquire(&path)?),
        DatabaseUrl::Postgres(_) => None,
    };
    let application = Application::build(config).await?;
    let addr = application.state().config.node.http_addr;
    tracing::info!(%addr, port = application.port(), "listening");
    application.run_until_stopped().await?;
    Ok(())
}
