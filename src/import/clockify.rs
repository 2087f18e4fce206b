//! Clockify's detailed report, exported as CSV (Reports → Time → Detailed → Export → Save as
//! CSV).
//!
//! Layout followed: the Clockify test files and importer of solidtime
//! (solidtime-io/solidtime, resources/testfiles/clockify_time_entries_import_test_1.csv and
//! app/Service/Import/Importers/ClockifyTimeEntriesImporter.php), real exports whose header is
//!
//! `Project,Client,Description,Task,User,Group,Email,Tags,Billable,Start Date,Start Time,End Date,End Time,Duration (h),Duration (decimal),Billable Rate (USD),Billable Amount (USD)`
//!
//! (some exports name the task column "Activity", or leave out Client or Billable), and a
//! public sample export with the same header (gist.github.com/mdnurahmed/cd65d2d141f3b29d0fe1a47f130a5484).
//! Clockify writes dates and times in the user's chosen formats (solidtime's import
//! instructions ask users to set "MM/DD/YYYY" and "12-hour" first): here the date format is
//! detected from the whole file ([`DateFormat::detect`](super::stamps::DateFormat::detect):
//! MM/DD/YYYY, DD/MM/YYYY, DD.MM.YYYY, YYYY-MM-DD and the like; MM/DD when no day above 12
//! tells the two apart), times may be "hh:mm[:ss] AM/PM" or 24-hour, and durations "1.50" or
//! "1,50". Files from some locales are `;`-separated.
//!
//! Required: Start Date, Start Time, Email or User, and End Date + End Time or a duration
//! column. Optional: Project, Client, Description, Task/Activity, Tags, Billable, Duration (h),
//! Duration (decimal). Group and the money columns are not read.

use super::csvfile::{self, Col};
use super::row::{FileError, Options, Parsed, Source};
use super::tabular::{self, first_filled, Common, CommonCols, End, Entry, Stamp};

const PROJECT: Col = Col::named(&["Project"]);
const CLIENT: Col = Col::named(&["Client"]);
const DESCRIPTION: Col = Col::named(&["Description"]);
const TASK: Col = Col::named(&["Task", "Activity"]);
const USER: Col = Col::named(&["User"]);
const EMAIL: Col = Col::named(&["Email"]);
const TAGS: Col = Col::named(&["Tags"]);
const BILLABLE: Col = Col::named(&["Billable"]);
const START_DATE: Col = Col::named(&["Start Date"]);
const START_TIME: Col = Col::named(&["Start Time"]);
const END_DATE: Col = Col::named(&["End Date"]);
const END_TIME: Col = Col::named(&["End Time"]);
const DURATION_H: Col = Col::named(&["Duration (h)"]);
const DURATION_DECIMAL: Col = Col::named(&["Duration (decimal)"]);

/// Reads a Clockify detailed report CSV.
pub fn parse(bytes: &[u8], opts: &Options) -> Result<Parsed, FileError> {
    let table = csvfile::read(bytes)?;
    let src = Source::Clockify;
    let start_date = Some(table.require(START_DATE, src)?);
    let start_time = Some(table.require(START_TIME, src)?);
    table.require_any(&[EMAIL, USER], src)?;
    let (end_date, end_time) = (table.find(END_DATE), table.find(END_TIME));
    let has_end = end_date.is_some() && end_time.is_some();
    let (hms, decimal) = (table.find(DURATION_H), table.find(DURATION_DECIMAL));
    if !has_end && hms.is_none() && decimal.is_none() {
        return Err(table.missing("End Date or Duration (h)".into(), src));
    }
    let common = Common::find(
        &table,
        &CommonCols {
            id: None,
            email: Some(EMAIL),
            names: &[USER],
            client: CLIENT,
            project: PROJECT,
            task: TASK,
            tags: TAGS,
            note: DESCRIPTION,
            billable: BILLABLE,
        },
    );
    let entries: Vec<Entry> = (table.records.iter())
        .map(|(line, r)| {
            // The clock duration when the row has one, else the decimal one.
            let duration = first_filled(
                r,
                &[
                    (DURATION_H.label(), hms),
                    (DURATION_DECIMAL.label(), decimal),
                ],
            );
            common.entry(
                *line,
                r,
                Stamp::split(r, (START_DATE, start_date), (START_TIME, start_time)),
                has_end
                    .then(|| End::At(Stamp::split(r, (END_DATE, end_date), (END_TIME, end_time)))),
                duration,
            )
        })
        .collect();
    Ok(tabular::build(src, &entries, table.errors.clone(), opts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::row::ImportRow;
    use crate::import::testing::{berlin, berlin_opts};

    fn read(bytes: &[u8]) -> Result<Parsed, FileError> {
        parse(bytes, &berlin_opts())
    }

    /// A row without its id and line, to compare rows read from different tools' files.
    fn content(r: &ImportRow) -> ImportRow {
        ImportRow {
            line: 0,
            source_id: String::new(),
            ..r.clone()
        }
    }

    #[test]
    fn the_sample_says_what_the_toggl_one_says() {
        let p = read(include_bytes!("../../tests/import/samples/clockify.csv")).expect("reads");
        assert_eq!(p.errors, []);
        let toggl = crate::import::toggl::parse(
            include_bytes!("../../tests/import/samples/toggl.csv"),
            &berlin_opts(),
        )
        .expect("reads");
        let mine: Vec<ImportRow> = p.rows.iter().map(content).collect();
        let theirs: Vec<ImportRow> = toggl.rows.iter().map(content).collect();
        assert_eq!(mine, theirs);
        // 12-hour times: 10:30:00 PM to 01:15:00 AM the next day.
        assert_eq!(p.rows[4].start_ms, berlin("2026-11-05 22:30"));
        assert_eq!(p.rows[4].end_ms, berlin("2026-11-06 01:15"));
        assert_eq!(p.rows[3].line, 6);
        // The same entries as the Toggl sample: the same rows, whichever tool exported them.
        assert_eq!(p.rows[0].source_id, toggl.rows[0].source_id);
    }

    #[test]
    fn latin1_is_refused_at_its_first_bad_line() {
        let err = read(include_bytes!(
            "../../tests/import/broken/clockify-latin1.csv"
        ));
        assert_eq!(
            err.map(|p| p.rows.len()),
            Err(FileError::Encoding { line: 3 })
        );
    }

    #[test]
    fn a_german_locale_file() {
        let p = read(include_bytes!(
            "../../tests/import/broken/clockify-locale.csv"
        ))
        .expect("reads");
        assert_eq!(p.errors, []);
        let lines: Vec<usize> = p.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 6, 7, 8]);
        assert_eq!(p.rows[0].start_ms, berlin("2026-11-02 09:00"));
        assert_eq!(p.rows[0].note, "Monatlicher Restore-Test; Dateiserver");
        assert_eq!(
            p.rows[2].note,
            "Rückruf wegen \"VPN down\", dann\nZusammenfassung"
        );
        assert_eq!(p.rows[3].end_ms, berlin("2026-11-06 01:15"));
        // No end: "1,50" hours from 09:00.
        assert_eq!(p.rows[4].start_ms, berlin("2026-11-23 09:00"));
        assert_eq!(p.rows[4].end_ms, berlin("2026-11-23 10:30"));
        assert_eq!(p.rows[5].client.as_deref(), Some("Café Zürich KG"));
    }

    const HEAD: &str = "User,Email,Start Date,Start Time,End Date,End Time\n";

    #[test]
    fn day_first_when_a_day_says_so() {
        let csv = format!(
            "{HEAD}Ada,ada@example.com,03/11/2026,09:00,03/11/2026,10:00\n\
             Ada,ada@example.com,13/11/2026,09:00,13/11/2026,10:00\n"
        );
        let p = read(csv.as_bytes()).expect("reads");
        assert_eq!(p.errors, []);
        assert_eq!(p.rows[0].start_ms, berlin("2026-11-03 09:00"));
    }

    #[test]
    fn month_first_when_nothing_says_otherwise() {
        let csv = format!(
            "{HEAD}Ada,ada@example.com,03/11/2026,09:00 PM,03/11/2026,10:00 PM\n\
             Ada,ada@example.com,11/12/2026,9:00 AM,11/12/2026,10:00 AM\n"
        );
        let p = read(csv.as_bytes()).expect("reads");
        assert_eq!(p.errors, []);
        assert_eq!(p.rows[0].start_ms, berlin("2026-03-11 21:00"));
        assert_eq!(p.rows[1].start_ms, berlin("2026-11-12 09:00"));
    }

    #[test]
    fn a_date_that_fits_neither_order_is_a_row_error() {
        let csv = format!(
            "{HEAD}Ada,ada@example.com,03/11/2026,09:00,03/11/2026,10:00\n\
             Ada,ada@example.com,13/13/2026,09:00,13/13/2026,10:00\n"
        );
        let p = read(csv.as_bytes()).expect("reads");
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.errors[0].line, 3);
        assert_eq!(
            p.errors[0].message,
            "Start Date: \"13/13/2026\" is not a date"
        );
    }
}
