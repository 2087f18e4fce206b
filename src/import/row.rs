//! What every importer makes of a file: rows to create, rows it cannot take (with their line
//! numbers and why), or a reason the whole file cannot be read.

use chrono_tz::Tz;

/// Where a file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Toggl Track's detailed report, CSV.
    Toggl,
    /// Clockify's detailed report, CSV.
    Clockify,
    /// Kimai's timesheet export, CSV.
    Kimai,
    /// solidtime's time entries export, CSV.
    Solidtime,
    /// OphionTT's own JSON export.
    Ophiontt,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::Toggl,
        Source::Clockify,
        Source::Kimai,
        Source::Solidtime,
        Source::Ophiontt,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Source::Toggl => "toggl",
            Source::Clockify => "clockify",
            Source::Kimai => "kimai",
            Source::Solidtime => "solidtime",
            Source::Ophiontt => "ophiontt",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|x| x.name() == s)
    }
}

/// How to read what a file leaves open.
#[derive(Debug, Clone)]
pub struct Options {
    /// The zone of times written without an offset (Toggl, Clockify, Kimai and solidtime write
    /// local times).
    pub time_zone: Tz,
}

/// One entry to create.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// The line of the file where the row starts (the header is line 1; a quoted newline makes
    /// a row span lines).
    pub line: usize,
    /// The source tool's id for the entry when the file has one, else a fingerprint of the
    /// row's content (source, person, start, end, project, task, note): what makes a
    /// re-import create nothing twice.
    pub source_id: String,
    /// Lower-cased; `None` when the file names people without an e-mail address.
    pub user_email: Option<String>,
    pub user_name: Option<String>,
    pub client: Option<String>,
    /// `None` for time on no project.
    pub project: Option<String>,
    pub task: Option<String>,
    pub tags: Vec<String>,
    pub note: String,
    /// UTC milliseconds; `end_ms > start_ms`.
    pub start_ms: i64,
    pub end_ms: i64,
    pub billable: bool,
}

/// A row the importer cannot take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    /// What is wrong, naming the column and the value ("Start time: \"25:10\" is not a time").
    pub message: String,
}

/// What a file holds.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<ImportRow>,
    pub errors: Vec<RowError>,
}

/// Why a whole file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("line {line}: the file is not UTF-8 text (export it again as UTF-8)")]
    Encoding { line: usize },
    #[error("the file has no column {missing:?}: is it a {tool} export? Columns found: {found}")]
    MissingColumn {
        missing: String,
        tool: &'static str,
        found: String,
    },
    #[error("line {line}: {message}")]
    Malformed { line: usize, message: String },
}
