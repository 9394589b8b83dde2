//! What can go wrong reading an import: one fatal error for the file, or one error per bad row.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The file cannot be imported at all: unreadable, not decodable, or without a recognised header.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the input: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot read the input: {0}")]
    Csv(#[from] csv::Error),
    #[error("the input is empty")]
    Empty,
    #[error("no recognised header: expected {expected}; the file starts with `{first_line}`")]
    Header {
        /// The columns the importer needs, in words.
        expected: &'static str,
        /// The first non-empty line of the file (at most 200 characters).
        first_line: String,
    },
}

/// One data row that cannot be imported. The other rows are still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct RowError {
    /// The line the row starts on, from 1, counting every line of the (decompressed) file.
    pub line: u64,
    /// The column, as the file's header names it; `None` when the row as a whole is bad.
    pub field: Option<String>,
    pub message: String,
}

impl RowError {
    pub fn new(line: u64, field: Option<String>, message: impl Into<String>) -> Self {
        Self {
            line,
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "line {}, {field}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_errors_name_their_line_and_field() {
        let named = RowError::new(7, Some("Volume".to_owned()), "not a number: `abc`");
        assert_eq!(named.to_string(), "line 7, Volume: not a number: `abc`");
        let whole = RowError::new(3, None, "not valid UTF-8");
        assert_eq!(whole.to_string(), "line 3: not valid UTF-8");
    }
}
