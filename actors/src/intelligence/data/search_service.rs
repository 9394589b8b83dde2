//! `SearchService`: this node's search index behind a lock, fed from the `search_outbox` by a
//! task that catches up from the index's high-water mark on start and then polls or is woken.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use empire_schema::Db;
use empire_schema::models::OutboxEntry;
use empire_schema::types::OutboxOp;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::error::DataError;
use super::feed::applicable;
use crate::intelligence::search::{Hit, SearchDoc, SearchError, SearchIndex, SearchQuery};

/// Outbox rows applied per commit: each commit fsyncs, so they are batched.
const FEED_BATCH: i64 = 1_000;

/// A handle on the node's index; cheap to clone. Searches share the lock; the feeder and a
/// rebuild take it alone.
#[derive(Clone)]
pub struct SearchService {
    inner: Arc<Inner>,
}

struct Inner {
    index: RwLock<SearchIndex>,
    wake: Notify,
    stopped: AtomicBool,
    /// Held while outbox rows are applied or the index is rebuilt, so a commit of one never
    /// publishes the other's half-staged changes.
    feeding: tokio::sync::Mutex<()>,
}

impl SearchService {
    /// Opens (or creates) the index in `dir`, or one in memory for `None`.
    pub fn open(dir: Option<&Path>) -> Result<SearchService, SearchError> {
        let index = match dir {
            Some(dir) => SearchIndex::open_or_create(dir)?,
            None => SearchIndex::in_ram()?,
        };
        Ok(SearchService {
            inner: Arc::new(Inner {
                index: RwLock::new(index),
                wake: Notify::new(),
                stopped: AtomicBool::new(false),
                feeding: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// The best committed documents for `query`.
    pub async fn search(&self, query: SearchQuery) -> Result<Vec<Hit>, DataError> {
        let inner = self.inner.clone();
        let hits = tokio::task::spawn_blocking(move || {
            inner
                .index
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .search(&query)
        })
        .await??;
        Ok(hits)
    }

    /// The outbox id the index has applied through.
    pub fn last_applied(&self) -> Option<i64> {
        self.read(SearchIndex::last_applied)
    }

    pub fn num_docs(&self) -> u64 {
        self.read(SearchIndex::num_docs)
    }

    /// Tells the feeder new outbox rows are there (it also polls).
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    /// Ends the feeder after its current batch.
    pub fn stop(&self) {
        self.inner.stopped.store(true, Ordering::Release);
        self.inner.wake.notify_one();
    }

    /// Applies outbox rows until none is ready; returns how many were applied.
    pub async fn catch_up(&self, db: &Db) -> Result<usize, DataError> {
        let _feeding = self.inner.feeding.lock().await;
        let mut applied = 0;
        loop {
            let after = self.last_applied();
            let batch = OutboxEntry::after(db, after, FEED_BATCH).await?;
            let fetched = batch.len();
            let ready = applicable(after, batch, empire_schema::clock::now());
            let count = ready.len();
            if count > 0 {
                self.write(move |index| apply(index, ready)).await??;
                applied += count;
            }
            // A short batch was the end of the outbox; a cut one stopped at a fresh gap.
            if fetched < FEED_BATCH as usize || count < fetched {
                return Ok(applied);
            }
        }
    }

    /// Runs the feeder: catches up now, then whenever woken or every `poll`.
    pub fn spawn_feeder(&self, db: Db, poll: Duration) -> JoinHandle<()> {
        let service = self.clone();
        tokio::spawn(async move {
            while !service.inner.stopped.load(Ordering::Acquire) {
                if let Err(error) = service.catch_up(&db).await {
                    tracing::warn!(error = %error, "search feed failed; retrying");
                }
                let _ = tokio::time::timeout(poll, service.inner.wake.notified()).await;
            }
        })
    }

    /// Runs `job` with the index's writer on a blocking thread.
    pub(crate) async fn write<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut SearchIndex) -> T + Send + 'static,
    ) -> Result<T, DataError> {
        let inner = self.inner.clone();
        Ok(tokio::task::spawn_blocking(move || {
            job(&mut inner.index.write().unwrap_or_else(PoisonError::into_inner))
        })
        .await?)
    }

    /// Excludes the feeder while held (a rebuild holds it from its clear to its commit).
    pub(crate) async fn exclusive(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.inner.feeding.lock().await
    }

    fn read<T>(&self, job: impl FnOnce(&SearchIndex) -> T) -> T {
        job(&self
            .inner
            .index
            .read()
            .unwrap_or_else(PoisonError::into_inner))
    }
}

/// Stages every entry and commits through the last one. A payload that is not a document is
/// logged and skipped, so one damaged row cannot stop the feed.
fn apply(index: &mut SearchIndex, entries: Vec<OutboxEntry>) -> Result<(), SearchError> {
    let Some(last) = entries.last().map(|entry| entry.id) else {
        return Ok(());
    };
    for entry in entries {
        match entry.op {
            OutboxOp::Delete => index.delete(&entry.doc_id),
            OutboxOp::Upsert => match serde_json::from_value::<SearchDoc>(entry.payload.0) {
                Ok(doc) => index.upsert([doc])?,
                Err(error) => {
                    tracing::warn!(outbox_id = entry.id, error = %error, "skipping an unreadable search document");
                }
            },
        }
    }
    index.commit_through(last)
}
