//! A tally of an import pass: how many rows, and the first bad ones with their line numbers.

use serde::{Deserialize, Serialize};

use super::error::{ImportError, RowError};

/// How many data rows an import read and which were bad. Only the first [`Summary::KEPT_BAD`]
/// row errors are kept, so a file of a million bad rows still fits in a report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Data rows read, good and bad (blank lines are not rows).
    pub rows: u64,
    /// Rows that failed validation, in total.
    pub bad_total: u64,
    /// The first bad rows, in file order.
    pub bad: Vec<RowError>,
}

impl Summary {
    pub const KEPT_BAD: usize = 100;

    pub fn add_good(&mut self) {
        self.rows += 1;
    }

    pub fn add_bad(&mut self, error: RowError) {
        self.rows += 1;
        self.bad_total += 1;
        if self.bad.len() < Self::KEPT_BAD {
            self.bad.push(error);
        }
    }

    /// Counts one item of a reader, handing a good row back to the caller.
    pub fn add<T>(&mut self, outcome: Result<T, RowError>) -> Option<T> {
        match outcome {
            Ok(row) => {
                self.add_good();
                Some(row)
            }
            Err(error) => {
                self.add_bad(error);
                None
            }
        }
    }

    pub fn good(&self) -> u64 {
        self.rows - self.bad_total
    }

    pub fn is_clean(&self) -> bool {
        self.bad_total == 0
    }

    /// Reads a whole import without keeping its rows: the validation pass before anything is
    /// written. Stops at the first fatal error.
    pub fn scan<T, I>(items: I) -> Result<Summary, ImportError>
    where
        I: IntoIterator<Item = Result<Result<T, RowError>, ImportError>>,
    {
        let mut summary = Summary::default();
        for item in items {
            summary.add(item?);
        }
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(line: u64) -> RowError {
        RowError::new(line, Some("Volume".to_owned()), "negative: `-1`")
    }

    #[test]
    fn counts_good_and_bad_and_keeps_only_the_first_bad_rows() {
        let mut summary = Summary::default();
        assert_eq!(summary.add(Ok::<_, RowError>("row")), Some("row"));
        for line in 2..=251 {
            assert_eq!(summary.add(Err::<&str, _>(bad(line))), None);
        }
        assert_eq!(summary.rows, 251);
        assert_eq!(summary.good(), 1);
        assert_eq!(summary.bad_total, 250);
        assert_eq!(summary.bad.len(), Summary::KEPT_BAD);
        assert_eq!(summary.bad[0].line, 2);
        assert_eq!(summary.bad[99].line, 101);
        assert!(!summary.is_clean());
    }

    #[test]
    fn scan_stops_at_a_fatal_error() {
        let items: Vec<Result<Result<u8, RowError>, ImportError>> = vec![
            Ok(Ok(1)),
            Ok(Err(bad(3))),
            Err(ImportError::Empty),
            Ok(Ok(2)),
        ];
        assert!(matches!(Summary::scan(items), Err(ImportError::Empty)));
        let clean: Vec<Result<Result<u8, RowError>, ImportError>> = vec![Ok(Ok(1)), Ok(Ok(2))];
        let summary = Summary::scan(clean).unwrap();
        assert_eq!((summary.rows, summary.good()), (2, 2));
        assert!(summary.is_clean());
    }
}
