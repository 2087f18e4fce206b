//! Toggl Track's detailed report, exported as CSV (Reports → Detailed → Export → CSV).
//!
//! Layout followed: Toggl's help article "Editing and uploading a CSV file"
//! (support.toggl.com/import-and-export/csv-import/editing-and-uploading-a-csv-file), which
//! says the importable columns are "User, Email, Client, Project, Task, Description, Billable,
//! Start date, Start time, Duration, Tags" and that a detailed report's CSV export shows the
//! shape (duration format "Improved", `hh:mm:ss`); and the Toggl test file of solidtime's
//! importer (solidtime-io/solidtime, resources/testfiles/toggl_time_entries_import_test_1.csv),
//! a real export's header:
//!
//! `User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)`
//!
//! Dates `YYYY-MM-DD`, times `HH:MM:SS` in the exporting user's zone, tags "a, b",
//! billable "Yes"/"No".
//!
//! Required: Start date, Start time, Email or User, and End date + End time or Duration.
//! Optional: Client, Project, Task, Description, Billable, Tags. "Amount (…)" is not read
//! (an [`ImportRow`](super::row::ImportRow) has no money).

use super::csvfile::{self, field, Col};
use super::row::{FileError, Options, Parsed, Source};
use super::tabular::{self, Common, CommonCols, End, Entry, Stamp};

const USER: Col = Col::named(&["User"]);
const EMAIL: Col = Col::named(&["Email"]);
const CLIENT: Col = Col::named(&["Client"]);
const PROJECT: Col = Col::named(&["Project"]);
const TASK: Col = Col::named(&["Task"]);
const DESCRIPTION: Col = Col::named(&["Description"]);
const BILLABLE: Col = Col::named(&["Billable"]);
const START_DATE: Col = Col::named(&["Start date"]);
const START_TIME: Col = Col::named(&["Start time"]);
const END_DATE: Col = Col::named(&["End date"]);
const END_TIME: Col = Col::named(&["End time"]);
const DURATION: Col = Col::named(&["Duration"]);
const TAGS: Col = Col::named(&["Tags"]);

/// Reads a Toggl Track detailed report CSV.
pub fn parse(bytes: &[u8], opts: &Options) -> Result<Parsed, FileError> {
    let table = csvfile::read(bytes)?;
    let src = Source::Toggl;
    let start_date = Some(table.require(START_DATE, src)?);
    let start_time = Some(table.require(START_TIME, src)?);
    table.require_any(&[EMAIL, USER], src)?;
    let (end_date, end_time) = (table.find(END_DATE), table.find(END_TIME));
    let has_end = end_date.is_some() && end_time.is_some();
    let duration = table.find(DURATION);
    if !has_end && duration.is_none() {
        return Err(table.missing("End date or Duration".into(), src));
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
            common.entry(
                *line,
                r,
                Stamp::split(r, (START_DATE, start_date), (START_TIME, start_time)),
                has_end
                    .then(|| End::At(Stamp::split(r, (END_DATE, end_date), (END_TIME, end_time)))),
                duration.map(|i| (DURATION.label(), field(r, Some(i)))),
            )
        })
        .collect();
    Ok(tabular::build(src, &entries, table.errors.clone(), opts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::row::RowError;
    use crate::import::testing::{berlin, berlin_opts};

    const SAMPLE: &[u8] = include_bytes!("../../tests/import/samples/toggl.csv");

    fn read(bytes: &[u8]) -> Result<Parsed, FileError> {
        parse(bytes, &berlin_opts())
    }

    #[test]
    fn the_sample() {
        let p = read(SAMPLE).expect("reads");
        assert_eq!(p.errors, []);
        let lines: Vec<usize> = p.rows.iter().map(|r| r.line).collect();
        // The third entry's note spans lines 4 and 5.
        assert_eq!(lines, [2, 3, 4, 6, 7, 8, 9, 10, 11, 12]);

        let ada = &p.rows[0];
        assert_eq!(ada.user_email.as_deref(), Some("ada@example.com"));
        assert_eq!(ada.user_name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(ada.client.as_deref(), Some("Acme GmbH"));
        assert_eq!(ada.project.as_deref(), Some("Backups"));
        assert_eq!(ada.task.as_deref(), Some("Restore test"));
        assert_eq!(ada.tags, ["ops", "backup"]);
        assert!(ada.billable);
        // 09:00 in Berlin on 2 November 2026 (CET) is 08:00 UTC.
        assert_eq!(ada.start_ms, 1_793_606_400_000);
        assert_eq!(ada.end_ms, berlin("2026-11-02 10:30"));

        let zoe = &p.rows[1];
        assert_eq!(zoe.user_name.as_deref(), Some("Zoë Müller"));
        assert_eq!(zoe.user_email.as_deref(), Some("zoe.mueller@example.com"));
        assert_eq!(zoe.note, "Header layout, mobile nav");

        let bjorn = &p.rows[2];
        assert_eq!(bjorn.user_name.as_deref(), Some("Björn Ødegård"));
        assert_eq!(
            bjorn.note,
            "Called back about \"VPN down\", then\nwrote the summary"
        );

        let meeting = &p.rows[3];
        assert_eq!(
            (meeting.client.as_deref(), meeting.task.as_deref()),
            (None, None)
        );
        assert!(!meeting.billable);

        // 22:30 to 01:15: the end is on the next day.
        let night = &p.rows[4];
        assert_eq!(night.start_ms, berlin("2026-11-05 22:30"));
        assert_eq!(night.end_ms, berlin("2026-11-06 01:15"));
        assert_eq!(night.end_ms - night.start_ms, 165 * 60_000);

        let no_project = &p.rows[6];
        assert_eq!(
            (no_project.project.as_deref(), no_project.tags.len()),
            (None, 0)
        );
        assert_eq!(p.rows[7].client.as_deref(), Some("Café Zürich KG"));
    }

    #[test]
    fn bom_and_crlf_read_the_same() {
        let crlf = read(include_bytes!(
            "../../tests/import/broken/toggl-crlf-bom.csv"
        ));
        let plain = read(SAMPLE).expect("reads");
        let crlf = crlf.expect("reads");
        assert_eq!(crlf.rows, plain.rows);
        assert_eq!(crlf.errors, plain.errors);
    }

    #[test]
    fn a_missing_column_is_named() {
        let err = read(include_bytes!(
            "../../tests/import/broken/toggl-missing-column.csv"
        ));
        assert_eq!(
            err.map(|p| p.rows.len()),
            Err(FileError::MissingColumn {
                missing: "Start time".into(),
                tool: "toggl",
                found: "\"User\", \"Email\", \"Client\", \"Project\", \"Task\", \"Description\", \
                        \"Billable\", \"Start date\", \"End date\", \"End time\", \"Duration\", \
                        \"Tags\", \"Amount (EUR)\""
                    .into(),
            })
        );
    }

    #[test]
    fn bad_rows_are_errors_and_the_rest_is_read() {
        let p = read(include_bytes!(
            "../../tests/import/broken/toggl-bad-rows.csv"
        ))
        .expect("reads");
        let e = |line, message: &str| RowError {
            line,
            message: message.into(),
        };
        assert_eq!(
            p.errors,
            [
                e(3, "Start time: \"25:10\" is not a time"),
                e(4, "Start date: \"2026-02-30\" is not a date"),
                e(5, "End (2026-11-02 08:00) is before Start (2026-11-02 09:00)"),
                e(6, "Start date is empty"),
                e(7, "End (2026-11-04 10:00) is the same as Start: the entry has no length"),
                e(8, "the entry is longer than 24 hours (Start 2026-11-05 08:00, End 2026-11-06 09:00)"),
                e(9, "Billable: \"maybe\" is not yes or no"),
                e(10, "Duration: \"90 min\" is not a duration"),
                e(12, "duplicate of line 2: the same entry twice"),
                e(15, "End time: \"5:3\" is not a time"),
                e(16, "the row has 15 fields, the header 14: are a note's quotes broken?"),
            ]
        );
        let lines: Vec<usize> = p.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 11, 13]);
        // Only a duration: end = start + duration.
        assert_eq!(p.rows[1].end_ms - p.rows[1].start_ms, 45 * 60_000);
        assert_eq!(p.rows[2].note, "Two lines,\nof \"notes\"");
    }

    #[test]
    fn clock_changes_in_berlin() {
        let csv = "Email,Start date,Start time,End date,End time\n\
                   ada@example.com,2026-03-29,02:30:00,2026-03-29,04:00:00\n\
                   ada@example.com,2026-10-25,02:30:00,2026-10-25,03:30:00\n";
        let p = read(csv.as_bytes()).expect("reads");
        assert_eq!(
            p.errors,
            [RowError {
                line: 2,
                message: "Start time: 2026-03-29 02:30 does not exist in Europe/Berlin \
                          (the clocks moved forward)"
                    .into()
            }]
        );
        // 02:30 happens twice on 25 October: the earlier one (CEST, 00:30 UTC) is taken, so the
        // entry to 03:30 CET lasts two hours.
        assert_eq!(p.rows[0].start_ms, 1_792_888_200_000);
        assert_eq!(p.rows[0].end_ms - p.rows[0].start_ms, 2 * 3_600_000);
    }
}
