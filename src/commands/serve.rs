//! `empire serve`: the whole system on this node.

use crate::config::Config;
use crate::startup::Application;

pub async fn run(config: Config) -> anyhow::Result<()> {
    crate::telemetry::init(&config.log);
    tracing::info!(
        node = %config.node.name,
        database = %config.database_url()?.redacted(),
        cache = if config.redis_url().is_some() { "redis" } else { "memory" },
        "starting"
    );
    let application = Application::build(config).await?;
    let addr = application.state().config.node.http_addr;
    tracing::info!(%addr, port = application.port(), "listening");
    application.run_until_stopped().await?;
    Ok(())
}
