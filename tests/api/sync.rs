//! `empire sync` with the real binary: a SQLite store holding rows of every column kind moves
//! to PostgreSQL through a sync killed with SIGKILL and resumed, is verified table by table,
//! a changed row is found, and the same command with the roles swapped moves it back.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use empire_actors::intelligence::graph::{EdgeKind, GraphEdge, GraphNode, NodeKind};
use empire_schema::models::{Click, ImportChunk, ImportUpload, KgNode};
use empire_schema::types::ImportKind;
use empire_schema::{DatabaseUrl, Db, DbOptions, backup};
use serde_json::json;

use crate::helpers::database::admin_url;
use crate::helpers::process::{empire, wait_within};
use crate::helpers::{TestBackend, TestDatabase, spawn_app_with};
use crate::intelligence::keywords_in;

fn run(command: &mut Command) -> (bool, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_within(&mut child, Duration::from_secs(120));
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&stdout).into_owned() + &String::from_utf8_lossy(&stderr);
    (status.success(), text)
}

fn sync(dir: &Path, from: &str, to: &str, extra: &[&str]) -> (bool, String) {
    run(empire(dir)
        .args(["sync", "--from", from, "--to", to])
        .args(extra))
}

async fn open(url: &str) -> Db {
    Db::connect(&DbOptions {
        url: url.parse::<DatabaseUrl>().unwrap(),
        pool_size: 1,
        connect_timeout: Duration::from_secs(5),
    })
    .await
    .unwrap()
}

async fn copied_so_far(db: &Db) -> i64 {
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Sum {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let Db::Postgres(pool) = db else {
        panic!("PostgreSQL")
    };
    let mut conn = pool.get().await.unwrap();
    diesel::sql_query("SELECT CAST(COALESCE(SUM(copied), 0) AS BIGINT) AS n FROM empire_sync_marks")
        .get_result::<Sum>(&mut *conn)
        .await
        .map_or(0, |sum| sum.n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_moves_to_postgresql_through_a_killed_sync_and_back() {
    if admin_url().is_none() {
        eprintln!("sync test skipped: it needs PostgreSQL (set EMPIRE_TEST_DATABASE_URL)");
        return;
    }
    // Rows of every kind: text, integers, floats, booleans, timestamps, nulls and a blob.
    let app = spawn_app_with(TestBackend::Sqlite, |config| {
        config.tasks.fault_injection = true
    })
    .await;
    let token = app.admin_token().await;
    let task = app
        .submit_task(
            &token,
            "seo_optimizer",
            &json!({"kind": "sleep", "input": {"ms": 1}}),
        )
        .await;
    app.wait_task(&token, &task).await;
    let link = crate::go::link(&app.db).await;
    Click::record(&app.db, &link, None).await.unwrap();
    let mut csv = String::from("Keyword,Volume,CPC,Keyword Difficulty\n");
    for n in 0..1500 {
        csv += &format!("keyword {n},{},0.{:02},{}\n", 100 + n, n % 100, n % 90);
    }
    keywords_in(&app.db, None, &csv, "bulk").await;
    let node = |id: &str| GraphNode {
        id: id.into(),
        kind: NodeKind::Niche,
        label: format!("niche {id}"),
        props: json!({}),
    };
    let (a, b) = (
        "0190a000-0000-7000-8000-0000000000a1",
        "0190a000-0000-7000-8000-0000000000a2",
    );
    app.runtime
        .services()
        .graph
        .save(
            vec![node(a), node(b)],
            vec![GraphEdge {
                from: a.into(),
                to: b.into(),
                kind: EdgeKind::CompetesWith,
                weight: 0.375,
            }],
        )
        .await
        .unwrap();
    let upload = ImportUpload::new(ImportKind::Keywords, "k.csv", None);
    ImportUpload::create(&app.db, &upload).await.unwrap();
    ImportChunk::add(&app.db, &upload.id, 0, &[0, 1, 2, 0xfe, 0xff])
        .await
        .unwrap();

    // A still copy of the store to sync from (the app keeps writing to its own).
    let dir = tempfile::tempdir().unwrap();
    let source_path = dir.path().join("source.db");
    let live = app.database_url.trim_start_matches("sqlite://").to_owned();
    backup::write(Path::new(&live), &source_path, &[]).unwrap();
    backup::strip(&source_path).unwrap();
    let source = format!("sqlite://{}", source_path.display());
    let target = TestDatabase::create(TestBackend::Postgres).await;

    // One row per transaction, killed part-way.
    let mut child = empire(dir.path())
        .args([
            "sync",
            "--from",
            &source,
            "--to",
            &target.url,
            "--batch",
            "1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let target_db = open(&target.url).await;
    let started = Instant::now();
    while copied_so_far(&target_db).await < 200 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the sync made no progress"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the sync ended before it was killed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let (ok, out) = sync(dir.path(), &source, &target.url, &["--verify-only"]);
    assert!(!ok && out.contains("DIFFERS"), "the copy is partial: {out}");

    let (ok, out) = sync(dir.path(), &source, &target.url, &[]);
    assert!(
        !ok && out.contains("--resume"),
        "a non-empty target needs --resume: {out}"
    );
    let (ok, out) = sync(dir.path(), &source, &target.url, &["--resume"]);
    assert!(ok && out.contains("verified: every table matches"), "{out}");
    let (ok, out) = sync(dir.path(), &source, &target.url, &["--dry-run"]);
    assert!(ok && out.contains("nothing was written"), "{out}");

    // One changed value is found, and named by its table.
    {
        use diesel_async::RunQueryDsl;
        let Db::Postgres(pool) = &target_db else {
            panic!("PostgreSQL")
        };
        let mut conn = pool.get().await.unwrap();
        diesel::sql_query("UPDATE kg_edges SET weight = 0.5")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    let (ok, out) = sync(dir.path(), &source, &target.url, &["--verify-only"]);
    assert!(
        !ok && out.contains("the stores differ in kg_edges"),
        "{out}"
    );
    {
        use diesel_async::RunQueryDsl;
        let Db::Postgres(pool) = &target_db else {
            panic!("PostgreSQL")
        };
        let mut conn = pool.get().await.unwrap();
        diesel::sql_query("UPDATE kg_edges SET weight = 0.375")
            .execute(&mut *conn)
            .await
            .unwrap();
    }

    // The way back: PostgreSQL into a new SQLite store, identical to where it started.
    let back = format!("sqlite://{}", dir.path().join("back.db").display());
    let (ok, out) = sync(dir.path(), &target.url, &back, &[]);
    assert!(ok && out.contains("verified: every table matches"), "{out}");
    let (ok, out) = sync(dir.path(), &source, &back, &["--verify-only"]);
    assert!(ok, "the round trip changed nothing: {out}");
    let back_db = open(&back).await;
    assert_eq!(
        ImportChunk::get(&back_db, &upload.id, 0).await.unwrap(),
        Some(vec![0, 1, 2, 0xfe, 0xff])
    );

    // Side by side: --follow copies a new row and a changed one until Ctrl-C.
    let followed = TestDatabase::create(TestBackend::Postgres).await;
    let mut child = empire(dir.path())
        .args(["sync", "--from", &back, "--to", &followed.url, "--follow"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let followed_db = open(&followed.url).await;
    let label_of = |db: Db, id: &'static str| async move {
        KgNode::load_all(&db)
            .await
            .ok()
            .and_then(|(nodes, _)| nodes.into_iter().find(|n| n.id == id))
            .map(|n| n.label)
    };
    let c = "0190a000-0000-7000-8000-0000000000a3";
    let changed = KgNode::new(a.into(), NodeKind::Niche, "renamed".into(), json!({}));
    let added = KgNode::new(c.into(), NodeKind::Niche, "added".into(), json!({}));
    let started = Instant::now();
    while label_of(followed_db.clone(), a).await.as_deref()
        != Some("niche 0190a000-0000-7000-8000-0000000000a1")
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the first copy did not arrive"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    KgNode::save(&back_db, &[changed, added], &[])
        .await
        .unwrap();
    while label_of(followed_db.clone(), a).await.as_deref() != Some("renamed")
        || label_of(followed_db.clone(), c).await.as_deref() != Some("added")
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the new and changed rows did not follow"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    wait_within(&mut child, Duration::from_secs(20));
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && text.contains("stopped following"),
        "{:?}: {text}",
        output.status
    );
}
