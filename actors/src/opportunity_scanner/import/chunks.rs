//! An upload's chunks read back as a blocking `Read`, one chunk in memory at a time: the import's
//! passes run on blocking threads, which wait here for each chunk from the store.

use std::io::{self, Read};
use std::sync::{Arc, Mutex, PoisonError};

use empire_schema::Db;
use empire_schema::models::ImportChunk;
use tokio::runtime::Handle;

use crate::intelligence::data::import::Opener;

/// Where an upload's bytes are, and whether reading them failed for a reason another attempt
/// could get past (the store, not the file).
#[derive(Clone)]
pub struct Chunks {
    db: Db,
    upload_id: String,
    count: i64,
    runtime: Handle,
    store_failure: Arc<Mutex<Option<String>>>,
}

impl Chunks {
    /// The `count` chunks of upload `upload_id`, fetched on `runtime`.
    pub fn new(db: Db, upload_id: &str, count: i64, runtime: Handle) -> Chunks {
        Chunks {
            db,
            upload_id: upload_id.to_owned(),
            count,
            runtime,
            store_failure: Arc::default(),
        }
    }

    /// Opens the upload from its first byte, each time it is called (once per pass). The readers
    /// must be read on blocking threads, never on the async runtime's workers.
    pub fn opener(&self) -> Opener {
        let chunks = self.clone();
        Arc::new(move || {
            Ok(Box::new(ChunkReader {
                chunks: chunks.clone(),
                next: 0,
                chunk: Vec::new(),
                at: 0,
            }) as Box<dyn Read + Send>)
        })
    }

    /// Why the store could not hand over a chunk, if that happened.
    pub fn store_failure(&self) -> Option<String> {
        self.store_failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn fetch(&self, seq: i64) -> io::Result<Vec<u8>> {
        let fetched = self
            .runtime
            .block_on(ImportChunk::get(&self.db, &self.upload_id, seq));
        match fetched {
            Ok(Some(bytes)) => Ok(bytes),
            Ok(None) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "chunk {seq} of {} of the upload is missing (deleted by an earlier attempt?)",
                    self.count
                ),
            )),
            Err(error) => {
                let reason = format!("reading chunk {seq} of the upload: {error}");
                *self
                    .store_failure
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(reason.clone());
                Err(io::Error::other(reason))
            }
        }
    }
}

struct ChunkReader {
    chunks: Chunks,
    /// The next chunk to fetch.
    next: i64,
    chunk: Vec<u8>,
    /// How much of `chunk` has been read.
    at: usize,
}

impl Read for ChunkReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        while self.at == self.chunk.len() {
            if self.next >= self.chunks.count {
                return Ok(0);
            }
            self.chunk = self.chunks.fetch(self.next)?;
            self.next += 1;
            self.at = 0;
        }
        let n = out.len().min(self.chunk.len() - self.at);
        out[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
