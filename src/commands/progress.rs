//! A one-line progress display on stderr for long commands, shown only on a terminal so logs and
//! pipes stay clean.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Redraws at most this often.
const REDRAW: Duration = Duration::from_millis(100);

/// Prints `label: text` over itself; `finish` ends the line.
#[derive(Clone)]
pub struct ProgressLine {
    shown: bool,
    last: Arc<Mutex<Option<Instant>>>,
}

impl ProgressLine {
    pub fn new() -> ProgressLine {
        ProgressLine {
            shown: std::io::stderr().is_terminal(),
            last: Arc::new(Mutex::new(None)),
        }
    }

    pub fn update(&self, text: &str) {
        if !self.shown {
            return;
        }
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if last.is_some_and(|at| at.elapsed() < REDRAW) {
            return;
        }
        *last = Some(Instant::now());
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{text}");
        let _ = err.flush();
    }

    pub fn finish(&self) {
        if self.shown {
            let _ = writeln!(std::io::stderr());
        }
    }
}
