//! Importing keyword exports and AWIN feeds into the store in two passes over the file: the
//! first validates every row (nothing is written if one is bad, unless bad rows are to be
//! skipped), the second writes the good rows in batches. Both stream, so memory stays constant.

mod convert;
mod pass;

use std::io::Read;
use std::sync::Arc;

use empire_schema::Db;
use empire_schema::models::{Keyword, Product};
use serde::Serialize;

pub use convert::{new_keyword, new_product};

use super::docs::{keyword_doc, product_doc};
use super::error::DataError;
use super::search_service::SearchService;
use crate::intelligence::imports::{
    AwinFeedReader, ImportError, KeywordOptions, KeywordReader, Summary,
};
use crate::intelligence::nlp::Language;
use pass::{Batches, validate, write_batches};

/// Opens the file again for each pass.
pub type Opener = Arc<dyn Fn() -> std::io::Result<Box<dyn Read + Send>> + Send + Sync>;

/// Reports how far an import is: called every few thousand rows and at the end of each pass.
pub type Progress = Arc<dyn Fn(ImportProgress) + Send + Sync>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum ImportProgress {
    /// Rows read by the validation pass so far.
    Validating { rows: u64 },
    /// Good rows written so far, of `total`.
    Writing { rows: u64, total: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOptions {
    /// Write the good rows of a file that has bad ones.
    pub skip_bad: bool,
    /// Rows per write transaction.
    pub batch: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            skip_bad: false,
            batch: 500,
        }
    }
}

/// What an import did. `written` is 0 and `refused` true when bad rows stopped it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub summary: Summary,
    pub written: u64,
    pub refused: bool,
}

/// Imports a keyword export in `language`, tagging every keyword with `niche` when given.
pub async fn import_keywords(
    db: &Db,
    search: Option<&SearchService>,
    open: Opener,
    language: Language,
    niche: Option<String>,
    options: ImportOptions,
    progress: Progress,
) -> Result<ImportReport, DataError> {
    let reader = {
        let open = open.clone();
        move || {
            Ok::<_, DataError>(KeywordReader::new(
                open().map_err(ImportError::Io)?,
                KeywordOptions::default(),
            )?)
        }
    };
    let summary = validate(reader.clone(), progress.clone()).await?;
    if !summary.is_clean() && !options.skip_bad {
        return Ok(refused(summary));
    }
    let batches = Batches::spawn(reader, options.batch, move |row| {
        new_keyword(&row, language, niche.as_deref())
    });
    let written = write_batches(batches, summary.good(), &progress, |batch| async move {
        Keyword::upsert_batch(db, &batch, keyword_doc).await?;
        wake(search);
        Ok(batch.len())
    })
    .await?;
    Ok(ImportReport {
        summary,
        written,
        refused: false,
    })
}

/// Imports an AWIN product feed.
pub async fn import_awin_feed(
    db: &Db,
    search: Option<&SearchService>,
    open: Opener,
    options: ImportOptions,
    progress: Progress,
) -> Result<ImportReport, DataError> {
    let reader = move || Ok::<_, DataError>(AwinFeedReader::new(open().map_err(ImportError::Io)?)?);
    let summary = validate(reader.clone(), progress.clone()).await?;
    if !summary.is_clean() && !options.skip_bad {
        return Ok(refused(summary));
    }
    let batches = Batches::spawn(reader, options.batch, |row| new_product(&row));
    let written = write_batches(batches, summary.good(), &progress, |batch| async move {
        Product::upsert_batch(db, &batch, product_doc).await?;
        wake(search);
        Ok(batch.len())
    })
    .await?;
    Ok(ImportReport {
        summary,
        written,
        refused: false,
    })
}

fn refused(summary: Summary) -> ImportReport {
    ImportReport {
        summary,
        written: 0,
        refused: true,
    }
}

fn wake(search: Option<&SearchService>) {
    if let Some(search) = search {
        search.wake();
    }
}
