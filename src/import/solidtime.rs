//! solidtime's time entries export as CSV (Time or Reporting → Export → CSV, the "detailed"
//! export).
//!
//! Layout followed: solidtime's source (solidtime-io/solidtime,
//! app/Service/ReportExport/TimeEntriesDetailedCsvExport.php, written with League\Csv: `,`,
//! `"`), whose header is
//!
//! `Description,Task,Project,Client,User,Start,End,Duration,Duration (decimal),Billable,Tags`
//!
//! Start and End are `YYYY-MM-DD HH:MM:SS` in the exporting user's zone; Duration `H:MM:SS`,
//! Duration (decimal) hours; Billable "Yes"/"No"; tags "a, b"; User is the person's name
//! (the export has no e-mail address).
//!
//! That export has no id column. solidtime's organisation export (a ZIP, documented in
//! solidtime-io/docs, docs/user-guide/export.md) has a `time_entries.csv` with ids, but it
//! names users, projects and tasks only by id, so it cannot be read on its own and is not
//! this format (reading it fails with a missing column). An "ID" column, when a file has one,
//! is taken as the entry's id.
//!
//! Required: Start, User, and End or Duration. Optional: Description, Task, Project, Client,
//! Duration (decimal), Billable, Tags, ID.

use super::csvfile::{self, field, Col};
use super::row::{FileError, Options, Parsed, Source};
use super::tabular::{self, first_filled, Common, CommonCols, End, Entry, Stamp};

const DESCRIPTION: Col = Col::named(&["Description"]);
const TASK: Col = Col::named(&["Task"]);
const PROJECT: Col = Col::named(&["Project"]);
const CLIENT: Col = Col::named(&["Client"]);
const USER: Col = Col::named(&["User"]);
const START: Col = Col::named(&["Start"]);
const END: Col = Col::named(&["End"]);
const DURATION: Col = Col::named(&["Duration"]);
const DURATION_DECIMAL: Col = Col::named(&["Duration (decimal)"]);
const BILLABLE: Col = Col::named(&["Billable"]);
const TAGS: Col = Col::named(&["Tags"]);
const ID: Col = Col::named(&["ID"]);

/// Reads a solidtime time entries CSV export.
pub fn parse(bytes: &[u8], opts: &Options) -> Result<Parsed, FileError> {
    let table = csvfile::read(bytes)?;
    let src = Source::Solidtime;
    let start = Some(table.require(START, src)?);
    table.require(USER, src)?;
    let end = table.find(END);
    let (hms, decimal) = (table.find(DURATION), table.find(DURATION_DECIMAL));
    if end.is_none() && hms.is_none() && decimal.is_none() {
        return Err(table.missing("End or Duration".into(), src));
    }
    let common = Common::find(
        &table,
        &CommonCols {
            id: Some(ID),
            email: None,
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
            let duration = first_filled(
                r,
                &[(DURATION.label(), hms), (DURATION_DECIMAL.label(), decimal)],
            );
            common.entry(
                *line,
                r,
                Stamp::combined(START.label(), field(r, start)),
                end.map(|i| End::At(Stamp::combined(END.label(), field(r, Some(i))))),
                duration,
            )
        })
        .collect();
    Ok(tabular::build(src, &entries, table.errors.clone(), opts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testing::{berlin, berlin_opts};

    fn read(bytes: &[u8]) -> Result<Parsed, FileError> {
        parse(bytes, &berlin_opts())
    }

    #[test]
    fn the_sample() {
        let p = read(include_bytes!("../../tests/import/samples/solidtime.csv")).expect("reads");
        assert_eq!(p.errors, []);
        let toggl = crate::import::toggl::parse(
            include_bytes!("../../tests/import/samples/toggl.csv"),
            &berlin_opts(),
        )
        .expect("reads");
        for (mine, theirs) in p.rows.iter().zip(&toggl.rows) {
            assert_eq!(mine.line, theirs.line);
            assert_eq!(
                (mine.start_ms, mine.end_ms),
                (theirs.start_ms, theirs.end_ms)
            );
            assert_eq!(mine.user_email, None);
            assert_eq!(mine.user_name, theirs.user_name);
            assert_eq!(
                (&mine.client, &mine.project, &mine.task),
                (&theirs.client, &theirs.project, &theirs.task)
            );
            assert_eq!(
                (&mine.note, &mine.tags, mine.billable),
                (&theirs.note, &theirs.tags, theirs.billable)
            );
            assert!(mine.source_id.starts_with("row:"));
        }
        assert_eq!(p.rows.len(), 10);
        assert_eq!(p.rows[4].end_ms, berlin("2026-11-06 01:15"));
    }

    #[test]
    fn an_id_column_is_the_id() {
        let csv = "ID,Start,End,User\n\
                   9b2c5f0e-1d4a-4c1e-8f57-0d6f4c1b2a33,2026-11-02 09:00:00,2026-11-02 10:00:00,Ada\n";
        let p = read(csv.as_bytes()).expect("reads");
        assert_eq!(
            p.rows[0].source_id,
            "solidtime:9b2c5f0e-1d4a-4c1e-8f57-0d6f4c1b2a33"
        );
    }

    #[test]
    fn the_organisation_export_is_not_this_format() {
        let csv = "id,description,start,end,billable_rate,billable,member_id,user_id\n";
        let err = read(csv.as_bytes()).map(|p| p.rows);
        assert!(
            matches!(err, Err(FileError::MissingColumn { missing, tool: "solidtime", .. }) if missing == "User")
        );
    }

    #[test]
    fn a_start_without_a_time() {
        let p = read(b"Start,End,User\n2026-11-02,2026-11-02 10:00:00,Ada\n").expect("reads");
        assert_eq!(
            p.errors[0].message,
            "Start: \"2026-11-02\" has no time of day"
        );
    }
}
