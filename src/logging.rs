//! Tracing: to stdout and to daily rolling files in `<data>/logs` for the server; to stderr,
//! warnings only, for other commands. Messages never carry passwords, tokens or cookies.

use std::io::IsTerminal;
use tracing_appender::non_blocking::WorkerGuard;

use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::{DefaultFields, Writer};
use tracing_subscriber::fmt::FormatFields;
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter, Layer};

/// The file layer's field formatter. A distinct type matters: tracing-subscriber caches a span's
/// formatted fields per formatter type, so sharing `DefaultFields` with the coloured stdout layer
/// would copy its colour codes into the files.
struct PlainFields(DefaultFields);

impl<'w> FormatFields<'w> for PlainFields {
    fn format_fields<R: RecordFields>(&self, writer: Writer<'w>, fields: R) -> std::fmt::Result {
        self.0.format_fields(writer, fields)
    }
}

use crate::config::Config;

fn filter(level: &str) -> EnvFilter {
    // Framework internals stay at warn so that debug never dumps headers.
    EnvFilter::new(format!("{level},sled=warn,poem=warn,hyper=warn"))
}

/// Logging for `serve`. Keep the guard alive for the life of the process.
pub fn init_server(c: &Config) -> anyhow::Result<Option<WorkerGuard>> {
    // Colour only on a terminal: journald and pipes get plain text.
    let stdout = fmt::layer()
        .with_target(false)
        .with_ansi(std::io::stdout().is_terminal())
        .with_filter(filter(&c.log_level));
    if !c.log_file {
        tracing_subscriber::registry().with(stdout).try_init()?;
        return Ok(None);
    }
    let dir = c.data_dir.join("logs");
    std::fs::create_dir_all(&dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("ophiontt")
        .filename_suffix("log")
        .build(&dir)?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let file = fmt::layer()
        .fmt_fields(PlainFields(DefaultFields::new()))
        .with_ansi(false)
        .with_target(false)
        .with_writer(writer)
        .with_filter(filter(&c.log_level));
    tracing_subscriber::registry()
        .with(stdout)
        .with(file)
        .try_init()?;
    Ok(Some(guard))
}

/// Logging for one-shot CLI commands: warnings and errors on stderr.
pub fn init_cli() {
    let _ = tracing_subscriber::registry()
        .with(
            fmt::layer()
                .with_target(false)
                .with_writer(std::io::stderr)
                .with_filter(filter("warn")),
        )
        .try_init();
}
