//! Whole-file behaviour shared by both importers: huge inputs stream through without being held.

use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::Compression;
use flate2::read::GzEncoder;

use super::*;

const ROWS: u64 = 200_000;
const HEADER: &str = "keyword,volume,cpc,difficulty\n";

/// The text of generated row `i`; every 1000th row has a negative volume.
fn line(i: u64) -> String {
    let volume = if i % 1000 == 999 {
        "-1".to_owned()
    } else {
        i.to_string()
    };
    format!("keyword number {i},{volume},0.{:02},{}\n", i % 100, i % 101)
}

/// A keyword file made up on the fly, one line at a time, that counts how many bytes it has
/// handed out so a test can see how far ahead of the rows the reader has read.
struct Generator {
    next_row: u64,
    pending: Vec<u8>,
    position: usize,
    produced: Arc<AtomicU64>,
}

impl Generator {
    fn new(produced: Arc<AtomicU64>) -> Self {
        Self {
            next_row: 0,
            pending: HEADER.as_bytes().to_vec(),
            position: 0,
            produced,
        }
    }
}

impl Read for Generator {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.position == self.pending.len() {
            if self.next_row == ROWS {
                return Ok(0);
            }
            self.pending = line(self.next_row).into_bytes();
            self.position = 0;
            self.next_row += 1;
        }
        let n = buf.len().min(self.pending.len() - self.position);
        buf[..n].copy_from_slice(&self.pending[self.position..self.position + n]);
        self.position += n;
        self.produced.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The reader never runs further ahead of the rows it has yielded than its fixed buffers (the
/// 64 KiB header sniff and the CSV buffer): memory does not grow with the file.
#[test]
fn a_large_file_streams_with_bounded_read_ahead() {
    const MAX_AHEAD: u64 = 128 * 1024;
    let produced = Arc::new(AtomicU64::new(0));
    let reader = KeywordReader::new(
        Generator::new(Arc::clone(&produced)),
        KeywordOptions::default(),
    )
    .unwrap();
    let mut consumed = HEADER.len() as u64;
    let mut summary = Summary::default();
    let mut max_ahead = 0;
    for (i, item) in (0..).zip(reader) {
        consumed += line(i).len() as u64;
        max_ahead = max_ahead.max(produced.load(Ordering::Relaxed).saturating_sub(consumed));
        if let Some(row) = summary.add(item.unwrap()) {
            assert_eq!(row.volume, i);
        }
    }
    assert!(
        max_ahead <= MAX_AHEAD,
        "read {max_ahead} bytes ahead of the rows"
    );
    assert_eq!(summary.rows, ROWS);
    assert_eq!(summary.bad_total, ROWS / 1000);
    assert_eq!(summary.bad.len(), Summary::KEPT_BAD);
    assert_eq!(summary.bad[0].line, 1001);
    assert_eq!(summary.bad[0].field.as_deref(), Some("volume"));
}

#[test]
fn a_large_gzip_file_streams_too() {
    let produced = Arc::new(AtomicU64::new(0));
    let compressed = GzEncoder::new(Generator::new(Arc::clone(&produced)), Compression::fast());
    let summary =
        Summary::scan(KeywordReader::new(compressed, KeywordOptions::default()).unwrap()).unwrap();
    assert_eq!(summary.rows, ROWS);
    assert_eq!(summary.good(), ROWS - ROWS / 1000);
}

#[test]
fn the_same_keyword_file_as_utf8_and_utf16_reads_the_same() {
    let text = "Keyword\tVolume\tCPC\nlaufschuhe größe 44\t1200\t0,80\n";
    let utf16: Vec<u8> = std::iter::once(0xfeff)
        .chain(text.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(&utf16).unwrap();
    let read = |bytes: Vec<u8>| -> Vec<KeywordRow> {
        KeywordReader::new(io::Cursor::new(bytes), KeywordOptions::default())
            .unwrap()
            .map(|item| item.unwrap().unwrap())
            .collect()
    };
    let from_utf8 = read(text.as_bytes().to_vec());
    assert_eq!(from_utf8[0].keyword, "laufschuhe größe 44");
    assert_eq!(read(utf16), from_utf8);
    assert_eq!(read(gz.finish().unwrap()), from_utf8);
}
