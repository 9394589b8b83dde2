//! `POST /api/v1/imports` (keywords) and `empire import keywords`: a keyword-tool export (CSV or
//! TSV, UTF-8 or UTF-16, plain or gzip) read row by row.
//!
//! Properties: nothing panics and a fatal error ends the rows; a row read has a keyword that is
//! trimmed with single spaces, a difficulty of at most 100 and a trend in strictly increasing
//! months.
#![no_main]

use std::io::Cursor;

use empire_actors::intelligence::imports::{KeywordOptions, KeywordReader, YearMonth};
use libfuzzer_sys::fuzz_target;

/// More rows than any input of the fuzzer's size holds; bounds a run all the same.
const MAX_ROWS: usize = 100_000;

fn read(data: &[u8], options: KeywordOptions) {
    let Ok(reader) = KeywordReader::new(Cursor::new(data.to_vec()), options) else {
        return;
    };
    let _ = reader.format();
    let mut reader = reader.take(MAX_ROWS);
    while let Some(item) = reader.next() {
        let row = match item {
            Err(_) => {
                assert!(reader.next().is_none(), "rows after a fatal error");
                return;
            }
            Ok(Err(_)) => continue,
            Ok(Ok(row)) => row,
        };
        assert!(!row.keyword.is_empty());
        assert_eq!(
            row.keyword,
            row.keyword.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        assert!(row.difficulty.is_none_or(|d| d <= 100), "{row:?}");
        assert!(row.trend.windows(2).all(|w| w[0].0 < w[1].0), "{row:?}");
        let _ = row.normalised_keyword();
    }
}

fuzz_target!(|data: &[u8]| {
    read(data, KeywordOptions::default());
    read(
        data,
        KeywordOptions {
            trend_end: YearMonth::new(2026, 5),
        },
    );
});
