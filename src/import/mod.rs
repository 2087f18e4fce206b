//! Importing time entries from other trackers' exports: one reader per tool's file format,
//! each turning the bytes of a whole file into the rows it can take and the ones it cannot
//! ([`Parsed`]), or a reason the whole file cannot be read ([`FileError`]).
//!
//! Pure code: nothing here reads or writes anything but the bytes it is given.
//!
//! What every reader does:
//! - CSV (Toggl, Clockify, Kimai, solidtime): a UTF-8 BOM is dropped, CRLF and LF both end
//!   lines, quoted fields may hold commas, quotes and newlines, the delimiter (`,` or `;`)
//!   comes from the header line, and header names match without case or surrounding spaces.
//!   Text that is not UTF-8 is `FileError::Encoding` at its first bad line; a missing required
//!   column is `FileError::MissingColumn`.
//! - A bad row never stops the file: it is a [`RowError`] at the line the row starts on,
//!   naming the column and value. Local times are read in [`Options::time_zone`]; one that
//!   does not exist there (the hour skipped when clocks go forward) is a row error, one that
//!   happens twice takes the earlier instant. A file's date format is chosen once from all
//!   its dates (`stamps::DateFormat::detect`).
//! - The end wins over a duration; an entry must end after it starts and last at most 24
//!   hours. Rows with no id of their tool get a fingerprint id (`fingerprint`); the second of
//!   two rows with the same id is a row error.

pub mod row;

pub mod clockify;
pub mod csvfile;
pub mod fields;
pub mod fingerprint;
pub mod jsonpos;
pub mod kimai;
pub mod ophiontt;
pub mod solidtime;
pub mod stamps;
pub mod tabular;
pub mod toggl;

pub use row::{FileError, ImportRow, Options, Parsed, RowError, Source};

/// Reads a whole file of `source`'s format: the rows it can take and the ones it cannot.
pub fn parse(source: Source, bytes: &[u8], opts: &Options) -> Result<Parsed, FileError> {
    match source {
        Source::Toggl => toggl::parse(bytes, opts),
        Source::Clockify => clockify::parse(bytes, opts),
        Source::Kimai => kimai::parse(bytes, opts),
        Source::Solidtime => solidtime::parse(bytes, opts),
        Source::Ophiontt => ophiontt::parse(bytes, opts),
    }
}

/// What the tests of every reader share.
#[cfg(test)]
pub(crate) mod testing {
    use chrono::{NaiveDateTime, TimeZone};

    use super::Options;

    /// Times read in Europe/Berlin.
    pub fn berlin_opts() -> Options {
        Options {
            time_zone: chrono_tz::Europe::Berlin,
        }
    }

    /// UTC milliseconds of a Berlin local time "YYYY-MM-DD HH:MM[:SS]".
    pub fn berlin(local: &str) -> i64 {
        let t = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M"))
            .expect("a local time");
        chrono_tz::Europe::Berlin
            .from_local_datetime(&t)
            .earliest()
            .expect("exists in Berlin")
            .timestamp_millis()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::testing::berlin_opts;
    use super::*;

    const SAMPLES: [(Source, &[u8], usize); 6] = [
        (
            Source::Toggl,
            include_bytes!("../../tests/import/samples/toggl.csv"),
            10,
        ),
        (
            Source::Clockify,
            include_bytes!("../../tests/import/samples/clockify.csv"),
            10,
        ),
        (
            Source::Kimai,
            include_bytes!("../../tests/import/samples/kimai.csv"),
            10,
        ),
        (
            Source::Kimai,
            include_bytes!("../../tests/import/samples/kimai-de.csv"),
            4,
        ),
        (
            Source::Solidtime,
            include_bytes!("../../tests/import/samples/solidtime.csv"),
            10,
        ),
        (
            Source::Ophiontt,
            include_bytes!("../../tests/import/samples/ophiontt.json"),
            10,
        ),
    ];

    #[test]
    fn every_sample_reads_whole() {
        for (source, bytes, count) in SAMPLES {
            let parsed = parse(source, bytes, &berlin_opts()).expect("a readable file");
            assert_eq!(parsed.errors, [], "{source:?}");
            assert_eq!(parsed.rows.len(), count, "{source:?}");
            let ids: HashSet<&str> = parsed.rows.iter().map(|r| r.source_id.as_str()).collect();
            assert_eq!(ids.len(), count, "{source:?}: ids are distinct");
            for row in &parsed.rows {
                // A tool's own id, or the tool-neutral fingerprint of the row.
                let own = format!("{}:", source.name());
                assert!(row.source_id.starts_with(&own) || row.source_id.starts_with("row:"));
                assert!(row.end_ms > row.start_ms);
            }
            // Read again: the same rows, the same ids.
            let again = parse(source, bytes, &berlin_opts()).expect("readable");
            assert_eq!(again.rows, parsed.rows, "{source:?}");
        }
    }

    #[test]
    fn empty_files_and_bare_headers() {
        for source in Source::ALL {
            assert_eq!(
                parse(source, b"\xEF\xBB\xBF\r\n  \n", &berlin_opts()).map(|p| p.rows),
                Err(FileError::Empty),
                "{source:?}"
            );
        }
        let bare = parse(
            Source::Toggl,
            b"Email,Start date,Start time,Duration\r\n",
            &berlin_opts(),
        )
        .expect("a header is a file");
        assert!(bare.rows.is_empty() && bare.errors.is_empty());
    }
}
