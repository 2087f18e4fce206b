//! One exported entry, as every format writes it: ids, the names they stand for, and times in
//! the export's time zone. The CSV column layout (docs/exports.md) is [`COLUMNS`], in order.

use chrono::{DateTime, FixedOffset};

/// One exported entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    pub entry_id: String,
    pub user_id: String,
    pub user_email: String,
    pub user_name: String,
    /// Empty when the project has no client.
    pub client: String,
    pub project: String,
    /// Empty when the entry has no task.
    pub task: String,
    pub tags: Vec<String>,
    pub note: String,
    /// Start and end in the export's time zone (an entry is always finished).
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    /// Whole seconds, by the one duration rule (`domain::time::duration_secs`).
    pub duration_seconds: i64,
    pub billable: bool,
    /// Hourly rate in force for the entry, minor units; `None` when it has none.
    pub rate_cents: Option<i64>,
    /// Billable time at that rate, minor units, unrounded; `None` when not billable or no rate.
    pub amount_cents: Option<i64>,
    /// ISO 4217 code of the project.
    pub currency: String,
    /// The approval state of the entry's week (`open`, `submitted`, `approved`, `rejected`,
    /// `locked`) when week approval is on; `None` when it is off.
    pub week_state: Option<&'static str>,
    /// The tickets the note and the task's title refer to (`tickets.patterns`), each once.
    pub tickets: Vec<crate::domain::tickets::Ticket>,
}

/// The CSV header, in column order.
/// New columns go at the end, so that a column's position never changes.
pub const COLUMNS: [&str; 20] = [
    "entry_id",
    "date",
    "start",
    "end",
    "duration_seconds",
    "duration_hours",
    "user_name",
    "user_email",
    "client",
    "project",
    "task",
    "tags",
    "note",
    "billable",
    "rate",
    "amount",
    "currency",
    "week_state",
    "user_id",
    "tickets",
];

/// What a whole export covers, for formats with a title (PDF) or a header (JSON).
#[derive(Debug, Clone)]
pub struct ExportInfo {
    /// "Timesheet — Ada Lovelace", "Report — Acme Corp", "Time entries".
    pub title: String,
    /// First and last local date, inclusive.
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    /// IANA name of the zone the times are in.
    pub time_zone: String,
    /// When the export was made, in that zone.
    pub generated_at: DateTime<FixedOffset>,
    /// Who asked for it (a display name), or "scheduled export".
    pub generated_by: String,
    /// The filters applied, as readable lines ("Project: Backups"); empty for none.
    pub filters: Vec<String>,
}

impl ExportRow {
    /// The local date the entry starts on.
    pub fn date(&self) -> chrono::NaiveDate {
        self.start.date_naive()
    }

    /// Hours with two decimals ("1.50").
    pub fn hours(&self) -> String {
        hours(self.duration_seconds)
    }

    /// The tickets' ids, as the CSV and XLSX columns write them ("OPS-12, OPS-14").
    pub fn ticket_ids(&self) -> String {
        let ids: Vec<&str> = self.tickets.iter().map(|t| t.id.as_str()).collect();
        ids.join(", ")
    }
}

/// Seconds as hours with two decimals, rounded half up ("1.50").
pub fn hours(seconds: i64) -> String {
    let hundredths = (seconds * 100 + 1800) / 3600;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Minor units as a decimal amount with two decimals ("1234.50", "-0.05").
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

/// Seconds as `H:MM` ("37:05"), as the web UI shows durations.
pub fn clock(seconds: i64) -> String {
    let m = seconds.max(0) / 60;
    format!("{}:{:02}", m / 60, m % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(hours(5400), "1.50");
        assert_eq!(hours(0), "0.00");
        assert_eq!(hours(17), "0.00");
        assert_eq!(hours(18), "0.01");
        assert_eq!(money(123450), "1234.50");
        assert_eq!(money(-5), "-0.05");
        assert_eq!(clock(133_500), "37:05");
    }
}
