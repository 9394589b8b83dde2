//! Streams an uploaded file into `import_upload_chunks` as it arrives: at most one chunk in
//! memory, the size capped, the SHA-256 taken on the way. An upload that does not end in a
//! queued task is deleted, even when the client goes away halfway.

use actix_multipart::Field;
use empire_schema::Db;
use empire_schema::hex::hex;
use empire_schema::models::{Arrived, ImportChunk, ImportUpload};
use empire_schema::types::ImportKind;
use futures::StreamExt;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// Bytes per stored chunk.
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// An upload being stored. Dropped before [`PendingUpload::keep`], it deletes itself.
pub struct PendingUpload {
    db: Db,
    pub id: String,
    kept: bool,
}

impl PendingUpload {
    /// Stores `field` as a new upload of `kind`, refusing it past `limit` bytes.
    pub async fn store(
        db: &Db,
        kind: ImportKind,
        field: &mut Field,
        limit: u64,
        created_by: Option<String>,
    ) -> Result<PendingUpload, ApiError> {
        let file_name = field
            .content_disposition()
            .and_then(|disposition| disposition.get_filename())
            .map(|name| name.chars().take(255).collect::<String>())
            .unwrap_or_default();
        let upload = ImportUpload::new(kind, &file_name, created_by);
        ImportUpload::create(db, &upload).await?;
        let pending = PendingUpload {
            db: db.clone(),
            id: upload.id,
            kept: false,
        };
        match pending.fill(field, limit).await {
            Ok(()) => Ok(pending),
            Err(error) => {
                pending.discard().await;
                Err(error)
            }
        }
    }

    async fn fill(&self, field: &mut Field, limit: u64) -> Result<(), ApiError> {
        let mut hash = Sha256::new();
        let mut chunk: Vec<u8> = Vec::with_capacity(CHUNK_BYTES);
        let (mut size, mut chunks) = (0u64, 0i64);
        while let Some(bytes) = field.next().await {
            let mut bytes = &bytes.map_err(|error| bad_body(&error))?[..];
            size += bytes.len() as u64;
            if size > limit {
                return Err(ApiError::PayloadTooLarge(format!(
                    "file: larger than http.import_limit_bytes ({limit} bytes)"
                )));
            }
            hash.update(bytes);
            while !bytes.is_empty() {
                let room = CHUNK_BYTES - chunk.len();
                let (now, later) = bytes.split_at(room.min(bytes.len()));
                chunk.extend_from_slice(now);
                bytes = later;
                if chunk.len() == CHUNK_BYTES {
                    ImportChunk::add(&self.db, &self.id, chunks, &chunk).await?;
                    chunks += 1;
                    chunk.clear();
                }
            }
        }
        if !chunk.is_empty() {
            ImportChunk::add(&self.db, &self.id, chunks, &chunk).await?;
            chunks += 1;
        }
        if size == 0 {
            return Err(ApiError::field("file", "is empty"));
        }
        let arrived = Arrived {
            byte_size: i64::try_from(size).unwrap_or(i64::MAX),
            chunk_count: chunks,
            sha256: hex(&hash.finalize()),
        };
        ImportUpload::complete(&self.db, &self.id, &arrived).await?;
        Ok(())
    }

    /// The upload belongs to its task now.
    pub fn keep(mut self) {
        self.kept = true;
    }

    /// Deletes the upload and its chunks now.
    pub async fn discard(mut self) {
        self.kept = true;
        if let Err(error) = ImportUpload::delete(&self.db, &self.id).await {
            tracing::warn!(%error, upload_id = self.id, "cannot delete a refused upload; it will be swept");
        }
    }
}

impl Drop for PendingUpload {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        // The request went away mid-upload: delete what arrived, off this (cancelled) future.
        let (db, id) = (self.db.clone(), std::mem::take(&mut self.id));
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(error) = ImportUpload::delete(&db, &id).await {
                    tracing::warn!(%error, upload_id = id, "cannot delete an abandoned upload; it will be swept");
                }
            });
        }
    }
}

/// The body broke off or is not well-formed multipart.
pub fn bad_body(error: &actix_multipart::MultipartError) -> ApiError {
    ApiError::BadRequest(format!("malformed multipart body: {error}"))
}
