//! The `export` job: the previous complete day, week (Monday first) or month of everyone's
//! finished entries, as CSV or JSON, into `<data>/exports/entries-<first>_<last>.<ext>`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, Days, Months, NaiveDate, Utc};

use super::Report;
use crate::config::{Config, ExportFormat, ExportPeriod};
use crate::domain::time::days_range;
use crate::service::{Actor, Services};

/// The previous complete period before `today`: its first and last day.
pub fn previous_period(today: NaiveDate, period: ExportPeriod) -> (NaiveDate, NaiveDate) {
    match period {
        ExportPeriod::Day => {
            let d = today - Days::new(1);
            (d, d)
        }
        ExportPeriod::Week => {
            let this_monday = today - Days::new(today.weekday().num_days_from_monday() as u64);
            (this_monday - Days::new(7), this_monday - Days::new(1))
        }
        ExportPeriod::Month => {
            let first = today.with_day(1).expect("day 1 exists");
            (first - Months::new(1), first - Days::new(1))
        }
    }
}

pub async fn run(svc: Services, cfg: Arc<Config>) -> Result<Report, String> {
    let tz = cfg.jobs.time_zone;
    let today = Utc::now().with_timezone(&tz).date_naive();
    let (first, last) = previous_period(today, cfg.jobs.export_period);
    let (from_ms, to_ms) = days_range(first, last, tz);
    let rows = svc
        .exports()
        .rows(from_ms, to_ms)
        .await
        .map_err(|e| e.to_string())?;
    let dir = cfg.data_dir.join("exports");
    let ext = match cfg.jobs.export_format {
        ExportFormat::Csv => "csv",
        ExportFormat::Json => "json",
    };
    let path = dir.join(format!("entries-{first}_{last}.{ext}"));
    let bytes = match cfg.jobs.export_format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for r in &rows {
                w.serialize(r).map_err(|e| format!("writing CSV: {e}"))?;
            }
            if rows.is_empty() {
                // A header line even for an empty period, so the file reads as a table.
                w.write_record(HEADER)
                    .map_err(|e| format!("writing CSV: {e}"))?;
            }
            w.into_inner().map_err(|e| format!("writing CSV: {e}"))?
        }
        ExportFormat::Json => serde_json::to_vec_pretty(&rows).map_err(|e| e.to_string())?,
    };
    write_atomically(&dir, &path, &bytes)?;
    let shown = path.display().to_string();
    svc.exports()
        .audit_written(&Actor::system(), &shown, &rows)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Report {
        counts: BTreeMap::from([
            ("entries".to_owned(), rows.len() as i64),
            ("bytes".to_owned(), bytes.len() as i64),
        ]),
        detail: Some(shown),
    })
}

const HEADER: [&str; 15] = [
    "entry_id",
    "user_id",
    "user_email",
    "user_name",
    "project",
    "client",
    "task",
    "start",
    "end",
    "duration_seconds",
    "billable",
    "rate_cents",
    "currency",
    "tags",
    "note",
];

/// Writes `bytes` to `path` through a temporary file, fsynced, then renamed (mode 0600).
pub fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tmp = path.with_extension("part");
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(fail)?;
    f.write_all(bytes).map_err(fail)?;
    f.sync_all().map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_period_is_the_last_complete_one() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let wed = d("2026-11-25");
        assert_eq!(
            previous_period(wed, ExportPeriod::Day),
            (d("2026-11-24"), d("2026-11-24"))
        );
        assert_eq!(
            previous_period(wed, ExportPeriod::Week),
            (d("2026-11-16"), d("2026-11-22"))
        );
        assert_eq!(
            previous_period(d("2026-11-23"), ExportPeriod::Week),
            (d("2026-11-16"), d("2026-11-22"))
        );
        assert_eq!(
            previous_period(wed, ExportPeriod::Month),
            (d("2026-10-01"), d("2026-10-31"))
        );
        assert_eq!(
            previous_period(d("2026-03-01"), ExportPeriod::Month),
            (d("2026-02-01"), d("2026-02-28"))
        );
    }
}
