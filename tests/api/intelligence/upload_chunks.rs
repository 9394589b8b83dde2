//! Uploaded chunks read back as one file by the import task's reader, across chunk boundaries,
//! and the sweep of what imports leave behind.

use std::io::Read;

use empire_actors::kinds::AgentId;
use empire_actors::opportunity_scanner::import::Chunks;
use empire_actors::runtime::TaskRequest;
use empire_schema::clock::now;
use empire_schema::models::{Arrived, Created, ImportChunk, ImportUpload};
use empire_schema::types::ImportKind;

use crate::helpers::{TestApp, backends, spawn_store_app};

/// Stores `parts` as the chunks of a complete upload.
async fn stored(app: &TestApp, parts: &[&str]) -> ImportUpload {
    let upload = ImportUpload::new(ImportKind::Keywords, "parts.csv", None);
    ImportUpload::create(&app.db, &upload).await.unwrap();
    for (seq, part) in parts.iter().enumerate() {
        ImportChunk::add(&app.db, &upload.id, seq as i64, part.as_bytes())
            .await
            .unwrap();
    }
    let arrived = Arrived {
        byte_size: parts.iter().map(|p| p.len() as i64).sum(),
        chunk_count: parts.len() as i64,
        sha256: String::new(),
    };
    ImportUpload::complete(&app.db, &upload.id, &arrived)
        .await
        .unwrap();
    upload
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chunks_read_back_as_one_file_and_leftovers_are_swept() {
    for backend in backends() {
        let app = spawn_store_app(backend).await;
        let upload = stored(&app, &["Keyword,Vol", "ume\nshoes,1", "0\n"]).await;
        let chunks = Chunks::new(
            app.db.clone(),
            &upload.id,
            3,
            tokio::runtime::Handle::current(),
        );
        let open = chunks.opener();
        let text = tokio::task::spawn_blocking(move || {
            let mut text = String::new();
            let mut reader = open().unwrap();
            let mut byte = [0u8; 5];
            loop {
                // Small reads across the chunk boundaries.
                let n = reader.read(&mut byte).unwrap();
                if n == 0 {
                    break text;
                }
                text.push_str(std::str::from_utf8(&byte[..n]).unwrap());
            }
        })
        .await
        .unwrap();
        assert_eq!(text, "Keyword,Volume\nshoes,10\n", "{backend:?}");

        // A missing chunk is an error of the file, not of the store.
        let short = Chunks::new(
            app.db.clone(),
            &upload.id,
            4,
            tokio::runtime::Handle::current(),
        );
        let open = short.opener();
        let read =
            tokio::task::spawn_blocking(move || open().unwrap().read_to_end(&mut Vec::new()))
                .await
                .unwrap();
        assert!(read.is_err());
        assert_eq!(short.store_failure(), None);

        // The chunks of an upload whose task ended without deleting them (cancelled) are swept.
        let orphan = stored(&app, &["a", "b"]).await;
        let input = serde_json::json!({"upload_id": orphan.id, "kind": "keywords"});
        let request = TaskRequest::new(AgentId::OpportunityScanner, "import", input);
        let task = match app.runtime.submit(request).await.unwrap() {
            Created::New(task) | Created::Existing(task) => task,
        };
        ImportUpload::attach_task(&app.db, &orphan.id, &task.id)
            .await
            .unwrap();
        ImportUpload::sweep(&app.db, now()).await.unwrap();
        assert_eq!(
            ImportChunk::count(&app.db, &orphan.id).await.unwrap(),
            2,
            "its task may still run"
        );
        app.runtime.cancel_task(&task.id).await.unwrap();
        ImportUpload::sweep(&app.db, now()).await.unwrap();
        assert_eq!(
            ImportChunk::count(&app.db, &orphan.id).await.unwrap(),
            0,
            "{backend:?}"
        );
        assert!(
            ImportUpload::get(&app.db, &orphan.id).await.is_ok(),
            "the record stays"
        );

        // An upload whose request died long ago goes whole; a complete one stays.
        let abandoned = ImportUpload::new(ImportKind::AwinFeed, "gone.csv", None);
        ImportUpload::create(&app.db, &abandoned).await.unwrap();
        ImportChunk::add(&app.db, &abandoned.id, 0, b"x")
            .await
            .unwrap();
        let later = now() + chrono::Duration::seconds(1);
        assert!(ImportUpload::sweep(&app.db, later).await.unwrap() >= 1);
        assert!(ImportUpload::get(&app.db, &abandoned.id).await.is_err());
        assert_eq!(ImportChunk::count(&app.db, &upload.id).await.unwrap(), 3);
    }
}
