//! Tests of the PDF writer (`pdf.rs`).
use super::*;
use crate::export::pdf_metrics::winansi_byte;
use chrono::{DateTime, Duration, FixedOffset, TimeZone};

fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<FixedOffset> {
    let tz = FixedOffset::east_opt(3600).expect("offset");
    let t = tz.with_ymd_and_hms(2026, month, day, hour, minute, 0);
    t.single().expect("time")
}

fn row(user: &str, name: &str, day: u32, hour: u32, minutes: i64) -> ExportRow {
    let start = at(11, day, hour, 0);
    let pick = |yes: bool, a: &str, b: &str| if yes { a } else { b }.to_string();
    ExportRow {
        entry_id: format!("e-{user}-{day}-{hour}"),
        user_id: user.into(),
        user_email: format!("{user}@example.com"),
        user_name: name.into(),
        client: pick(hour != 9, "Acme", ""),
        project: pick(hour < 12, "Backups", "Helpdesk"),
        task: pick(hour == 9, "Rotate keys", ""),
        tags: vec![],
        note: format!("Work item {day}/{hour}: a fairly long note that must be cut short"),
        start,
        end: start + Duration::minutes(minutes),
        duration_seconds: minutes * 60,
        billable: hour != 16,
        rate_cents: Some(9000),
        amount_cents: (hour != 16).then_some(minutes * 150),
        currency: pick(hour == 14, "USD", "EUR"),
        week_state: Some(match start.date_naive().iso_week().week() {
            45 => "approved",
            46 => "submitted",
            _ => "open",
        }),
        tickets: Vec::new(),
    }
}

/// Two people, three weeks (2026-11-02 to 2026-11-20), four entries a working day.
fn rows() -> Vec<ExportRow> {
    let mut rows = Vec::new();
    for (user, name) in [("ada", "Ada Lovelace"), ("grace", "Grace Hopper")] {
        for day in (2..=20).filter(|d| !matches!(d % 7, 0 | 1)) {
            for (hour, minutes) in [(9, 90), (11, 45), (14, 120), (16, 65)] {
                rows.push(row(user, name, day, hour, minutes));
            }
        }
    }
    rows[3].note = "(parens) \\ backslash € and 日本".into();
    rows[7].start = at(11, 3, 22, 0);
    rows[7].end = at(11, 4, 2, 0);
    rows[7].duration_seconds = 4 * 3600;
    rows
}

fn pdf(rows: &[ExportRow]) -> Vec<u8> {
    let info = ExportInfo {
        title: "Timesheet — Ada Lovelace".into(),
        from: NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        to: NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
        time_zone: "Europe/Berlin".into(),
        generated_at: at(12, 5, 14, 3),
        generated_by: "Ada Lovelace".into(),
        filters: vec!["Project: Backups".into(), "Billable: any".into()],
    };
    let mut out = Vec::new();
    write(&info, rows, &mut out).expect("write");
    assert!(out.starts_with(b"%PDF-"));
    out
}

/// The text of `pdf` through `pdftotext -layout`, when it is installed.
fn extract(pdf: &[u8], name: &str) -> Option<String> {
    let tool = std::path::Path::new("/usr/bin/pdftotext");
    if !tool.exists() {
        return None;
    }
    let file = format!("ophiontt-pdf-{name}-{}.pdf", std::process::id());
    let path = std::env::temp_dir().join(file);
    std::fs::write(&path, pdf).expect("temp file");
    let out = std::process::Command::new(tool)
        .args(["-layout".as_ref(), path.as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "pdftotext failed");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn winansi_covers_the_cp1252_extras() {
    assert_eq!(winansi_byte('€'), Some(0x80));
    assert_eq!(winansi_byte('é'), Some(0xE9));
    assert_eq!(winansi_byte('–'), Some(0x96));
    assert_eq!(winansi_byte('›'), Some(0x9B));
    assert_eq!(winansi_byte('日'), None);
    assert_eq!(encode_winansi("a\n日"), b"a ?");
}

#[test]
fn long_text_is_cut_to_its_column() {
    let bytes = fit(&"word ".repeat(100), BODY, C_NOTE.1);
    assert!(bytes_width(false, &bytes, BODY.size) <= C_NOTE.1);
    assert_eq!(bytes.last(), Some(&0x85));
    assert_eq!(fit("short", BODY_BOLD, C_NOTE.1), b"short");
}

#[test]
fn rows_read_as_people_write_them() {
    let rows = rows();
    assert_eq!(time_range(&rows[0]), "09:00–10:30");
    assert_eq!(time_range(&rows[7]), "22:00–02:00 +1");
    assert_eq!(project_task(&rows[0]), "Backups · Rotate keys");
    assert_eq!(project_task(&rows[2]), "Acme › Helpdesk");
    let week = week_subtotal(&rows[20..40]);
    assert_eq!(
        week,
        "Week 46 (2026-11-09 – 2026-11-15): 26:40 · submitted for approval"
    );
}

#[test]
fn a_full_report_reads_back() {
    let rows = rows();
    assert_eq!(rows.len(), 120);
    let Some(text) = extract(&pdf(&rows), "full") else {
        return;
    };
    let secs = total_seconds(rows.iter());
    let grand = format!("Total {} {} h", clock(secs), hours(secs));
    for needle in [
        "Timesheet — Ada Lovelace",
        "Period: 2026-11-01 – 2026-11-30 (Europe/Berlin)",
        "Generated 2026-12-05 14:03 by Ada Lovelace",
        "Billable: any",
        "Page 1 of ",
        "Ada Lovelace <ada@example.com>",
        "Grace Hopper <grace@example.com>",
        "Week 45 (2026-11-02 – 2026-11-08): 29:35 · approved",
        "22:00–02:00 +1",
        "(parens) \\ backslash € and ??",
        "Acme › Backups",
        "must be…",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    let pages = text.matches("Page ").count();
    assert!(pages >= 3 && text.contains(&format!("Page {pages} of {pages}")));
    let words = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
    let lines: Vec<String> = text.lines().map(words).collect();
    for line in [grand.as_str(), "Billable amount 5400.00 USD"] {
        assert!(lines.iter().any(|l| l == line), "no {line:?}");
    }
}

#[test]
fn no_rows_still_make_a_page() {
    let Some(text) = extract(&pdf(&[]), "empty") else {
        return;
    };
    assert!(text.contains("No entries in this period."));
    assert!(text.contains("Page 1 of 1"));
    assert!(text
        .lines()
        .any(|l| l.contains("Total") && l.contains("0:00")));
}
