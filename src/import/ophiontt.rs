//! OphionTT's own JSON export (`format` "ophiontt.entries", `version` 1), as `export::json`
//! in this repository writes it: a header object whose `entries` array holds one object per
//! entry, `start` and `end` in RFC 3339 with their offset (fractional seconds kept to the
//! millisecond).
//!
//! A JSON syntax error, or a file of another format or version, is a `FileError::Malformed`
//! naming its line. A bad entry is a `RowError` at the line its object starts on (found from
//! byte offsets by [`jsonpos`](super::jsonpos)); should that ever fail, the error is at the
//! line of `"entries"` and its message names the entry's position ("entry 3: …").
//!
//! Required per entry: `entry_id`, `start`, and `end` or `duration_seconds`. Optional:
//! `user_email`, `user_name`, `client`, `project`, `task` (empty is none), `tags`, `note`,
//! `billable`. Other fields (ids, money, `week_state`,
//! `tickets`, which the note and task title give again) are not read.

use std::collections::HashMap;

use chrono::DateTime;
use serde::Deserialize;
use serde_json::Value;

use super::csvfile;
use super::fields;
use super::fingerprint::push_unique;
use super::jsonpos;
use super::row::{FileError, ImportRow, Options, Parsed, RowError};
use super::tabular::check_order;

/// The `format` an OphionTT entries export names.
pub const FORMAT: &str = "ophiontt.entries";
/// The one version read.
pub const VERSION: u64 = 1;

/// One entry as the export writes it.
#[derive(Debug, Deserialize)]
struct RawEntry {
    entry_id: String,
    #[serde(default)]
    user_email: Option<String>,
    #[serde(default)]
    user_name: Option<String>,
    #[serde(default)]
    client: Option<String>,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    task: Option<String>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    note: Option<String>,
    start: String,
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    duration_seconds: Option<i64>,
    #[serde(default)]
    billable: Option<bool>,
}

/// Reads an OphionTT JSON export. Its times carry their offsets, so `_opts` is not needed.
pub fn parse(bytes: &[u8], _opts: &Options) -> Result<Parsed, FileError> {
    let text = csvfile::text(bytes)?;
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let what = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(w, _)| w);
        FileError::Malformed {
            line: e.line().max(1),
            message: format!("not valid JSON (column {}): {what}", e.column()),
        }
    })?;
    let malformed = |line: usize, message: String| FileError::Malformed { line, message };
    let Some(top) = doc.as_object() else {
        return Err(malformed(
            1,
            "not an OphionTT export: not a JSON object".into(),
        ));
    };
    let layout = jsonpos::layout(text, "entries").unwrap_or_default();
    let line_of = |key: &str| {
        layout
            .keys
            .get(key)
            .map_or(1, |&o| jsonpos::line_at(text, o))
    };

    match top.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => {
            return Err(malformed(
                line_of("format"),
                format!("\"format\" is {other}, not {FORMAT:?}: not an OphionTT entries export"),
            ))
        }
        None => {
            return Err(malformed(
                1,
                format!("no \"format\": not an OphionTT entries export ({FORMAT:?})"),
            ))
        }
    }
    match top.get("version") {
        Some(v) if v.as_u64() == Some(VERSION) => {}
        Some(v) => {
            return Err(malformed(
                line_of("version"),
                format!("\"version\" {v} is not one this OphionTT reads (version {VERSION})"),
            ))
        }
        None => return Err(malformed(1, "no \"version\"".into())),
    }
    let Some(entries) = top.get("entries").and_then(Value::as_array) else {
        return Err(malformed(line_of("entries"), "no \"entries\" list".into()));
    };

    let lines = jsonpos::lines_at(text, &layout.elements);
    let lines_known = lines.len() == entries.len();
    let mut parsed = Parsed::default();
    let mut seen = HashMap::new();
    for (i, value) in entries.iter().enumerate() {
        let (line, prefix) = match lines.get(i) {
            Some(&line) if lines_known => (line, String::new()),
            _ => (line_of("entries"), format!("entry {}: ", i + 1)),
        };
        match entry(value, line) {
            Ok(row) => push_unique(&mut parsed, &mut seen, row),
            Err(message) => parsed.errors.push(RowError {
                line,
                message: format!("{prefix}{message}"),
            }),
        }
    }
    Ok(parsed)
}

fn entry(value: &Value, line: usize) -> Result<ImportRow, String> {
    if !value.is_object() {
        return Err(format!("the entry is not a JSON object but {value}"));
    }
    let raw = RawEntry::deserialize(value).map_err(|e| e.to_string())?;
    let id = raw.entry_id.trim();
    if id.is_empty() {
        return Err("entry_id is empty".into());
    }
    let time = |name: &str, s: &str| {
        DateTime::parse_from_rfc3339(s.trim())
            .map(|t| t.timestamp_millis())
            .map_err(|_| format!("{name}: {s:?} is not an RFC 3339 time with an offset"))
    };
    let start_ms = time("start", &raw.start)?;
    let (end_ms, end_shown) = match (raw.end.as_deref().map(str::trim), raw.duration_seconds) {
        (Some(end), _) if !end.is_empty() => (time("end", end)?, end.to_string()),
        (_, Some(secs)) => {
            let end_ms = secs
                .checked_mul(1000)
                .and_then(|ms| start_ms.checked_add(ms))
                .ok_or_else(|| format!("duration_seconds: {secs} is out of range"))?;
            (end_ms, format!("start + {secs} s"))
        }
        _ => return Err("end is empty and there is no duration_seconds".into()),
    };
    check_order(start_ms, end_ms, raw.start.trim(), &end_shown)?;
    let optional = |s: &Option<String>| s.as_deref().and_then(fields::optional);
    Ok(ImportRow {
        line,
        source_id: format!("ophiontt:{id}"),
        user_email: raw.user_email.as_deref().and_then(fields::email),
        user_name: optional(&raw.user_name),
        client: optional(&raw.client),
        project: optional(&raw.project),
        task: optional(&raw.task),
        tags: raw
            .tags
            .unwrap_or_default()
            .iter()
            .filter_map(|t| fields::optional(t))
            .collect(),
        note: raw.note.as_deref().map(fields::text).unwrap_or_default(),
        start_ms,
        end_ms,
        billable: raw.billable.unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, SecondsFormat, TimeZone};

    use super::*;
    use crate::import::testing::{berlin, berlin_opts};

    const SAMPLE: &[u8] = include_bytes!("../../tests/import/samples/ophiontt.json");

    fn read(bytes: &[u8]) -> Result<Parsed, FileError> {
        parse(bytes, &berlin_opts())
    }

    #[test]
    fn the_sample() {
        let p = read(SAMPLE).expect("reads");
        assert_eq!(p.errors, []);
        let lines: Vec<usize> = p.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, (2..=11).collect::<Vec<_>>());
        let ada = &p.rows[0];
        assert_eq!(
            ada.source_id,
            "ophiontt:0193a1f0-5c2e-7b41-9d3a-1e2f3a4b5c00"
        );
        assert_eq!(ada.start_ms, berlin("2026-11-02 09:00"));
        // "10:30:00.250+01:00": to the millisecond.
        assert_eq!(ada.end_ms, ada.start_ms + 5_400_250);
        assert_eq!(ada.tags, ["ops", "backup"]);
        assert_eq!(p.rows[1].user_name.as_deref(), Some("Zoë Müller"));
        assert_eq!(
            p.rows[2].note,
            "Called back about \"VPN down\", then\nwrote the summary"
        );
        let meeting = &p.rows[3];
        assert_eq!(
            (meeting.client.as_deref(), meeting.task.as_deref()),
            (None, None)
        );
        assert!(!meeting.billable);
        assert_eq!(p.rows[4].end_ms, berlin("2026-11-06 01:15"));
        assert_eq!(p.rows[6].project, None);
    }

    /// Rows written back the way `export::json` writes them read back the same, to the ms.
    #[test]
    fn round_trip_keeps_milliseconds() {
        let rows = read(SAMPLE).expect("reads").rows;
        let cet = FixedOffset::east_opt(3600).expect("offset");
        let stamp = |ms: i64| {
            cet.timestamp_millis_opt(ms)
                .single()
                .expect("in range")
                .to_rfc3339_opts(SecondsFormat::AutoSi, false)
        };
        let mut text = String::from("{\"format\":\"ophiontt.entries\",\"version\":1,\"entries\":[");
        for (i, r) in rows.iter().enumerate() {
            let entry = serde_json::json!({
                "entry_id": r.source_id.trim_start_matches("ophiontt:"),
                "user_email": r.user_email.clone().unwrap_or_default(),
                "user_name": r.user_name.clone().unwrap_or_default(),
                "client": r.client.clone().unwrap_or_default(),
                "project": r.project.clone().unwrap_or_default(),
                "task": r.task.clone().unwrap_or_default(),
                "tags": r.tags,
                "note": r.note,
                "start": stamp(r.start_ms),
                "end": stamp(r.end_ms),
                "billable": r.billable,
                // Written since ticket links (issue 17); derived, so not read back.
                "tickets": [{ "id": "OPS-1", "url": "https://t.example/OPS-1", "source": "jira" }],
            });
            text.push_str(if i == 0 { "\n" } else { ",\n" });
            text.push_str(&entry.to_string());
        }
        text.push_str("\n]}\n");
        assert!(text.contains("\"2026-11-02T10:30:00.250+01:00\""));
        assert_eq!(read(text.as_bytes()).expect("reads").rows, rows);
        // Sub-millisecond digits do not round up.
        let fine = text.replace("10:30:00.250+01:00", "10:30:00.250999+01:00");
        assert_eq!(
            read(fine.as_bytes()).expect("reads").rows[0].end_ms,
            rows[0].end_ms
        );
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let err = read(include_bytes!(
            "../../tests/import/broken/ophiontt-syntax.json"
        ));
        let Err(FileError::Malformed { line, message }) = err else {
            panic!("not malformed: {err:?}");
        };
        assert_eq!(line, 3);
        assert!(message.starts_with("not valid JSON (column "), "{message}");
    }

    #[test]
    fn another_version_or_format_is_refused() {
        let err = read(include_bytes!(
            "../../tests/import/broken/ophiontt-version.json"
        ));
        assert_eq!(
            err.map(|p| p.rows),
            Err(FileError::Malformed {
                line: 3,
                message: "\"version\" 2 is not one this OphionTT reads (version 1)".into()
            })
        );
        let other = read(br#"{"format":"toggl.entries","version":1,"entries":[]}"#).map(|p| p.rows);
        assert!(matches!(other, Err(FileError::Malformed { line: 1, .. })));
        let list = read(b"[1, 2]").map(|p| p.rows);
        assert!(matches!(list, Err(FileError::Malformed { line: 1, .. })));
    }

    #[test]
    fn bad_entries_are_row_errors_at_their_lines() {
        let p = read(include_bytes!(
            "../../tests/import/broken/ophiontt-bad-entries.json"
        ))
        .expect("reads");
        let e = |line, message: &str| RowError {
            line,
            message: message.into(),
        };
        assert_eq!(
            p.errors,
            [
                e(
                    4,
                    "End (2026-11-02T08:00:00+01:00) is before Start (2026-11-02T09:00:00+01:00)"
                ),
                e(5, "missing field `start`"),
                e(10, "duplicate of line 3: the same entry twice"),
                e(
                    11,
                    "start: \"2026-11-02 09:00\" is not an RFC 3339 time with an offset"
                ),
                e(
                    13,
                    "the entry is longer than 24 hours (Start 2026-11-04T09:00:00+01:00, \
                     End 2026-11-05T09:00:00.001+01:00)"
                ),
                e(14, "the entry is not a JSON object but \"not an object\""),
            ]
        );
        assert_eq!(p.rows.len(), 2);
        let first = &p.rows[0];
        assert_eq!(first.line, 3);
        assert_eq!(first.user_email.as_deref(), Some("ada@example.com"));
        assert_eq!(
            (first.client.as_deref(), first.task.as_deref()),
            (None, None)
        );
        assert_eq!(first.tags, ["ops"]);
        // Only a duration: end = start + duration_seconds.
        assert_eq!(p.rows[1].line, 12);
        assert_eq!(p.rows[1].end_ms - p.rows[1].start_ms, 1_800_000);
    }
}
