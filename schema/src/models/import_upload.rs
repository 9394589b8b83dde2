//! `import_uploads`: files sent to `POST /api/v1/imports`, kept in the database so that whichever
//! node runs the import task can read them (their bytes are in `import_upload_chunks`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::{import_upload_chunks, import_uploads, tasks};
use crate::stamp::{MaybeStamp, Stamp};
use crate::types::{ImportKind, TaskStatus};
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = import_uploads, treat_none_as_default_value = false)]
pub struct ImportUpload {
    pub id: String,
    pub kind: ImportKind,
    /// As the client named it (for people; never a path on any disk).
    pub file_name: String,
    pub byte_size: i64,
    pub chunk_count: i64,
    /// Hex SHA-256 of the whole file, once it has arrived.
    pub sha256: Option<String>,
    /// The import task that reads it, once submitted.
    pub task_id: Option<String>,
    pub created_by: Option<String>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    /// When the last byte arrived; `None` while the upload is still arriving.
    #[diesel(deserialize_as = MaybeStamp)]
    pub completed_at: Option<NaiveDateTime>,
}

/// What is known of an upload once its last byte is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrived {
    pub byte_size: i64,
    pub chunk_count: i64,
    pub sha256: String,
}

/// The statuses after which an import task will not read its upload again.
const ENDED: [TaskStatus; 4] = [
    TaskStatus::Succeeded,
    TaskStatus::Dead,
    TaskStatus::Failed,
    TaskStatus::Cancelled,
];

impl ImportUpload {
    /// A new, empty upload with a fresh id, stamped now.
    pub fn new(kind: ImportKind, file_name: &str, created_by: Option<String>) -> Self {
        ImportUpload {
            id: new_id(),
            kind,
            file_name: file_name.to_owned(),
            byte_size: 0,
            chunk_count: 0,
            sha256: None,
            task_id: None,
            created_by,
            created_at: now(),
            completed_at: None,
        }
    }

    pub async fn create(db: &Db, upload: &ImportUpload) -> StoreResult<()> {
        with_conn!(db, |conn| {
            diesel::insert_into(import_uploads::table)
                .values(upload)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    /// Marks the upload complete: every chunk is stored.
    pub async fn complete(db: &Db, id: &str, arrived: &Arrived) -> StoreResult<()> {
        with_conn!(db, |conn| {
            diesel::update(import_uploads::table.find(id))
                .set((
                    import_uploads::byte_size.eq(arrived.byte_size),
                    import_uploads::chunk_count.eq(arrived.chunk_count),
                    import_uploads::sha256.eq(&arrived.sha256),
                    import_uploads::completed_at.eq(now()),
                ))
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    /// Records the task that imports the upload.
    pub async fn attach_task(db: &Db, id: &str, task_id: &str) -> StoreResult<()> {
        with_conn!(db, |conn| {
            diesel::update(import_uploads::table.find(id))
                .set(import_uploads::task_id.eq(task_id))
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    pub async fn get(db: &Db, id: &str) -> StoreResult<ImportUpload> {
        with_conn!(db, |conn| Ok(import_uploads::table
            .find(id)
            .select(ImportUpload::as_select())
            .first(conn)
            .await?))
    }

    /// Deletes the upload and its chunks (a request that failed halfway).
    pub async fn delete(db: &Db, id: &str) -> StoreResult<()> {
        with_conn!(db, |conn| {
            diesel::delete(import_uploads::table.find(id))
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    /// How many uploads are recorded, complete or not.
    pub async fn count(db: &Db) -> StoreResult<i64> {
        with_conn!(db, |conn| Ok(import_uploads::table
            .count()
            .get_result(conn)
            .await?))
    }

    /// Removes what imports left behind, returning the rows deleted: uploads begun before
    /// `arriving_before` that never arrived whole (their request died), and the chunks of uploads
    /// whose task ended without deleting them (dead after its last attempt, cancelled, or the
    /// deletion failed).
    pub async fn sweep(db: &Db, arriving_before: NaiveDateTime) -> StoreResult<u64> {
        with_conn!(db, |conn| {
            let abandoned = diesel::delete(
                import_uploads::table
                    .filter(import_uploads::completed_at.is_null())
                    .filter(import_uploads::created_at.lt(arriving_before)),
            )
            .execute(conn)
            .await?;
            let ended_tasks = tasks::table
                .filter(tasks::status.eq_any(ENDED))
                .select(tasks::id.nullable());
            let ended_uploads = import_uploads::table
                .filter(import_uploads::task_id.eq_any(ended_tasks))
                .select(import_uploads::id);
            let orphaned = diesel::delete(
                import_upload_chunks::table
                    .filter(import_upload_chunks::upload_id.eq_any(ended_uploads)),
            )
            .execute(conn)
            .await?;
            Ok((abandoned + orphaned) as u64)
        })
    }
}
