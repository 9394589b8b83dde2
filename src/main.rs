//! The `empire` binary: parse the command line, run the command, exit non-zero with one line on error.

use std::process::ExitCode;

use clap::Parser;
use empire::cli::Cli;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match empire::commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
