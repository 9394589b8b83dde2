//! Keyword-tool exports (Semrush, Ahrefs, Google Keyword Planner, plain CSV) read as typed rows.

mod columns;

use std::io::Read;

use serde::{Deserialize, Serialize};

use columns::KeywordColumns;
pub use columns::KeywordFormat;

use super::error::{ImportError, RowError};
use super::key::ImportKey;
use super::money::{CurrencyCode, parse_amount};
use super::month::YearMonth;
use super::numbers::{is_missing, parse_count, parse_difficulty};
use super::records::{Records, Row, Schema};
use crate::intelligence::nlp::Language;

/// One keyword of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeywordRow {
    /// As written, trimmed, inner whitespace collapsed.
    pub keyword: String,
    /// Average monthly searches.
    pub volume: u64,
    /// Cost per click in cents (Keyword Planner: the high top-of-page bid).
    pub cpc_cents: Option<u64>,
    /// The CPC's currency when the file says it (a symbol, "CPC (USD)", a Currency column).
    pub cpc_currency: Option<CurrencyCode>,
    pub difficulty: Option<u8>,
    /// Monthly searches, oldest month first.
    pub trend: Vec<(YearMonth, u64)>,
}

impl KeywordRow {
    /// The keyword as compared: lowercase, single spaces.
    pub fn normalised_keyword(&self) -> String {
        self.keyword.to_lowercase()
    }

    /// The key a keyword is upserted by: its language and normalised text.
    pub fn key(&self, language: Language) -> ImportKey {
        ImportKey::new(format!("keyword:{language}:{}", self.normalised_keyword()))
    }
}

/// Settings a keyword export does not carry itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeywordOptions {
    /// The month of the last value of Semrush's relative "Trend" column (usually the month
    /// before the export). Without it the trend is checked but not turned into monthly volumes.
    pub trend_end: Option<YearMonth>,
}

/// Reads a keyword export one row at a time, in constant memory.
pub struct KeywordReader {
    records: Records<KeywordSchema>,
}

impl KeywordReader {
    /// Opens an export (CSV or TSV, UTF-8 or UTF-16, plain or gzip) and reads its header.
    pub fn new<R: Read + Send + 'static>(
        input: R,
        options: KeywordOptions,
    ) -> Result<Self, ImportError> {
        Ok(Self {
            records: Records::open(input, &options)?,
        })
    }

    pub fn format(&self) -> KeywordFormat {
        self.records.schema().columns.format
    }
}

impl Iterator for KeywordReader {
    /// A fatal error (the input broke off) ends the iteration; a bad row does not.
    type Item = Result<Result<KeywordRow, RowError>, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.records.next()
    }
}

struct KeywordSchema {
    columns: KeywordColumns,
    trend_end: Option<YearMonth>,
}

impl Schema for KeywordSchema {
    type Row = KeywordRow;
    type Options = KeywordOptions;
    const EXPECTED: &'static str = "a keyword column (Keyword) and a volume column (Volume, Search Volume or Avg. monthly searches)";

    fn from_header(names: &[String], options: &KeywordOptions) -> Option<Self> {
        Some(Self {
            columns: KeywordColumns::recognise(names)?,
            trend_end: options.trend_end,
        })
    }

    fn parse(&self, row: &Row<'_>) -> Result<KeywordRow, RowError> {
        let columns = &self.columns;
        let keyword = row
            .text(columns.keyword)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if keyword.is_empty() {
            return Err(row.error(columns.keyword, "empty keyword"));
        }
        let volume =
            parse_count(row.text(columns.volume)).map_err(|e| row.error(columns.volume, e))?;
        let (cpc_cents, cpc_currency) = self.cpc(row)?;
        let difficulty = match columns.difficulty {
            Some(column) => parse_difficulty(row.text(column)).map_err(|e| row.error(column, e))?,
            None => None,
        };
        let mut trend = self.planner_months(row)?;
        trend.extend(self.relative_trend(row, volume)?);
        trend.sort_by_key(|(month, _)| *month);
        trend.dedup_by_key(|(month, _)| *month);
        Ok(KeywordRow {
            keyword,
            volume,
            cpc_cents,
            cpc_currency,
            difficulty,
            trend,
        })
    }
}

impl KeywordSchema {
    fn cpc(&self, row: &Row<'_>) -> Result<(Option<u64>, Option<CurrencyCode>), RowError> {
        let columns = &self.columns;
        let currency_cell = columns
            .currency
            .and_then(|column| Some((column, row.optional(Some(column))?)));
        let stated = match currency_cell {
            Some((column, code)) => Some(
                code.parse::<CurrencyCode>()
                    .map_err(|e| row.error(column, e))?,
            ),
            None => columns.cpc_currency,
        };
        let Some(column) = columns.cpc.filter(|&column| !is_missing(row.text(column))) else {
            return Ok((None, stated));
        };
        let amount = parse_amount(row.text(column)).map_err(|e| row.error(column, e))?;
        match (amount.currency, stated) {
            (Some(written), Some(stated)) if written != stated => Err(row.error(
                column,
                format!("amount is in {written} but the file says {stated}"),
            )),
            (written, stated) => Ok((Some(amount.cents), written.or(stated))),
        }
    }

    fn planner_months(&self, row: &Row<'_>) -> Result<Vec<(YearMonth, u64)>, RowError> {
        let mut trend = Vec::with_capacity(self.columns.months.len());
        for &(column, month) in &self.columns.months {
            let cell = row.text(column);
            if !is_missing(cell) {
                trend.push((month, parse_count(cell).map_err(|e| row.error(column, e))?));
            }
        }
        Ok(trend)
    }

    /// Semrush's trend is each month's interest relative to the peak; scaled so the months
    /// average to the row's volume, which is what Semrush's volume is.
    fn relative_trend(
        &self,
        row: &Row<'_>,
        volume: u64,
    ) -> Result<Vec<(YearMonth, u64)>, RowError> {
        let Some(column) = self
            .columns
            .trend
            .filter(|&column| !is_missing(row.text(column)))
        else {
            return Ok(Vec::new());
        };
        let values = row
            .text(column)
            .split(',')
            .map(|value| parse_share(value.trim()))
            .collect::<Option<Vec<f64>>>()
            .ok_or_else(|| {
                row.error(
                    column,
                    format!("not a list of numbers: `{}`", row.text(column)),
                )
            })?;
        let Some(end) = self.trend_end else {
            return Ok(Vec::new());
        };
        let sum: f64 = values.iter().sum();
        let mut month = Some(end);
        let mut trend = Vec::with_capacity(values.len());
        for &share in values.iter().rev() {
            let Some(current) = month else { break };
            let estimate = if sum > 0.0 {
                share * values.len() as f64 * volume as f64 / sum
            } else {
                0.0
            };
            trend.push((current, estimate.round() as u64));
            month = current.previous();
        }
        trend.reverse();
        Ok(trend)
    }
}

/// A non-negative decimal such as "0.54" or "1.00".
fn parse_share(text: &str) -> Option<f64> {
    let well_formed = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_digit() || c == '.')
        && text.matches('.').count() <= 1
        && text != ".";
    well_formed.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests;
