//! Logging with `tracing`: human-readable by default, one JSON object a line
//! with `LOG_FORMAT=json`. `RUST_LOG`, when set, overrides `LOG_LEVEL`.
//!
//! A log line that cannot be written (stderr closed, a full disk behind a
//! redirect) is dropped: logging never stops the thread that logs, so a
//! broken log destination never takes a worker or the store down.

use crate::config::LogFormat;
use std::io::{self, IsTerminal, Write};
use tracing_subscriber::EnvFilter;

pub fn init(level: &str, format: LogFormat) {
    let filter = EnvFilter::try_from_env("RUST_LOG")
        .unwrap_or_else(|_| EnvFilter::new(format!("warn,orgradar={level}")));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| Lossy(io::stderr()))
        .log_internal_errors(false)
        .with_ansi(io::stderr().is_terminal());
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// A writer that reports every write as done, whether or not it was.
pub struct Lossy<W>(pub W);

impl<W: Write> Write for Lossy<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _ = self.0.write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let _ = self.0.flush();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Lossy;
    use std::io::{self, Write};

    struct Broken;

    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
    }

    #[test]
    fn a_broken_destination_is_not_an_error_for_the_logger() {
        let mut w = Lossy(Broken);
        assert!(writeln!(w, "a line").is_ok());
        assert!(w.flush().is_ok());
    }
}
