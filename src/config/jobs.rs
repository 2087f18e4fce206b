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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Clone)]
pub struct JobsConfig {
    pub time_zone: chrono_tz::Tz,
    pub backup: Option<Schedule>,
    pub export: Option<Schedule>,
    pub export_period: ExportPeriod,
    pub export_format: ExportFormat,
    pub expire_sessions: Option<Schedule>,
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
        5 => format!("0 {expr}"),
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
    let export_format = match get("jobs.export_format").trim() {
        "csv" => ExportFormat::Csv,
        "json" => ExportFormat::Json,
        _ => return Err(bad("jobs.export_format", "not csv or json")),
    };
    let jobs = JobsConfig {
        time_zone,
        backup: schedule("jobs.backup")?,
        export: schedule("jobs.export")?,
        export_period,
        export_format,
        expire_sessions: schedule("jobs.expire_sessions")?,
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
        assert!(parse_schedule("99 2 * * *")
            .unwrap_err()
            .contains("not a cron expression"));
    }
}
