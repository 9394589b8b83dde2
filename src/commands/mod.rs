//! One module per CLI command.

mod apikey;
mod backup;
mod cluster;
mod config;
mod import;
mod index;
mod migrate;
mod progress;
mod serve;
mod sync;
mod user;

use crate::cli::{
    ApikeyCommand, Cli, ClusterCommand, Command, ImportCommand, IndexCommand, UserCommand,
};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config =
        crate::config::Config::load(cli.config.as_deref(), |name| std::env::var(name).ok())?;
    match cli.command {
        Command::Serve => serve::run(config).await,
        Command::Migrate => migrate::run(config).await,
        Command::Config => config::run(&config),
        Command::User(UserCommand::Create(args)) => user::create(config, args).await,
        Command::Apikey(ApikeyCommand::Create(args)) => apikey::create(config, args).await,
        Command::Cluster(ClusterCommand::Status(args)) => cluster::status(&config, args).await,
        Command::Import(ImportCommand::Keywords(args)) => import::keywords(config, args).await,
        Command::Import(ImportCommand::AwinFeed(args)) => import::awin_feed(config, args).await,
        Command::Index(IndexCommand::Rebuild) => index::rebuild(config).await,
        Command::Backup(args) => backup::backup(&config, args).await,
        Command::Restore(args) => backup::restore(config, args).await,
        Command::Sync(args) => sync::run(args).await,
    }
}

/// Migrates (idempotent) and opens a one-connection pool, for commands that touch the store.
async fn open_database(config: &crate::config::Config) -> anyhow::Result<empire_schema::Db> {
    let url = config.database_url()?;
    empire_schema::migrate::run_pending(&url).await?;
    let options = empire_schema::DbOptions {
        url,
        pool_size: 1,
        connect_timeout: std::time::Duration::from_millis(config.database.connect_timeout_ms),
    };
    Ok(empire_schema::Db::connect(&options).await?)
}
