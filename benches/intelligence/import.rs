//! Keyword import: `import_keywords` (a validation pass, then batches of 500 read on a blocking
//! thread and upserted through the async pool, each keyword with three months of history and
//! a search outbox row) on a generated `BENCH_ROWS`-row CSV into a fresh SQLite database,
//! against a bare loop over the same file: split each line on commas, then one synchronous
//! diesel transaction per 500 rows inserting the same rows (keyword, its months, its outbox row
//! with the same document) with the same PRAGMAs. Rows/s and MB/s of each, alternating.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use empire_actors::intelligence::data::import::{ImportOptions, Opener, import_keywords};
use empire_actors::intelligence::data::keyword_doc;
use empire_actors::intelligence::nlp::Language;
use empire_schema::models::{Keyword, KeywordMonth, NewOutboxEntry};
use empire_schema::schema::{keyword_history, keywords, search_outbox};
use empire_schema::types::DocType;
use empire_schema::{DatabaseUrl, Db, DbOptions};

use super::{Row, Table, env_or};

const MONTHS: [&str; 3] = ["2025-01", "2025-02", "2025-03"];
const NICHE: &str = "bench";

pub fn run(table: &mut Table) {
    let rows = env_or("BENCH_ROWS", 200_000);
    let runs = env_or("BENCH_IMPORT_ROUNDS", 1).max(1);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("keywords.csv");
    write_csv(&csv, rows);
    let bytes = std::fs::metadata(&csv).unwrap().len() as f64;
    let batch = ImportOptions::default().batch;
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for run in 0..runs {
        let empire = || {
            let db_path = dir.path().join(format!("empire-{run}.db"));
            tokio.block_on(empire(&db_path, &csv, rows))
        };
        let baseline = || {
            let db_path = dir.path().join(format!("bare-{run}.db"));
            tokio.block_on(migrate(&db_path));
            bare(&db_path, &csv, rows, batch)
        };
        if run.is_multiple_of(2) {
            ours.push(empire());
            theirs.push(baseline());
        } else {
            theirs.push(baseline());
            ours.push(empire());
        }
        eprintln!(
            "import run {run}: empire {:.1?}, bare {:.1?}",
            ours[run], theirs[run]
        );
    }
    let (ours, theirs) = (median(&mut ours), median(&mut theirs));
    let per_s = |took: Duration| rows as f64 / took.as_secs_f64();
    let mb_s = |took: Duration| bytes / 1e6 / took.as_secs_f64();
    table.push(Row {
        case: format!("keyword import, {rows} rows"),
        ours: format!("{:.0} rows/s, {:.1} MB/s", per_s(ours), mb_s(ours)),
        bare: format!("{:.0} rows/s, {:.1} MB/s", per_s(theirs), mb_s(theirs)),
        ratio: format!("{:.2}× (rows/s)", per_s(ours) / per_s(theirs)),
        note: format!(
            "{:.1} MB CSV, 3 months each, batches of {batch}; median of {runs} run(s); SQLite, fresh file",
            bytes / 1e6
        ),
    });
}

fn median(runs: &mut [Duration]) -> Duration {
    runs.sort_unstable();
    runs[runs.len() / 2]
}

/// A plain export with monthly columns; every keyword distinct.
fn write_csv(path: &Path, rows: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        out,
        "Keyword,Volume,CPC,Keyword Difficulty,Searches: Jan 2025,Searches: Feb 2025,Searches: Mar 2025"
    )
    .unwrap();
    for n in 0..rows {
        let volume = 10 + (n * 7_919) % 90_000;
        writeln!(
            out,
            "best {} running shoes {n},{volume},{}.{:02},{},{},{},{}",
            ["trail", "road", "track", "winter", "wide"][n % 5],
            n % 4,
            n % 100,
            n % 101,
            volume * 9 / 10,
            volume,
            volume * 11 / 10
        )
        .unwrap();
    }
    out.flush().unwrap();
}

async fn migrate(path: &Path) -> Db {
    let url = DatabaseUrl::Sqlite(path.to_path_buf());
    empire_schema::migrate::run_pending(&url).await.unwrap();
    Db::connect(&DbOptions {
        url,
        pool_size: 4,
        connect_timeout: Duration::from_secs(10),
    })
    .await
    .unwrap()
}

async fn empire(db_path: &Path, csv: &Path, rows: usize) -> Duration {
    let db = migrate(db_path).await;
    let path = csv.to_path_buf();
    let open: Opener = Arc::new(move || {
        std::fs::File::open(&path)
            .map(|file| Box::new(BufReader::new(file)) as Box<dyn Read + Send>)
    });
    let started = Instant::now();
    let report = import_keywords(
        &db,
        None,
        open,
        Language::En,
        Some(NICHE.into()),
        ImportOptions::default(),
        Arc::new(|_| {}),
    )
    .await
    .unwrap();
    let took = started.elapsed();
    assert_eq!(report.written, rows as u64, "{report:?}");
    took
}

/// The bare loop; the database is migrated but otherwise untouched.
fn bare(db_path: &Path, csv: &Path, rows: usize, batch: usize) -> Duration {
    let mut conn = SqliteConnection::establish(db_path.to_str().unwrap()).unwrap();
    conn.batch_execute(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
    )
    .unwrap();
    let started = Instant::now();
    let mut lines = BufReader::new(std::fs::File::open(csv).unwrap()).lines();
    lines.next();
    let mut written = 0;
    let mut pending: Vec<(Keyword, [i64; 3])> = Vec::with_capacity(batch);
    let mut flush = |conn: &mut SqliteConnection, pending: &mut Vec<(Keyword, [i64; 3])>| {
        conn.transaction::<_, diesel::result::Error, _>(|conn| {
            for (keyword, months) in pending.iter() {
                diesel::insert_into(keywords::table)
                    .values(keyword)
                    .execute(conn)?;
                for (month, volume) in MONTHS.iter().zip(months) {
                    diesel::insert_into(keyword_history::table)
                        .values(KeywordMonth {
                            keyword_id: keyword.id.clone(),
                            month: (*month).to_owned(),
                            volume: *volume,
                        })
                        .execute(conn)?;
                }
                diesel::insert_into(search_outbox::table)
                    .values(NewOutboxEntry::upsert(
                        &keyword.id,
                        DocType::Keyword,
                        keyword_doc(keyword),
                    ))
                    .execute(conn)?;
            }
            Ok(())
        })
        .unwrap();
        written += pending.len();
        pending.clear();
    };
    let at = empire_schema::clock::now();
    for line in lines {
        let line = line.unwrap();
        let fields: Vec<&str> = line.split(',').collect();
        let number = |i: usize| fields[i].parse::<i64>().unwrap();
        let cpc: f64 = fields[2].parse().unwrap();
        let keyword = fields[0].to_owned();
        pending.push((
            Keyword {
                id: empire_schema::clock::new_id(),
                import_key: format!("keyword:en:{keyword}"),
                keyword,
                language: Language::En,
                volume: number(1),
                cpc_cents: Some((cpc * 100.0).round() as i64),
                currency: None,
                difficulty: Some(number(3)),
                niche: Some(NICHE.into()),
                updated_at: at,
            },
            [number(4), number(5), number(6)],
        ));
        if pending.len() == batch {
            flush(&mut conn, &mut pending);
        }
    }
    if !pending.is_empty() {
        flush(&mut conn, &mut pending);
    }
    let took = started.elapsed();
    assert_eq!(written, rows);
    took
}
