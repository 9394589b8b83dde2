//! Keyword and product imports: good files, files with bad rows (nothing written unless skipped),
//! re-imports that change nothing, a large generated file, and the CLI.

use std::io::Write;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use empire_actors::intelligence::data::import::{ImportOptions, import_keywords};
use empire_actors::intelligence::nlp::Language;
use empire_schema::models::{Keyword, KeywordMonth, OutboxEntry, Product};

use super::{FEED, KEYWORDS, feed_in, keywords_in, opener, quiet};
use crate::helpers::process::{empire, wait_within};
use crate::helpers::{backends, spawn_store_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn good_files_import_and_a_reimport_changes_nothing() {
    for backend in backends() {
        let app = spawn_store_app(backend).await;
        let db = &app.db;
        let report = keywords_in(db, None, KEYWORDS, "running").await;
        assert_eq!(
            (report.summary.rows, report.written, report.refused),
            (3, 3, false)
        );
        let feed = feed_in(db, None, FEED).await;
        assert_eq!((feed.summary.rows, feed.written), (3, 3), "{backend:?}");

        let shoes = Keyword::by_import_key(db, "keyword:en:running shoes")
            .await
            .unwrap();
        assert_eq!(
            (shoes.volume, shoes.cpc_cents, shoes.difficulty),
            (40500, Some(120), Some(78))
        );
        assert_eq!(shoes.niche.as_deref(), Some("running"));
        let outbox_before = OutboxEntry::last_id(db).await.unwrap();

        // The same files again: same rows, same ids, new outbox entries only.
        keywords_in(db, None, KEYWORDS, "running").await;
        feed_in(db, None, FEED).await;
        assert_eq!(Keyword::count(db).await.unwrap(), 3, "{backend:?}");
        assert_eq!(Product::count(db).await.unwrap(), 3);
        let again = Keyword::by_import_key(db, "keyword:en:running shoes")
            .await
            .unwrap();
        assert_eq!(again.id, shoes.id);
        assert!(OutboxEntry::last_id(db).await.unwrap() > outbox_before);
        let series = KeywordMonth::series(db, Some("running"), "2025-01", 100)
            .await
            .unwrap();
        let months: Vec<i64> = series
            .iter()
            .find(|(k, _)| k.id == shoes.id)
            .unwrap()
            .1
            .iter()
            .map(|m| m.volume)
            .collect();
        assert_eq!(months, [30000, 35000, 50000], "history kept once per month");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_with_bad_rows_writes_nothing_unless_they_are_skipped() {
    let bad =
        "Keyword,Volume,CPC\nrunning shoes,40500,1.20\n,100,0.5\nsocks,many,0.1\nlaces,10,0.2\n";
    for backend in backends() {
        let app = spawn_store_app(backend).await;
        let db = &app.db;
        let report = import_keywords(
            db,
            None,
            opener(bad),
            Language::En,
            None,
            ImportOptions::default(),
            quiet(),
        )
        .await
        .unwrap();
        assert!(report.refused, "{backend:?}");
        assert_eq!(report.written, 0);
        let lines: Vec<u64> = report.summary.bad.iter().map(|bad| bad.line).collect();
        assert_eq!(lines, [3, 4], "bad rows by line number");
        assert_eq!(report.summary.bad[1].field.as_deref(), Some("Volume"));
        assert_eq!(Keyword::count(db).await.unwrap(), 0, "nothing written");
        assert_eq!(OutboxEntry::last_id(db).await.unwrap(), None);

        let skipped = import_keywords(
            db,
            None,
            opener(bad),
            Language::En,
            None,
            ImportOptions {
                skip_bad: true,
                ..ImportOptions::default()
            },
            quiet(),
        )
        .await
        .unwrap();
        assert_eq!((skipped.written, skipped.summary.bad_total), (2, 2));
        assert_eq!(Keyword::count(db).await.unwrap(), 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_generated_feed_streams_in_batches() {
    const ROWS: u64 = 12_345;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.csv.gz");
    {
        let file = std::fs::File::create(&path).unwrap();
        let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        writeln!(
            gz,
            "aw_product_id,merchant_id,product_name,aw_deep_link,search_price,currency"
        )
        .unwrap();
        for n in 0..ROWS {
            writeln!(
                gz,
                "p{n},{},Product number {n},https://www.awin1.com/pclick.php?p={n},{}.99,EUR",
                1000 + n % 7,
                n % 500
            )
            .unwrap();
        }
        gz.finish().unwrap();
    }
    for backend in backends() {
        let app = spawn_store_app(backend).await;
        let path = path.clone();
        let open: empire_actors::intelligence::data::import::Opener = Arc::new(move || {
            std::fs::File::open(&path).map(|f| Box::new(f) as Box<dyn std::io::Read + Send>)
        });
        let report = empire_actors::intelligence::data::import::import_awin_feed(
            &app.db,
            None,
            open,
            ImportOptions::default(),
            quiet(),
        )
        .await
        .unwrap();
        assert_eq!(
            (report.summary.rows, report.written),
            (ROWS, ROWS),
            "{backend:?}"
        );
        assert_eq!(Product::count(&app.db).await.unwrap(), ROWS as i64);
    }
}

#[test]
fn the_cli_reports_bad_lines_and_refuses_then_imports_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.csv"),
        "Keyword,Volume\nshoes,10\nsocks,-1\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("good.csv"), KEYWORDS).unwrap();
    let db_url = format!("sqlite://{}", dir.path().join("empire.db").display());
    let run = |args: &[&str]| {
        let mut child = empire(dir.path())
            .env("EMPIRE_DATABASE_URL", &db_url)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_within(&mut child, Duration::from_secs(60));
        child.wait_with_output().unwrap()
    };
    let refused = run(&["import", "keywords", "bad.csv"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{stderr}");
    assert!(stderr.contains("line 3, Volume"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");

    let imported = run(&[
        "import",
        "keywords",
        "good.csv",
        "--language",
        "en",
        "--niche",
        "running",
    ]);
    let stdout = String::from_utf8_lossy(&imported.stdout);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(stdout.contains("3 rows read, 3 written"), "{stdout}");

    let rebuilt = run(&["index", "rebuild"]);
    assert!(
        rebuilt.status.success(),
        "{}",
        String::from_utf8_lossy(&rebuilt.stderr)
    );
    assert!(String::from_utf8_lossy(&rebuilt.stdout).contains("3 documents indexed"));
}
