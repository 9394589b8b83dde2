//! The streaming CSV reader both importers share: decodes the input, finds the header row and its
//! delimiter, then turns one record at a time into a typed row or a row error.

use std::io::{Cursor, Read};

use csv::{ByteRecord, StringRecord};

use super::error::{ImportError, RowError};
use super::input::{self, Stream};

/// How far into the file the header is looked for: Keyword Planner puts two title lines first.
const SNIFF_BYTES: usize = 64 * 1024;
const MAX_HEADER_RECORD: usize = 10;
const DELIMITERS: [u8; 3] = [b'\t', b';', b','];

/// What one kind of import file looks like: which header it accepts and how a record becomes a row.
pub(crate) trait Schema: Sized {
    type Row;
    type Options;
    /// The columns the header must have, in words, for the header error.
    const EXPECTED: &'static str;

    /// The column layout, if `names` (trimmed, as written) is a header of this kind of file.
    fn from_header(names: &[String], options: &Self::Options) -> Option<Self>;

    fn parse(&self, row: &Row<'_>) -> Result<Self::Row, RowError>;
}

/// One data record, with what is needed to blame a cell.
pub(crate) struct Row<'a> {
    record: &'a StringRecord,
    names: &'a [String],
    pub line: u64,
}

impl Row<'_> {
    /// The trimmed cell of `column`; empty when the record is short.
    pub(crate) fn text(&self, column: usize) -> &str {
        self.record.get(column).unwrap_or_default().trim()
    }

    /// The trimmed cell of an optional column; `None` when the column is absent or the cell empty.
    pub(crate) fn optional(&self, column: Option<usize>) -> Option<&str> {
        column
            .map(|column| self.text(column))
            .filter(|text| !text.is_empty())
    }

    pub(crate) fn error(&self, column: usize, message: impl ToString) -> RowError {
        RowError::new(
            self.line,
            self.names.get(column).cloned(),
            message.to_string(),
        )
    }
}

/// Typed rows of an import, read one record at a time. Each item is either a fatal error, after
/// which nothing more is read, or the outcome of one data row.
pub(crate) struct Records<S> {
    reader: csv::Reader<Stream>,
    schema: S,
    names: Vec<String>,
    record: ByteRecord,
    finished: bool,
}

impl<S: Schema> Records<S> {
    pub(crate) fn open<R: Read + Send + 'static>(
        input: R,
        options: &S::Options,
    ) -> Result<Self, ImportError> {
        let mut stream = input::decode(input)?;
        let prefix = input::peek(&mut stream, SNIFF_BYTES)?;
        let sniffable = if prefix.len() < SNIFF_BYTES {
            &prefix[..]
        } else {
            // The last line may be cut short; a header found there could be missing columns.
            prefix
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(&prefix[..0], |at| &prefix[..=at])
        };
        if prefix.iter().all(u8::is_ascii_whitespace) {
            return Err(ImportError::Empty);
        }
        let (delimiter, header_index) =
            find_header::<S>(sniffable, options).ok_or_else(|| ImportError::Header {
                expected: S::EXPECTED,
                first_line: first_line(&prefix),
            })?;
        let stream: Stream = Box::new(Cursor::new(prefix).chain(stream));
        let mut reader = csv_reader(delimiter, stream);
        let mut record = ByteRecord::new();
        for _ in 0..=header_index {
            reader.read_byte_record(&mut record)?;
        }
        let names = names(&record);
        let schema = S::from_header(&names, options).ok_or_else(|| ImportError::Header {
            expected: S::EXPECTED,
            first_line: names.join(","),
        })?;
        Ok(Self {
            reader,
            schema,
            names,
            record,
            finished: false,
        })
    }

    pub(crate) fn schema(&self) -> &S {
        &self.schema
    }
}

impl<S: Schema> Iterator for Records<S> {
    type Item = Result<Result<S::Row, RowError>, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.finished {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => self.finished = true,
                Err(error) => {
                    self.finished = true;
                    return Some(Err(error.into()));
                }
            }
            if self.finished || self.record.iter().all(|cell| cell.trim_ascii().is_empty()) {
                continue;
            }
            let line = self.record.position().map_or(0, csv::Position::line);
            let outcome = match StringRecord::from_byte_record(std::mem::take(&mut self.record)) {
                Ok(record) => {
                    let row = Row {
                        record: &record,
                        names: &self.names,
                        line,
                    };
                    let outcome = self.schema.parse(&row);
                    self.record = record.into_byte_record();
                    outcome
                }
                Err(error) => {
                    let column = error.utf8_error().field();
                    self.record = error.into_byte_record();
                    Err(RowError::new(
                        line,
                        self.names.get(column).cloned(),
                        "not valid UTF-8",
                    ))
                }
            };
            return Some(Ok(outcome));
        }
        None
    }
}

fn csv_reader<R: Read>(delimiter: u8, input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(input)
}

/// The delimiter and the index of the header among the first records, trying tab, then
/// semicolon, then comma, since a comma often appears inside the cells of the other two.
fn find_header<S: Schema>(text: &[u8], options: &S::Options) -> Option<(u8, usize)> {
    DELIMITERS.into_iter().find_map(|delimiter| {
        let mut reader = csv_reader(delimiter, text);
        reader
            .byte_records()
            .take(MAX_HEADER_RECORD)
            .map_while(Result::ok)
            .position(|record| S::from_header(&names(&record), options).is_some())
            .map(|index| (delimiter, index))
    })
}

fn names(record: &ByteRecord) -> Vec<String> {
    record
        .iter()
        .map(|name| String::from_utf8_lossy(name).trim().to_owned())
        .collect()
}

fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect()
}
