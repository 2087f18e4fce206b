//! Kimai's timesheet export as CSV (Timesheets or Export → CSV, the default template).
//!
//! Layout followed: Kimai's own source and tests (kimai/kimai, src/Export/DefaultTemplate.php,
//! src/Export/ColumnConverter.php, src/Export/Base/CsvRenderer.php and the expected headers in
//! tests/Export/Base/CsvRendererTest.php). The English header is
//!
//! `Date,From,To,Duration,Currency,Price,Internal price,Hourly price,Fixed price,Name,User,E-mail,Staff number,Customer,Project,Activity,Description,Billable,Tags,Type,Category,Account,Project number,VAT-ID,Order number`
//!
//! and the headers are translated to the template's language (German: Datum, Von, Bis,
//! Dauer, …, Name, Benutzer, E-Mail, …, Kunde, Projekt, Tätigkeit, Beschreibung, Abrechenbar,
//! Schlagworte), so both are accepted. Date `YYYY-MM-DD` of the start; From and To are `HH:MM`
//! in the user's zone, To with no date (a To earlier than From is the next day); Duration
//! `H:MM` or decimal hours; Billable "1" or empty; tags "a, b"; the template may add `;` as
//! the separator and an "ID" column (export templates can pick it), used as the entry's id.
//! "Name" is the user's display name, "User" the login name.
//!
//! Required: Date, From, To or Duration, and E-mail, User or Name. Optional: Customer,
//! Project, Activity (taken as the task), Description, Billable, Tags, ID. Money and the other
//! columns are not read.

use super::csvfile::{self, field, Col};
use super::row::{FileError, Options, Parsed, Source};
use super::tabular::{self, Common, CommonCols, End, Entry, Stamp};

const DATE: Col = Col::named(&["Date", "Datum"]);
const FROM: Col = Col::named(&["From", "Von"]);
const TO: Col = Col::named(&["To", "Bis"]);
const DURATION: Col = Col::named(&["Duration", "Dauer"]);
const NAME: Col = Col::named(&["Name"]);
const USER: Col = Col::named(&["User", "Benutzer"]);
const EMAIL: Col = Col::named(&["E-mail", "Email"]);
const CUSTOMER: Col = Col::named(&["Customer", "Kunde"]);
const PROJECT: Col = Col::named(&["Project", "Projekt"]);
const ACTIVITY: Col = Col::named(&["Activity", "Tätigkeit"]);
const DESCRIPTION: Col = Col::named(&["Description", "Beschreibung"]);
const BILLABLE: Col = Col::named(&["Billable", "Abrechenbar"]);
const TAGS: Col = Col::named(&["Tags", "Schlagworte"]);
const ID: Col = Col::named(&["ID"]);

/// Reads a Kimai timesheet CSV export.
pub fn parse(bytes: &[u8], opts: &Options) -> Result<Parsed, FileError> {
    let table = csvfile::read(bytes)?;
    let src = Source::Kimai;
    let date = Some(table.require(DATE, src)?);
    let from = Some(table.require(FROM, src)?);
    table.require_any(&[EMAIL, USER, NAME], src)?;
    let (to, duration) = (table.find(TO), table.find(DURATION));
    if to.is_none() && duration.is_none() {
        return Err(table.missing("To or Duration".into(), src));
    }
    let common = Common::find(
        &table,
        &CommonCols {
            id: Some(ID),
            email: Some(EMAIL),
            names: &[NAME, USER],
            client: CUSTOMER,
            project: PROJECT,
            task: ACTIVITY,
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
                Stamp::split(r, (DATE, date), (FROM, from)),
                to.map(|i| End::TimeOnly {
                    col: TO.label(),
                    time: field(r, Some(i)),
                }),
                duration.map(|i| (DURATION.label(), field(r, Some(i)))),
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
        let p = read(include_bytes!("../../tests/import/samples/kimai.csv")).expect("reads");
        assert_eq!(p.errors, []);
        assert_eq!(p.rows.len(), 10);
        let ada = &p.rows[0];
        assert_eq!(ada.user_name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(ada.user_email.as_deref(), Some("ada@example.com"));
        assert_eq!(ada.client.as_deref(), Some("Acme GmbH"));
        assert_eq!(ada.task.as_deref(), Some("Restore test"));
        assert_eq!(
            (ada.start_ms, ada.end_ms),
            (berlin("2026-11-02 09:00"), berlin("2026-11-02 10:30"))
        );
        assert!(ada.billable);
        assert!(ada.source_id.starts_with("row:") && ada.source_id.len() == 4 + 64);
        assert_eq!(
            p.rows[2].note,
            "Called back about \"VPN down\", then\nwrote the summary"
        );
        assert_eq!(p.rows[3].line, 6);
        // Billable empty: not billable.
        assert!(!p.rows[3].billable);
        // From 22:30 To 01:15: the next day.
        assert_eq!(p.rows[4].end_ms, berlin("2026-11-06 01:15"));
        assert_eq!(p.rows[7].client.as_deref(), Some("Café Zürich KG"));
        assert_eq!(p.rows[1].user_name.as_deref(), Some("Zoë Müller"));
    }

    #[test]
    fn german_headers_semicolons_and_ids() {
        let p = read(include_bytes!("../../tests/import/samples/kimai-de.csv")).expect("reads");
        assert_eq!(p.errors, []);
        let ids: Vec<&str> = p.rows.iter().map(|r| r.source_id.as_str()).collect();
        assert_eq!(
            ids,
            ["kimai:4711", "kimai:4712", "kimai:4713", "kimai:4714"]
        );
        assert_eq!(p.rows[1].note, "Migration des Mailservers; nachts");
        assert_eq!(p.rows[1].end_ms, berlin("2026-11-06 01:15"));
        // No display name: the login name.
        assert_eq!(p.rows[2].user_name.as_deref(), Some("zoe"));
        assert_eq!(p.rows[2].note, "Review mit \"Marketing\"");
        // No To: From + Duration.
        assert_eq!(p.rows[3].end_ms, berlin("2026-11-09 16:45"));
    }

    #[test]
    fn what_a_kimai_file_needs() {
        let err = read(b"Date,From,Duration\n2026-11-02,09:00,1:00\n").map(|p| p.rows);
        assert!(
            matches!(err, Err(FileError::MissingColumn { missing, .. }) if missing == "E-mail or User or Name")
        );
        let err = read(b"Date,From,User\n2026-11-02,09:00,ada\n").map(|p| p.rows);
        assert!(
            matches!(err, Err(FileError::MissingColumn { missing, .. }) if missing == "To or Duration")
        );
        let p = read(b"Date,From,To,Duration,User\n2026-11-02,09:00,09:00,0:00,ada\n2026-11-02,09:00,09:00,24:00,ada\n")
            .expect("reads");
        assert_eq!(
            p.errors[0].message,
            "End (2026-11-02 09:00) is the same as Start: the entry has no length"
        );
        assert_eq!(p.rows[0].end_ms - p.rows[0].start_ms, 24 * 3_600_000);
    }
}
