//! The `export` job: the previous complete day, week (Monday first) or month of everyone's
//! finished entries, in any export format, into `<data>/exports/entries-<first>_<last>.<ext>`.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, Days, Months, NaiveDate, Utc};

use super::Report;
use crate::config::{Config, ExportPeriod};
use crate::service::{Actor, ExportQuery, Services};

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
    let format = cfg.jobs.export_format;
    let path = cfg
        .data_dir
        .join("exports")
        .join(format!("entries-{first}_{last}.{}", format.name()));
    let mut q = ExportQuery::new(format);
    (q.from, q.to, q.time_zone) = (Some(first), Some(last), Some(tz));
    let (_, written) = svc
        .exports()
        .to_file(&Actor::system(), q, &path)
        .await
        .map_err(|e| e.to_string())?;
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(Report {
        counts: BTreeMap::from([
            ("entries".to_owned(), written.entries as i64),
            ("bytes".to_owned(), bytes as i64),
        ]),
        // The period first: a run on a Friday writes the week before, which the admin should
        // not mistake for this one.
        detail: Some(format!(
            "{first} to {last} ({}): {}",
            tz.name(),
            path.display()
        )),
    })
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
