//! Imports over HTTP (`POST /api/v1/imports`): the file is stored in chunks, an `import` task
//! reads it back on the runtime, reports progress, and deletes the chunks when it ends; bad
//! forms are refused before anything is stored.

use std::io::Write;
use std::time::Duration;

use empire_actors::plumbing::event::Event;
use empire_schema::models::{ImportChunk, ImportUpload, Keyword, Product, Task};
use empire_schema::types::ImportKind;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use super::{FEED, KEYWORDS};
use crate::helpers::auth::problem;
use crate::helpers::{TestApp, backends, spawn_app, spawn_app_with};

/// The form fields in order, then the file (when given) as `name`.
fn form(fields: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> Form {
    let mut form = Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    if let Some((name, bytes)) = file {
        form = form.part("file", Part::bytes(bytes).file_name(name.to_owned()));
    }
    form
}

async fn post(app: &TestApp, token: &str, form: Form) -> reqwest::Response {
    app.with(Method::POST, "/api/v1/imports", token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Uploads, expects 202 with the queued task, and returns the ended task.
async fn import(app: &TestApp, token: &str, form: Form) -> Value {
    let response = post(app, token, form).await;
    assert_eq!(response.status(), 202);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let task: Value = response.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/v1/tasks/{}", task["id"].as_str().unwrap())
    );
    assert_eq!(
        (task["agent"].as_str(), task["kind"].as_str()),
        (Some("opportunity_scanner"), Some("import"))
    );
    let done = app.wait_task(token, task["id"].as_str().unwrap()).await;
    let upload_id = done["input"]["upload_id"].as_str().unwrap();
    assert_eq!(
        ImportChunk::count(&app.db, upload_id).await.unwrap(),
        0,
        "the chunks are gone once the task ended: {done}"
    );
    let upload = ImportUpload::get(&app.db, upload_id).await.unwrap();
    assert_eq!(upload.task_id.as_deref(), done["id"].as_str());
    done
}

fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keyword_file_uploaded_over_http_is_imported_by_a_task_with_progress() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let token = app.admin_token().await;
        let mut events = app.runtime.subscribe(None).await.unwrap().live;
        let fields = [
            ("kind", "keywords"),
            ("language", "en"),
            ("niche", "running"),
        ];
        let done = import(
            &app,
            &token,
            form(&fields, Some(("kw.csv", KEYWORDS.into()))),
        )
        .await;

        assert_eq!(done["status"], "succeeded", "{backend:?}: {done}");
        let report = &done["result"];
        assert_eq!(report["summary"]["rows"], 3, "{report}");
        assert_eq!(
            (report["written"].as_u64(), report["refused"].as_bool()),
            (Some(3), Some(false))
        );
        assert_eq!(Keyword::count(&app.db).await.unwrap(), 3);
        let shoes = Keyword::by_import_key(&app.db, "keyword:en:running shoes")
            .await
            .unwrap();
        assert_eq!(
            (shoes.volume, shoes.niche.as_deref()),
            (40500, Some("running"))
        );
        let upload = ImportUpload::get(&app.db, done["input"]["upload_id"].as_str().unwrap())
            .await
            .unwrap();
        assert_eq!(
            (upload.kind, upload.file_name.as_str(), upload.byte_size),
            (ImportKind::Keywords, "kw.csv", KEYWORDS.len() as i64)
        );
        assert_eq!(upload.sha256.as_deref().map(str::len), Some(64));

        // Progress reached the bus: the validating pass, then writing up to the total.
        let mut phases = Vec::new();
        while let Ok(Ok(stamped)) =
            tokio::time::timeout(Duration::from_millis(500), events.recv()).await
        {
            if let Event::TaskProgress {
                task_id,
                kind,
                progress,
                ..
            } = &stamped.event
                && task_id == done["id"].as_str().unwrap()
            {
                assert_eq!(kind, "import");
                phases.push(progress.clone());
            }
        }
        assert_eq!(
            phases.first().map(|p| p["phase"].clone()),
            Some("validating".into()),
            "{phases:?}"
        );
        let last = phases.last().unwrap();
        assert_eq!(
            (
                last["phase"].as_str(),
                last["rows"].as_u64(),
                last["total"].as_u64()
            ),
            (Some("writing"), Some(3), Some(3))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rows_refuse_the_file_unless_skipped_and_gzip_feeds_import() {
    let bad =
        "Keyword,Volume,CPC\nrunning shoes,40500,1.20\n,100,0.5\nsocks,many,0.1\nlaces,10,0.2\n";
    for backend in backends() {
        let app = spawn_app(backend).await;
        let token = app.admin_token().await;

        let refused = import(
            &app,
            &token,
            form(&[("kind", "keywords")], Some(("bad.csv", bad.into()))),
        )
        .await;
        assert_eq!(refused["status"], "succeeded", "{backend:?}: {refused}");
        let report = &refused["result"];
        assert_eq!(
            (report["refused"].as_bool(), report["written"].as_u64()),
            (Some(true), Some(0))
        );
        let lines: Vec<u64> = report["summary"]["bad"]
            .as_array()
            .unwrap()
            .iter()
            .map(|bad| bad["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, [3, 4]);
        assert_eq!(Keyword::count(&app.db).await.unwrap(), 0, "nothing written");

        let skipped = import(
            &app,
            &token,
            form(
                &[("kind", "keywords"), ("skip_bad", "true")],
                Some(("bad.csv", bad.into())),
            ),
        )
        .await;
        assert_eq!(skipped["result"]["written"], 2, "{skipped}");
        assert_eq!(Keyword::count(&app.db).await.unwrap(), 2);

        let feed = import(
            &app,
            &token,
            form(&[("kind", "awin_feed")], Some(("feed.csv.gz", gzip(FEED)))),
        )
        .await;
        assert_eq!(feed["result"]["written"], 3, "{backend:?}: {feed}");
        assert_eq!(Product::count(&app.db).await.unwrap(), 3);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_is_not_an_export_fails_for_good_and_its_chunks_go() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let token = app.admin_token().await;
        let done = import(
            &app,
            &token,
            form(
                &[("kind", "awin_feed")],
                Some(("notes.txt", b"just some words\n".to_vec())),
            ),
        )
        .await;
        assert_eq!(done["status"], "dead", "{backend:?}: {done}");
        assert_eq!(done["attempts"], 1, "not retried: {done}");
        let error = done["error"].as_str().unwrap();
        assert!(
            error.contains("notes.txt") && error.contains("header"),
            "{error}"
        );
    }
}

/// Nothing of a refused form stays: no upload, no chunk, no task.
async fn assert_nothing_stored(app: &TestApp) {
    assert_eq!(ImportUpload::count(&app.db).await.unwrap(), 0);
    assert_eq!(ImportChunk::count_all(&app.db).await.unwrap(), 0);
    let tasks = Task::counts_by_agent_and_status(&app.db).await.unwrap();
    assert!(tasks.is_empty(), "{tasks:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_forms_are_refused_naming_the_field_and_store_nothing() {
    for backend in backends() {
        let app = spawn_app_with(backend, |config| config.http.import_limit_bytes = 100_000).await;
        let token = app.admin_token().await;
        let csv = || Some(("kw.csv", KEYWORDS.as_bytes().to_vec()));
        let cases: Vec<(Form, &str)> = vec![
            (form(&[("kind", "keywords")], None), "file"),
            (form(&[("kind", "pdf")], csv()), "kind"),
            (form(&[], csv()), "kind"),
            (
                form(&[("kind", "keywords"), ("language", "fr")], csv()),
                "language",
            ),
            (
                form(&[("kind", "awin_feed"), ("niche", "running")], csv()),
                "niche",
            ),
            (
                form(&[("kind", "keywords"), ("skip_bad", "maybe")], csv()),
                "skip_bad",
            ),
            (
                form(&[("kind", "keywords"), ("colour", "red")], csv()),
                "colour",
            ),
            (
                form(&[("kind", "keywords")], Some(("empty.csv", Vec::new()))),
                "file",
            ),
        ];
        for (form, field) in cases {
            let body = problem(post(&app, &token, form).await, 422).await;
            assert_eq!(body["errors"][0]["field"], field, "{backend:?}: {body}");
        }
        // A field after the file is still checked, and the stored file deleted.
        let late = form(&[("kind", "keywords")], csv()).text("language", "xx");
        let body = problem(post(&app, &token, late).await, 422).await;
        assert_eq!(body["errors"][0]["field"], "language");
        assert_nothing_stored(&app).await;

        let not_a_form = app
            .with(Method::POST, "/api/v1/imports", &token)
            .json(&serde_json::json!({"kind": "keywords"}))
            .send()
            .await
            .unwrap();
        problem(not_a_form, 415).await;

        // Past the cap: 413, and what had arrived is deleted.
        let big = "Keyword,Volume\n".to_owned() + &"running shoes,10\n".repeat(20_000);
        let body = problem(
            post(
                &app,
                &token,
                form(&[("kind", "keywords")], Some(("big.csv", big.into()))),
            )
            .await,
            413,
        )
        .await;
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("import_limit_bytes"),
            "{body}"
        );
        // A streamed body declares no length: the cap is met while it is stored.
        let stream =
            futures::stream::iter((0..40).map(|_| Ok::<_, std::io::Error>(vec![b'x'; 4096])));
        let part = Part::stream(reqwest::Body::wrap_stream(stream)).file_name("stream.csv");
        let streamed = Form::new().text("kind", "keywords").part("file", part);
        problem(post(&app, &token, streamed).await, 413).await;
        assert_nothing_stored(&app).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_needs_intelligence_use() {
    let app = spawn_app(crate::helpers::TestBackend::Sqlite).await;
    let reader = app.user_with("reader@test.local", &["agents.read"]).await;
    let response = post(
        &app,
        &reader,
        form(&[("kind", "keywords")], Some(("kw.csv", KEYWORDS.into()))),
    )
    .await;
    problem(response, 403).await;
    assert_nothing_stored(&app).await;

    // intelligence.use alone may import (following the task takes agents.read).
    let analyst = app
        .user_with("analyst@test.local", &["intelligence.use"])
        .await;
    let response = post(
        &app,
        &analyst,
        form(&[("kind", "keywords")], Some(("kw.csv", KEYWORDS.into()))),
    )
    .await;
    assert_eq!(response.status(), 202);
    let task: Value = response.json().await.unwrap();
    let admin = app.admin_token().await;
    let done = app.wait_task(&admin, task["id"].as_str().unwrap()).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(Keyword::count(&app.db).await.unwrap(), 3);
}
