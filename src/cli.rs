//! The command line: `empire serve | migrate | config | user create | import | index rebuild |
//! backup | restore | sync`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "empire",
    version,
    about = "Runs the AI agents of an affiliate-website business: an HTTP API, live WebSockets and a cluster of agent actors.",
    after_help = "Configuration: cluster.toml in the working directory (or --config), then EMPIRE_* \
                  environment variables over it: every key section.key as EMPIRE_SECTION_KEY \
                  (e.g. EMPIRE_TASKS_LEASE_MS; lists comma-separated). `empire config` prints the \
                  effective settings."
)]
pub struct Cli {
    /// Configuration file [default: ./cluster.toml when present, else built-in defaults]
    #[arg(long, short, global = true, env = "EMPIRE_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve HTTP until SIGINT/SIGTERM
    Serve,
    /// Apply pending database migrations and exit (safe to run twice)
    Migrate,
    /// Print the effective configuration, secrets redacted
    Config,
    /// Manage users
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API keys
    #[command(subcommand)]
    Apikey(ApikeyCommand),
    /// Inspect the cluster
    #[command(subcommand)]
    Cluster(ClusterCommand),
    /// Import keyword research or product feeds (CSV or TSV, plain or .gz)
    #[command(subcommand)]
    Import(ImportCommand),
    /// Maintain this node's search index
    #[command(subcommand)]
    Index(IndexCommand),
    /// Write a consistent copy of the live SQLite database and the data directory's secrets
    /// to one file (PostgreSQL: use pg_dump, see README.md)
    Backup(BackupArgs),
    /// Restore a file written by `empire backup` (stop this node's server first)
    Restore(RestoreArgs),
    /// Copy every table from one store to another (SQLite to PostgreSQL, or back) and verify
    Sync(SyncArgs),
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The store to copy from: sqlite://PATH or postgres://…
    #[arg(long)]
    pub from: String,
    /// The store to copy into: migrated first, and empty unless --resume
    #[arg(long)]
    pub to: String,
    /// Count the rows on both sides; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Compare the stores table by table (rows and checksums); write nothing
    #[arg(long, conflicts_with = "dry_run")]
    pub verify_only: bool,
    /// Continue an earlier (killed) sync into a non-empty target from its high-water marks
    #[arg(long)]
    pub resume: bool,
    /// After copying, keep copying new and changed rows until Ctrl-C
    #[arg(long, conflicts_with_all = ["dry_run", "verify_only"])]
    pub follow: bool,
    /// Rows per batch (one transaction each)
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub batch: i64,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write (an SQLite database; readable by its owner only)
    #[arg(long)]
    pub out: PathBuf,
    /// Replace `--out` if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file
    #[arg(long)]
    pub from: PathBuf,
    /// Replace an existing database (it is kept beside, as `<name>.before-restore-<time>`)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import a keyword-tool export (Semrush, Ahrefs, Keyword Planner or keyword,volume,cpc,difficulty)
    Keywords(ImportKeywords),
    /// Import an AWIN product feed
    AwinFeed(ImportFile),
}

#[derive(Debug, Args)]
pub struct ImportFile {
    /// The file; gzip is detected by its content
    pub file: PathBuf,
    /// Write the good rows even when some are bad (bad rows are still reported)
    #[arg(long)]
    pub skip_bad: bool,
}

#[derive(Debug, Args)]
pub struct ImportKeywords {
    #[command(flatten)]
    pub file: ImportFile,
    /// The keywords' language: en or de
    #[arg(long, default_value = "en")]
    pub language: String,
    /// Tag every keyword with this niche (what `market_scan` groups by)
    #[arg(long)]
    pub niche: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Rebuild the search index from the store (stop this node's server first: one writer per index)
    Rebuild,
}

#[derive(Debug, Subcommand)]
pub enum ClusterCommand {
    /// Print the nodes a running node knows (needs EMPIRE_API_KEY with agents.read)
    Status(ClusterStatus),
}

#[derive(Debug, Args)]
pub struct ClusterStatus {
    /// The node's HTTP address [default: http://<node.http_addr>]
    #[arg(long)]
    pub url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ApikeyCommand {
    /// Create an API key for a user and print it once
    Create(CreateApiKey),
}

#[derive(Debug, Args)]
pub struct CreateApiKey {
    /// The user the key acts for
    #[arg(long)]
    pub email: String,
    /// Comma-separated permissions, a subset of the user's (e.g. agents.read,agents.manage)
    #[arg(long, value_name = "LIST")]
    pub scopes: String,
    /// A name to recognise the key by
    #[arg(long, default_value = "cli")]
    pub name: String,
    /// Days until the key expires [default: never]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password comes from EMPIRE_USER_PASSWORD or a prompt
    Create(CreateUser),
}

#[derive(Debug, Args)]
pub struct CreateUser {
    /// Login email, unique
    #[arg(long)]
    pub email: String,
    /// Display name [default: the part of the email before @]
    #[arg(long)]
    pub name: Option<String>,
    /// Grant admin.full (every permission)
    #[arg(long, conflicts_with = "permissions")]
    pub admin: bool,
    /// Comma-separated permissions [default: agents.read,websites.read]
    #[arg(long, value_name = "LIST")]
    pub permissions: Option<String>,
}
