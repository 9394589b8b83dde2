//! `empire sync --from URL --to URL`: copies every table from one store into another (SQLite to
//! PostgreSQL to move up, the roles swapped to move back), then verifies row counts and an
//! order-independent checksum per table. `--resume` continues a killed sync from the target's
//! high-water marks, `--dry-run` only counts, `--verify-only` only compares, and `--follow` keeps
//! copying new rows (and rows whose `updated_at` moved) until Ctrl-C, for running both stores
//! side by side until the cut-over.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, bail};
use chrono::Utc;
use empire_schema::sync::{self, Range, Table};
use empire_schema::{DatabaseUrl, Db, DbOptions};

use tokio::signal::unix::{Signal, SignalKind, signal};

use super::progress::ProgressLine;
use crate::cli::SyncArgs;

/// How far back each `--follow` pass looks for changed rows before the previous pass began
/// (clock skew between the writers and this process, and transactions committing late).
const FOLLOW_OVERLAP: chrono::Duration = chrono::Duration::seconds(60);
const FOLLOW_EVERY: Duration = Duration::from_secs(1);

pub async fn run(args: SyncArgs) -> anyhow::Result<()> {
    let from: DatabaseUrl = args.from.parse().context("--from")?;
    let to: DatabaseUrl = args.to.parse().context("--to")?;
    if from.redacted() == to.redacted() {
        bail!("--from and --to are the same store");
    }
    let writes = !args.dry_run && !args.verify_only;
    if writes {
        empire_schema::migrate::run_pending(&to)
            .await
            .with_context(|| format!("cannot migrate {}", to.redacted()))?;
    }
    let source = connect(&from).await?;
    let target = connect(&to).await?;
    let tables = sync::tables(&source).await?;
    let target_tables = sync::tables(&target).await?;
    if args.dry_run && target_tables.is_empty() {
        println!(
            "{} has no tables yet: a sync migrates it first",
            to.redacted()
        );
    } else if let Some(difference) = difference(&tables, &target_tables) {
        bail!(
            "{} and {} are at different migrations ({difference}); run `empire migrate` with \
             EMPIRE_DATABASE_URL set to the older one first",
            from.redacted(),
            to.redacted()
        );
    }
    if args.dry_run {
        return dry_run(&source, &target, &tables, !target_tables.is_empty()).await;
    }
    if args.verify_only {
        return verify(&source, &target, &tables, args.batch).await;
    }
    sync::prepare_marks(&target).await?;
    if !args.resume {
        let seeded = seeded().await?;
        for table in &tables {
            let rows = sync::count(&target, table).await?;
            if rows > seeded.get(&table.name).copied().unwrap_or(0) {
                bail!(
                    "{} is not empty ({} has {rows} rows); pass --resume to continue an earlier \
                     sync into it, or give an empty database",
                    to.redacted(),
                    table.name
                );
            }
        }
    }
    println!(
        "copying {} tables from {} to {}",
        tables.len(),
        from.redacted(),
        to.redacted()
    );
    // Listening before the first copy, so an early Ctrl-C is never the default kill.
    let stop = if args.follow {
        Some(Stop::listen()?)
    } else {
        None
    };
    let started = Utc::now().naive_utc();
    copy_new(&source, &target, &tables, args.batch, true).await?;
    sync::advance_sequences(&target).await?;
    match stop {
        None => verify(&source, &target, &tables, args.batch).await,
        Some(stop) => follow(&source, &target, &tables, args.batch, started, stop).await,
    }
}

/// SIGINT (Ctrl-C) or SIGTERM.
struct Stop {
    interrupt: Signal,
    terminate: Signal,
}

impl Stop {
    fn listen() -> anyhow::Result<Stop> {
        Ok(Stop {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn requested(&mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

/// The first way the two stores' tables differ in name, columns, kinds or key, if any.
fn difference(source: &[Table], target: &[Table]) -> Option<String> {
    let shape = |table: &Table| {
        let columns: Vec<(String, sync::Kind)> = table
            .columns
            .iter()
            .map(|c| (c.name.clone(), c.kind))
            .collect();
        (table.name.clone(), columns, table.key.clone())
    };
    for (a, b) in source.iter().zip(target) {
        if shape(a) != shape(b) {
            return Some(format!("table {} / {}", a.name, b.name));
        }
    }
    (source.len() != target.len())
        .then(|| format!("{} tables against {}", source.len(), target.len()))
}

/// Rows per table in a freshly migrated store (defaults some migrations insert): a target
/// holding only those is empty, and the copy writes the source's rows over them.
async fn seeded() -> anyhow::Result<HashMap<String, i64>> {
    let dir = tempfile::tempdir().context("cannot create a scratch directory")?;
    let url = DatabaseUrl::Sqlite(dir.path().join("fresh.db"));
    empire_schema::migrate::run_pending(&url).await?;
    let fresh = connect(&url).await?;
    let mut counts = HashMap::new();
    for table in sync::tables(&fresh).await? {
        counts.insert(table.name.clone(), sync::count(&fresh, &table).await?);
    }
    Ok(counts)
}

async fn connect(url: &DatabaseUrl) -> anyhow::Result<Db> {
    Db::connect(&DbOptions {
        url: url.clone(),
        pool_size: 2,
        connect_timeout: Duration::from_secs(10),
    })
    .await
    .with_context(|| format!("cannot connect to {}", url.redacted()))
}

/// Copies every table's rows past its mark; prints a line per table when `report`.
async fn copy_new(
    source: &Db,
    target: &Db,
    tables: &[Table],
    batch: i64,
    report: bool,
) -> anyhow::Result<i64> {
    let mut copied_total = 0;
    for table in tables {
        let total = sync::count(source, table).await?;
        let mut after = sync::mark(target, table).await?;
        let line = ProgressLine::new();
        let mut copied = 0i64;
        loop {
            let rows = sync::read(source, table, Range::After(after.as_deref()), batch).await?;
            let Some(last) = rows.last() else { break };
            after = Some(table.key.iter().map(|at| last[*at].clone()).collect());
            sync::write(target, table, &rows, true)
                .await
                .with_context(|| format!("cannot write {}", table.name))?;
            copied += rows.len() as i64;
            line.update(&format!(
                "{}: {copied} rows copied ({total} in the source)",
                table.name
            ));
            if (rows.len() as i64) < batch {
                break;
            }
        }
        line.finish();
        if report {
            println!("{}: {copied} rows copied", table.name);
        }
        copied_total += copied;
    }
    Ok(copied_total)
}

/// Until Ctrl-C: new rows, and rows of tables with `updated_at` written since the last pass.
async fn follow(
    source: &Db,
    target: &Db,
    tables: &[Table],
    batch: i64,
    mut since: chrono::NaiveDateTime,
    mut stop: Stop,
) -> anyhow::Result<()> {
    println!(
        "following {} tables; Ctrl-C or SIGTERM stops (then stop the writers and run --verify-only)",
        tables.len()
    );
    loop {
        let pass = Utc::now().naive_utc();
        let new = copy_new(source, target, tables, batch, false).await?;
        let changed = copy_changed(source, target, tables, batch, since - FOLLOW_OVERLAP).await?;
        sync::advance_sequences(target).await?;
        if new + changed > 0 {
            println!(
                "{}: {new} new rows, {changed} changed rows copied",
                pass.format("%H:%M:%S")
            );
        }
        since = pass;
        tokio::select! {
            _ = stop.requested() => {
                println!("stopped following");
                return Ok(());
            }
            _ = tokio::time::sleep(FOLLOW_EVERY) => {}
        }
    }
}

async fn copy_changed(
    source: &Db,
    target: &Db,
    tables: &[Table],
    batch: i64,
    since: chrono::NaiveDateTime,
) -> anyhow::Result<i64> {
    let since = since.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    let mut copied = 0;
    for table in tables.iter().filter(|t| t.has_updated_at().is_some()) {
        let mut after = None;
        loop {
            let range = Range::ChangedSince(&since, after.as_deref());
            let rows = sync::read(source, table, range, batch).await?;
            let Some(last) = rows.last() else { break };
            after = Some(
                table
                    .key
                    .iter()
                    .map(|at| last[*at].clone())
                    .collect::<Vec<_>>(),
            );
            sync::write(target, table, &rows, false).await?;
            copied += rows.len() as i64;
            if (rows.len() as i64) < batch {
                break;
            }
        }
    }
    Ok(copied)
}

async fn dry_run(source: &Db, target: &Db, tables: &[Table], migrated: bool) -> anyhow::Result<()> {
    println!(
        "{:<28} {:>12} {:>12}",
        "table", "source rows", "target rows"
    );
    for table in tables {
        let target_rows = if migrated {
            sync::count(target, table).await?
        } else {
            0
        };
        println!(
            "{:<28} {:>12} {:>12}",
            table.name,
            sync::count(source, table).await?,
            target_rows
        );
    }
    println!("dry run: nothing was written");
    Ok(())
}

async fn verify(source: &Db, target: &Db, tables: &[Table], batch: i64) -> anyhow::Result<()> {
    println!(
        "{:<28} {:>12} {:>12}  checksum",
        "table", "source rows", "target rows"
    );
    let mut differing = Vec::new();
    for table in tables {
        let line = ProgressLine::new();
        let (rows, sum) = sync::checksum(source, table, batch, |n| {
            line.update(&format!("{}: checking the source, {n} rows", table.name))
        })
        .await?;
        let (target_rows, target_sum) = sync::checksum(target, table, batch, |n| {
            line.update(&format!("{}: checking the target, {n} rows", table.name))
        })
        .await?;
        line.finish();
        let same = rows == target_rows && sum == target_sum;
        println!(
            "{:<28} {rows:>12} {target_rows:>12}  {}",
            table.name,
            if same { "match" } else { "DIFFERS" }
        );
        if !same {
            differing.push(table.name.clone());
        }
    }
    if differing.is_empty() {
        println!("verified: every table matches");
        Ok(())
    } else {
        bail!("the stores differ in {}", differing.join(", "))
    }
}
