//! Parsers for imported data files: keyword-tool exports (Semrush, Ahrefs, Keyword Planner, plain)
//! and AWIN product feeds. Each reads any `Read` (CSV or TSV, UTF-8 or UTF-16, plain or gzip) one
//! row at a time in constant memory, and yields a typed row or a row error with its line number.
//! Writing rows to the store is the caller's business; [`ImportKey`] makes those writes upserts.

pub mod awin;
pub mod error;
mod input;
pub mod key;
pub mod keywords;
pub mod money;
pub mod month;
pub mod numbers;
mod records;
pub mod summary;
mod utf16;

pub use awin::{AwinFeedReader, FeedProduct};
pub use error::{ImportError, RowError};
pub use key::ImportKey;
pub use keywords::{KeywordFormat, KeywordOptions, KeywordReader, KeywordRow};
pub use money::{Amount, CurrencyCode, MoneyError, UnknownCurrency, parse_amount};
pub use month::{BadMonth, YearMonth};
pub use summary::Summary;

#[cfg(test)]
mod tests;
