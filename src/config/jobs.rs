//! The `[jobs]` and `[backup]` keys: cron schedules read in one time zone, what the export job
//! writes, and how scheduled backups are kept and encrypted.

use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A job's schedule: the expression as configured, and the parsed form.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub expr: String,
    pub cron: cron::Schedule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportPeriod {
    Day,
    Week,
    Month,
}

/// The export job's file format: any export format.
pub type ExportFormat = crate::export::Format;

#[derive(Debug, Clone)]
pub struct JobsConfig {
    pub time_zone: chrono_tz::Tz,
    pub backup: Option<Schedule>,
    pub export: Option<Schedule>,
    pub export_period: ExportPeriod,
    pub export_format: ExportFormat,
    pub expire_sessions: Option<Schedule>,
    pub audit_checkpoint: Option<Schedule>,
    pub retention: Option<Schedule>,
    pub week_lock: Option<Schedule>,
    pub privacy_reminders: Option<Schedule>,
}

#[derive(Debug, Clone)]
pub struct BackupConfig {
    pub dir: PathBuf,
    pub keep_daily: u32,
    pub keep_weekly: u32,
    pub keep_monthly: u32,
    pub encrypt_to: Option<String>,
    pub passphrase_file: Option<PathBuf>,
}

/// Parses a cron expression; the five-field crontab form gets a `0` seconds field in front
/// (the `cron` crate wants seconds). `Err` says what is wrong, for the caller to name the key.
pub fn parse_schedule(text: &str) -> Result<Option<Schedule>, String> {
    let expr = text.trim();
    if expr.is_empty() {
        return Ok(None);
    }
    let fields = expr.split_whitespace().count();
    let full = match fields {
        5 => {
            let mut f: Vec<String> = expr.split_whitespace().map(str::to_owned).collect();
            f[4] = crontab_weekdays(&f[4])?;
            format!("0 {}", f.join(" "))
        }
        6 | 7 => expr.to_owned(),
        n => {
            return Err(format!(
                "{n} fields; a cron expression has 5 (or 6 with seconds first)"
            ))
        }
    };
    let cron =
        cron::Schedule::from_str(&full).map_err(|e| format!("not a cron expression: {e}"))?;
    Ok(Some(Schedule {
        expr: expr.to_owned(),
        cron,
    }))
}

/// Crontab numbers weekdays 0–7 from Sunday (0 and 7 both Sunday); the `cron` crate numbers
/// them 1–7 from Sunday. Rewrites a crontab day-of-week field (numbers, ranges, lists, steps
/// over ranges; names and `*` pass through) into the crate's numbering.
fn crontab_weekdays(field: &str) -> Result<String, String> {
    let num = |t: &str| -> Result<Option<u32>, String> {
        if t.chars().all(|c| c.is_ascii_digit()) {
            match t.parse::<u32>() {
                Ok(n) if n <= 7 => Ok(Some(n)),
                _ => Err(format!("day of week `{t}` is not 0–7 (0 and 7 are Sunday)")),
            }
        } else {
            Ok(None)
        }
    };
    let crate_day = |n: u32| n % 7 + 1;
    let mut out = Vec::new();
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().ok().filter(|s| *s > 0)),
            None => (part, None),
        };
        let bounds = match range.split_once('-') {
            Some((a, b)) => match (num(a)?, num(b)?) {
                (Some(a), Some(b)) if a <= b => Some((a, b)),
                (Some(_), Some(_)) => {
                    return Err(format!("day-of-week range `{range}` runs backwards"))
                }
                _ => None,
            },
            None => num(range)?.map(|n| (n, n)),
        };
        match bounds {
            Some((a, b)) => {
                let days: Vec<String> = (a..=b)
                    .step_by(step.unwrap_or(1) as usize)
                    .map(|n| crate_day(n).to_string())
                    .collect();
                out.extend(days);
            }
            None => out.push(part.to_owned()),
        }
    }
    out.dedup();
    Ok(out.join(","))
}

/// Builds both sections; `get(key)` is the raw value, `bad(key, why)` the error naming it.
pub fn build(
    get: &dyn Fn(&str) -> String,
    bad: &dyn Fn(&'static str, &str) -> String,
    data_dir: &Path,
) -> Result<(JobsConfig, BackupConfig), String> {
    let schedule = |k: &'static str| parse_schedule(&get(k)).map_err(|why| bad(k, &why));
    let time_zone = get("jobs.time_zone")
        .trim()
        .parse::<chrono_tz::Tz>()
        .map_err(|_| bad("jobs.time_zone", "not an IANA time zone"))?;
    let export_period = match get("jobs.export_period").trim() {
        "day" => ExportPeriod::Day,
        "week" => ExportPeriod::Week,
        "month" => ExportPeriod::Month,
        _ => return Err(bad("jobs.export_period", "not day, week or month")),
    };
    let export_format = match ExportFormat::parse(get("jobs.export_format").trim()) {
        Some(f) => f,
        None => return Err(bad("jobs.export_format", "not csv, json, xlsx, ics or pdf")),
    };
    let jobs = JobsConfig {
        time_zone,
        backup: schedule("jobs.backup")?,
        export: schedule("jobs.export")?,
        export_period,
        export_format,
        expire_sessions: schedule("jobs.expire_sessions")?,
        audit_checkpoint: schedule("jobs.audit_checkpoint")?,
        retention: schedule("jobs.retention")?,
        week_lock: schedule("jobs.week_lock")?,
        privacy_reminders: schedule("jobs.privacy_reminders")?,
    };
    let keep = |k: &'static str| {
        get(k)
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 1000)
            .ok_or_else(|| bad(k, "not an integer from 0 to 1000"))
    };
    let opt = |k: &str| Some(get(k).trim().to_owned()).filter(|v| !v.is_empty());
    let encrypt_to = opt("backup.encrypt_to");
    if let Some(r) = &encrypt_to {
        if r.parse::<age::x25519::Recipient>().is_err() {
            return Err(bad("backup.encrypt_to", "not an age recipient (age1…)"));
        }
    }
    let passphrase_file = opt("backup.passphrase_file").map(PathBuf::from);
    if encrypt_to.is_some() && passphrase_file.is_some() {
        return Err(bad(
            "backup.passphrase_file",
            "set together with backup.encrypt_to; choose one",
        ));
    }
    let backup = BackupConfig {
        dir: opt("backup.dir")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("backups")),
        keep_daily: keep("backup.keep_daily")?,
        keep_weekly: keep("backup.keep_weekly")?,
        keep_monthly: keep("backup.keep_monthly")?,
        encrypt_to,
        passphrase_file,
    };
    Ok((jobs, backup))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_and_six_field_expressions_are_accepted_and_others_are_explained() {
        let s = parse_schedule("30 2 * * *").unwrap().unwrap();
        let next = s.cron.upcoming(chrono::Utc).next().unwrap();
        assert_eq!(next.format("%H:%M:%S").to_string(), "02:30:00");
        assert!(parse_schedule("0 30 2 * * *").unwrap().is_some());
        assert!(parse_schedule("  ").unwrap().is_none());
        assert!(parse_schedule("30 2 * *").unwrap_err().contains("4 fields"));
        // Crontab weekdays: 1 is Monday, 0 and 7 are Sunday, ranges and names work.
        use chrono::{Datelike, TimeZone, Weekday};
        let from = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
            .unwrap(); // a Monday
        let next_day = |e: &str| {
            let s = parse_schedule(e).unwrap().unwrap();
            s.cron.after(&from).next().unwrap().weekday()
        };
        assert_eq!(next_day("30 2 * * 1"), Weekday::Mon);
        assert_eq!(next_day("30 2 * * 0"), Weekday::Sun);
        assert_eq!(next_day("30 2 * * 7"), Weekday::Sun);
        assert_eq!(next_day("30 2 * * 5-6"), Weekday::Fri);
        assert_eq!(next_day("30 2 * * SUN"), Weekday::Sun);
        assert_eq!(next_day("30 2 * * 2,4"), Weekday::Tue);
        assert!(parse_schedule("0 2 * * 8").unwrap_err().contains("0–7"));
        assert!(parse_schedule("99 2 * * *")
            .unwrap_err()
            .contains("not a cron expression"));
    }
}
