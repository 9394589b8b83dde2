//! Structured logs through tracing, to stderr so command output on stdout stays clean.
//!
//! Lines are formatted on the thread that logs and written by one writer thread, which buffers
//! them and flushes whenever it has nothing queued: request threads never wait on stderr's lock
//! or a `write` call, and a burst of lines costs one `write`, not one each. No line is dropped;
//! if the writer falls 128k lines behind, loggers wait for it.

use std::io::{BufWriter, IsTerminal};

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

use crate::config::{LogConfig, LogFormat};

/// Flushes what is still queued when dropped: hold it until the process ends.
#[must_use = "queued log lines are lost if the guard is dropped early"]
pub struct LogGuard {
    _flush_on_drop: Option<WorkerGuard>,
}

/// Installs the global subscriber; a second call (tests) is a no-op.
pub fn init(config: &LogConfig) -> LogGuard {
    let filter = EnvFilter::try_new(&config.filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("empire-log")
        .finish(BufWriter::new(std::io::stderr()));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::stderr().is_terminal());
    let installed = match config.format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    LogGuard {
        _flush_on_drop: installed.is_ok().then_some(guard),
    }
}
