//! Running `import`: find the upload, run the importer over its chunks with throttled progress
//! events, and delete the chunks once no attempt can use them (success, or a file that cannot be
//! read); a failure of the store leaves them for the next attempt.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use empire_schema::StoreError;
use empire_schema::models::{ImportChunk, ImportUpload};
use serde_json::Value;
use tokio::runtime::Handle;

use super::{Chunks, ImportKind, Input, Language};
use crate::intelligence::data::DataError;
use crate::intelligence::data::import::{
    ImportOptions, ImportProgress, ImportReport, Progress, import_awin_feed, import_keywords,
};
use crate::kinds::{KindError, decode_valid};
use crate::services::Services;

pub const KIND: &str = "import";

/// At most one progress event this often, besides the start and end of the writing pass.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

pub async fn run(services: Services, input: Value) -> Result<Value, KindError> {
    let input: Input = decode_valid(&input, super::validate)?;
    let upload = match ImportUpload::get(&services.db, &input.upload_id).await {
        Ok(upload) => upload,
        Err(StoreError::NotFound) => {
            return Err(KindError::Permanent(format!(
                "no upload `{}`",
                input.upload_id
            )));
        }
        Err(error) => return Err(KindError::Failed(format!("reading the upload: {error}"))),
    };
    if upload.completed_at.is_none() {
        return Err(KindError::Permanent(format!(
            "upload `{}` never arrived whole",
            upload.id
        )));
    }
    if upload.kind != input.kind {
        discard(&services, &upload.id).await;
        return Err(KindError::Permanent(format!(
            "upload `{}` holds a {} file, not {}",
            upload.id, upload.kind, input.kind
        )));
    }
    let chunks = Chunks::new(
        services.db.clone(),
        &upload.id,
        upload.chunk_count,
        Handle::current(),
    );
    match import(&services, &input, &chunks).await {
        Ok(report) => {
            discard(&services, &upload.id).await;
            serde_json::to_value(report)
                .map_err(|err| KindError::Failed(format!("encoding output: {err}")))
        }
        Err(error) => match chunks.store_failure() {
            Some(reason) => Err(KindError::Failed(reason)),
            None if matches!(error, DataError::Import(_)) => {
                discard(&services, &upload.id).await;
                Err(KindError::Permanent(format!(
                    "{}: {error}",
                    upload.file_name
                )))
            }
            None => Err(KindError::Failed(format!("importing: {error}"))),
        },
    }
}

async fn import(
    services: &Services,
    input: &Input,
    chunks: &Chunks,
) -> Result<ImportReport, DataError> {
    let options = ImportOptions {
        skip_bad: input.skip_bad,
        ..ImportOptions::default()
    };
    let (db, search) = (&services.db, Some(&services.search));
    let progress = progress(services);
    match input.kind {
        ImportKind::Keywords => {
            let language = input.language.unwrap_or(Language::En);
            let niche = input.niche.clone();
            import_keywords(
                db,
                search,
                chunks.opener(),
                language,
                niche,
                options,
                progress,
            )
            .await
        }
        ImportKind::AwinFeed => {
            import_awin_feed(db, search, chunks.opener(), options, progress).await
        }
    }
}

/// Deletes the upload's chunks: no attempt will read them again. A failure is only logged: the
/// chunks of uploads whose task has ended are swept when the next upload arrives.
async fn discard(services: &Services, upload_id: &str) {
    if let Err(error) = ImportChunk::delete_all(&services.db, upload_id).await {
        tracing::warn!(%error, upload_id, "cannot delete an import's chunks; they will be swept");
    }
}

/// Progress as `task_progress` events: the first report, then at most one per
/// [`PROGRESS_EVERY`], and always the start and the end of the writing pass.
fn progress(services: &Services) -> Progress {
    let services = services.clone();
    let last: Mutex<Option<Instant>> = Mutex::new(None);
    Arc::new(move |progress: ImportProgress| {
        let edge = matches!(progress, ImportProgress::Writing { rows, total } if rows == 0 || rows == total);
        let now = Instant::now();
        {
            let mut last = last.lock().unwrap_or_else(PoisonError::into_inner);
            let due = last.is_none_or(|at| now.duration_since(at) >= PROGRESS_EVERY);
            if !(edge || due) {
                return;
            }
            *last = Some(now);
        }
        if let Ok(progress) = serde_json::to_value(progress) {
            services.progress(KIND, progress);
        }
    })
}
