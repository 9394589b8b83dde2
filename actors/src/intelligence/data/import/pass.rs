//! The two passes of an import: validation counts every row on a blocking thread; writing reads
//! the file again on a blocking thread and hands batches of good rows over a bounded channel, so
//! at most a few batches are in memory whatever the file's size.

use tokio::sync::mpsc;

use super::{ImportProgress, Progress};
use crate::intelligence::data::error::DataError;
use crate::intelligence::imports::{ImportError, RowError, Summary};

/// Rows between two progress reports.
const REPORT_EVERY: u64 = 10_000;
/// Batches read ahead of the writer.
const READ_AHEAD: usize = 2;

type Item<T> = Result<Result<T, RowError>, ImportError>;

/// Reads the whole file once, keeping only the tally.
pub(super) async fn validate<R, T>(
    open: impl FnOnce() -> Result<R, DataError> + Send + 'static,
    progress: Progress,
) -> Result<Summary, DataError>
where
    R: Iterator<Item = Item<T>>,
{
    tokio::task::spawn_blocking(move || {
        let mut rows = 0u64;
        let counted = open()?.inspect(|_| {
            rows += 1;
            if rows.is_multiple_of(REPORT_EVERY) {
                progress(ImportProgress::Validating { rows });
            }
        });
        let summary = Summary::scan(counted)?;
        progress(ImportProgress::Validating { rows: summary.rows });
        Ok(summary)
    })
    .await?
}

/// Batches of converted good rows, read on a blocking thread.
pub(super) struct Batches<N> {
    rx: mpsc::Receiver<Result<Vec<N>, DataError>>,
}

impl<N: Send + 'static> Batches<N> {
    pub(super) fn spawn<R, T>(
        open: impl FnOnce() -> Result<R, DataError> + Send + 'static,
        batch: usize,
        convert: impl Fn(T) -> N + Send + 'static,
    ) -> Batches<N>
    where
        R: Iterator<Item = Item<T>>,
    {
        let (tx, rx) = mpsc::channel(READ_AHEAD);
        let batch = batch.max(1);
        tokio::task::spawn_blocking(move || {
            let reader = match open() {
                Ok(reader) => reader,
                Err(error) => {
                    let _ = tx.blocking_send(Err(error));
                    return;
                }
            };
            let mut rows = Vec::with_capacity(batch);
            for item in reader {
                match item {
                    Ok(Ok(row)) => rows.push(convert(row)),
                    Ok(Err(_bad)) => continue,
                    Err(fatal) => {
                        let _ = tx.blocking_send(Err(fatal.into()));
                        return;
                    }
                }
                if rows.len() == batch {
                    let full = std::mem::replace(&mut rows, Vec::with_capacity(batch));
                    if tx.blocking_send(Ok(full)).is_err() {
                        return;
                    }
                }
            }
            if !rows.is_empty() {
                let _ = tx.blocking_send(Ok(rows));
            }
        });
        Batches { rx }
    }
}

/// Writes every batch with `write`, reporting progress; stops at the first error. `write` is a
/// closure returning a future rather than an async closure: the latter's future is not known to
/// be `Send` (it borrows for any lifetime), and imports run as tasks on the runtime.
pub(super) async fn write_batches<N, F>(
    mut batches: Batches<N>,
    total: u64,
    progress: &Progress,
    mut write: impl FnMut(Vec<N>) -> F,
) -> Result<u64, DataError>
where
    F: Future<Output = Result<usize, DataError>>,
{
    let mut rows = 0u64;
    progress(ImportProgress::Writing { rows, total });
    while let Some(batch) = batches.rx.recv().await {
        rows += write(batch?).await? as u64;
        progress(ImportProgress::Writing { rows, total });
    }
    Ok(rows)
}
