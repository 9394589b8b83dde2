//! `empire import keywords|awin-feed FILE`: validates every row, reports bad rows by line, and
//! writes nothing when one is bad unless `--skip-bad`; a re-import changes nothing.

use std::fs::File;
use std::io::Read;
use std::sync::Arc;

use anyhow::{Context, bail};
use empire_actors::intelligence::data::import::{
    ImportOptions, ImportProgress, ImportReport, Opener, Progress, import_awin_feed,
    import_keywords,
};
use empire_actors::intelligence::nlp::Language;

use super::progress::ProgressLine;
use crate::cli::{ImportFile, ImportKeywords};
use crate::config::Config;

pub async fn keywords(config: Config, args: ImportKeywords) -> anyhow::Result<()> {
    let language: Language = args
        .language
        .parse()
        .with_context(|| format!("--language `{}`: expected en or de", args.language))?;
    let db = super::open_database(&config).await?;
    let (open, line) = setup(&args.file)?;
    let options = options(&args.file);
    let report = import_keywords(
        &db,
        None,
        open,
        language,
        args.niche,
        options,
        progress(&line),
    )
    .await;
    line.finish();
    conclude(&args.file, report?)
}

pub async fn awin_feed(config: Config, args: ImportFile) -> anyhow::Result<()> {
    let db = super::open_database(&config).await?;
    let (open, line) = setup(&args)?;
    let report = import_awin_feed(&db, None, open, options(&args), progress(&line)).await;
    line.finish();
    conclude(&args, report?)
}

fn setup(args: &ImportFile) -> anyhow::Result<(Opener, ProgressLine)> {
    let path = args.file.clone();
    File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
    let open: Opener = Arc::new(move || {
        File::open(&path)
            .map(|file| Box::new(std::io::BufReader::new(file)) as Box<dyn Read + Send>)
    });
    Ok((open, ProgressLine::new()))
}

fn options(args: &ImportFile) -> ImportOptions {
    ImportOptions {
        skip_bad: args.skip_bad,
        ..ImportOptions::default()
    }
}

fn progress(line: &ProgressLine) -> Progress {
    let line = line.clone();
    Arc::new(move |progress| match progress {
        ImportProgress::Validating { rows } => line.update(&format!("validating: {rows} rows")),
        ImportProgress::Writing { rows, total } => {
            line.update(&format!("writing: {rows}/{total} rows"))
        }
    })
}

/// Prints the bad rows and the tally; fails when bad rows stopped the import.
fn conclude(args: &ImportFile, report: ImportReport) -> anyhow::Result<()> {
    let summary = &report.summary;
    for bad in &summary.bad {
        eprintln!("{}: {bad}", args.file.display());
    }
    if summary.bad_total > summary.bad.len() as u64 {
        eprintln!(
            "… and {} more bad rows",
            summary.bad_total - summary.bad.len() as u64
        );
    }
    if report.refused {
        bail!(
            "{} bad of {} rows; nothing was written (fix them, or pass --skip-bad to write the {} good rows)",
            summary.bad_total,
            summary.rows,
            summary.good()
        );
    }
    println!(
        "{}: {} rows read, {} written, {} bad skipped",
        args.file.display(),
        summary.rows,
        report.written,
        summary.bad_total
    );
    Ok(())
}
