//! One module per CLI command.

mod config;
mod migrate;
mod serve;
mod user;

use crate::cli::{Cli, Command, UserCommand};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config =
        crate::config::Config::load(cli.config.as_deref(), |name| std::env::var(name).ok())?;
    match cli.command {
        Command::Serve => serve::run(config).await,
        Command::Migrate => migrate::run(config).await,
        Command::Config => config::run(&config),
        Command::User(UserCommand::Create(args)) => user::create(config, args).await,
    }
}
