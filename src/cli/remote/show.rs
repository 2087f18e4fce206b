//! How the terminal client writes entries for a person: durations, local times in the user's
//! time zone, `Client / Project` labels, and the aligned table of `timer log`. Reads the
//! server's `EntryDto` JSON as it comes; knows nothing of HTTP.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::Value;

/// `1h 05m`, `42m`, `12s`, `0m`.
pub fn duration(secs: i64) -> String {
    let secs = secs.max(0);
    match (secs / 3600, secs % 3600 / 60) {
        (0, 0) if secs > 0 => format!("{secs}s"),
        (0, m) => format!("{m}m"),
        (h, m) => format!("{h}h {m:02}m"),
    }
}

/// The user's time zone from `GET /api/v1/me`'s `time_zone`; UTC when unknown.
pub fn zone(me: &Value) -> Tz {
    me["time_zone"]
        .as_str()
        .and_then(|z| z.parse().ok())
        .unwrap_or(Tz::UTC)
}

/// An RFC 3339 field of an entry.
pub fn instant(v: &Value) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(v.as_str()?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `09:14` in `tz`.
pub fn clock(v: &Value, tz: Tz) -> String {
    instant(v)
        .map(|t| t.with_timezone(&tz).format("%H:%M").to_string())
        .unwrap_or_else(|| "?".to_owned())
}

/// The local date an entry starts on.
pub fn start_date(e: &Value, tz: Tz) -> Option<NaiveDate> {
    instant(&e["start"]).map(|t| t.with_timezone(&tz).date_naive())
}

/// `Mon 23 Nov`.
pub fn day(d: NaiveDate) -> String {
    d.format("%a %d %b").to_string()
}

/// `Acme Corp / Backups`, or `Backups` without a client.
pub fn label(e: &Value) -> String {
    let project = e["project_name"].as_str().unwrap_or("?");
    match e["client_name"].as_str() {
        Some(c) => format!("{c} / {project}"),
        None => project.to_owned(),
    }
}

/// `#ops #oncall`, plus `(billable)` when the entry is.
pub fn tags(e: &Value) -> String {
    let mut parts: Vec<String> = e["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str())
        .map(|t| format!("#{t}"))
        .collect();
    if e["billable"] == true {
        parts.push("(billable)".to_owned());
    }
    parts.join(" ")
}

/// `09:14–10:26`, or `09:14–now` while it runs.
pub fn span(e: &Value, tz: Tz) -> String {
    let end = if e["end"].is_null() {
        "now".to_owned()
    } else {
        clock(&e["end"], tz)
    };
    format!("{}–{end}", clock(&e["start"], tz))
}

/// One line about an entry: `Acme Corp / Backups #ops (billable): rotating keys`.
pub fn summary(e: &Value) -> String {
    let mut s = label(e);
    let t = tags(e);
    if !t.is_empty() {
        s.push(' ');
        s.push_str(&t);
    }
    if let Some(n) = e["note"].as_str().filter(|n| !n.is_empty()) {
        s.push_str(": ");
        s.push_str(n);
    }
    s
}

/// The rows of `timer log`, oldest first: time span, duration, project, tags, note; a day
/// heading with its total before each day's rows when `by_day`; the total last.
pub fn log_table(entries: &[Value], tz: Tz, by_day: bool) -> String {
    let rows: Vec<[String; 5]> = entries
        .iter()
        .map(|e| {
            let mut note = e["note"].as_str().unwrap_or("").to_owned();
            if e["end"].is_null() {
                note = format!("{note} (running)").trim_start().to_owned();
            }
            [
                span(e, tz),
                duration(e["duration_seconds"].as_i64().unwrap_or(0)),
                label(e),
                tags(e),
                note,
            ]
        })
        .collect();
    let width = |k: usize| {
        rows.iter()
            .map(|r| r[k].chars().count())
            .max()
            .unwrap_or(0)
            .min(40)
    };
    let w: Vec<usize> = (0..4).map(width).collect();
    let mut out = String::new();
    let mut current: Option<NaiveDate> = None;
    for (e, r) in entries.iter().zip(&rows) {
        let d = start_date(e, tz);
        if by_day && d != current {
            current = d;
            let total: i64 = entries
                .iter()
                .filter(|x| start_date(x, tz) == d)
                .map(|x| x["duration_seconds"].as_i64().unwrap_or(0))
                .sum();
            let name = d.map(day).unwrap_or_default();
            out.push_str(&format!("{name}  {}\n", duration(total)));
        }
        let line = format!(
            "  {:<w0$}  {:>w1$}  {:<w2$}  {:<w3$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3],
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let total: i64 = entries
        .iter()
        .map(|e| e["duration_seconds"].as_i64().unwrap_or(0))
        .sum();
    out.push_str(&format!("Total {}\n", duration(total)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_read_as_hours_and_minutes() {
        assert_eq!(duration(5400), "1h 30m");
        assert_eq!(duration(3900), "1h 05m");
        assert_eq!(duration(2520), "42m");
        assert_eq!(duration(12), "12s");
        assert_eq!(duration(0), "0m");
    }

    #[test]
    fn the_log_aligns_columns_groups_days_and_totals() {
        let tz: Tz = "Europe/London".parse().unwrap();
        let e = |start: &str, end: Option<&str>, secs: i64, client: Option<&str>| {
            json!({ "start": start, "end": end, "duration_seconds": secs,
                    "project_name": "VPN", "client_name": client, "tags": ["ops"],
                    "billable": false, "note": "call" })
        };
        let list = [
            e(
                "2026-11-23T09:00:00Z",
                Some("2026-11-23T10:30:00Z"),
                5400,
                Some("Acme"),
            ),
            e("2026-11-24T11:00:00Z", None, 600, None),
        ];
        let table = log_table(&list, tz, true);
        assert_eq!(
            table,
            "Mon 23 Nov  1h 30m\n  09:00–10:30  1h 30m  Acme / VPN  #ops  call\n\
             Tue 24 Nov  10m\n  11:00–now       10m  VPN         #ops  call (running)\n\
             Total 1h 40m\n"
        );
    }
}
