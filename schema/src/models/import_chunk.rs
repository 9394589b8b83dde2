//! `import_upload_chunks`: the bytes of an upload in chunks numbered from 0, written as they
//! arrive and read back one at a time, so neither side holds the whole file.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use crate::db::Db;
use crate::error::StoreResult;
use crate::schema::import_upload_chunks;
use crate::{load_rows, with_conn};

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = import_upload_chunks)]
struct NewChunk<'a> {
    upload_id: &'a str,
    seq: i64,
    bytes: &'a [u8],
}

/// The chunks of one upload.
pub struct ImportChunk;

impl ImportChunk {
    pub async fn add(db: &Db, upload_id: &str, seq: i64, bytes: &[u8]) -> StoreResult<()> {
        let chunk = NewChunk {
            upload_id,
            seq,
            bytes,
        };
        with_conn!(db, |conn| {
            diesel::insert_into(import_upload_chunks::table)
                .values(&chunk)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    /// Chunk `seq` of the upload, `None` when there is none.
    pub async fn get(db: &Db, upload_id: &str, seq: i64) -> StoreResult<Option<Vec<u8>>> {
        let upload_id = upload_id.to_owned();
        let mut rows: Vec<Vec<u8>> = load_rows!(
            db,
            import_upload_chunks::table
                .filter(import_upload_chunks::upload_id.eq(upload_id))
                .filter(import_upload_chunks::seq.eq(seq))
                .select(import_upload_chunks::bytes)
        );
        Ok(rows.pop())
    }

    /// How many chunks of the upload are stored.
    pub async fn count(db: &Db, upload_id: &str) -> StoreResult<i64> {
        with_conn!(db, |conn| Ok(import_upload_chunks::table
            .filter(import_upload_chunks::upload_id.eq(upload_id))
            .count()
            .get_result(conn)
            .await?))
    }

    /// How many chunks are stored, of every upload.
    pub async fn count_all(db: &Db) -> StoreResult<i64> {
        with_conn!(db, |conn| Ok(import_upload_chunks::table
            .count()
            .get_result(conn)
            .await?))
    }

    /// Deletes the upload's chunks (its import has ended); returns how many there were.
    pub async fn delete_all(db: &Db, upload_id: &str) -> StoreResult<u64> {
        with_conn!(db, |conn| {
            let deleted = diesel::delete(
                import_upload_chunks::table.filter(import_upload_chunks::upload_id.eq(upload_id)),
            )
            .execute(conn)
            .await?;
            Ok(deleted as u64)
        })
    }
}
