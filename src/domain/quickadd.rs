//! The quick-add line: `1h30 acme/backups #ops #billable yesterday rotated RAID keys` or
//! `9:15-10:00 infra/vpn call with vendor`. Parsing is pure; resolving the project and turning
//! local times into instants happens in the service. Grammar (docs/user-guide.md):
//!
//! ```text
//! line     = when { token }
//! when     = duration | range          1h30  1h  45m  2h15m  1.5h  1,5h  1:30  |  9:15-10:00
//! token    = date | project | flag | tag | word
//! date     = today | yesterday | monday … sunday (the latest, today included) | YYYY-MM-DD
//! project  = client/project | /project  (names matched case-insensitively)
//! flag     = #billable | #nonbillable
//! tag      = #name
//! word     = anything else: the note, in order
//! ```

use chrono::{NaiveDate, NaiveTime, Weekday};

/// When the entry happened, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// A duration in seconds, ending now (today) or starting at 09:00 (another day).
    Duration(i64),
    /// Local start and end times on the entry's date.
    Range(NaiveTime, NaiveTime),
}

/// Which day, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {
    Today,
    Yesterday,
    Weekday(Weekday),
    Date(NaiveDate),
}

/// A parsed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickEntry {
    pub when: When,
    pub day: Day,
    /// (client name or empty, project name).
    pub project: Option<(String, String)>,
    pub tags: Vec<String>,
    pub billable: Option<bool>,
    pub note: String,
}

/// What is wrong, naming the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickError {
    pub code: &'static str,
    pub message: String,
}

fn err(code: &'static str, message: String) -> QuickError {
    QuickError { code, message }
}

/// Longest line accepted.
pub const MAX_LEN: usize = 1000;

pub fn parse(line: &str) -> Result<QuickEntry, QuickError> {
    if line.chars().count() > MAX_LEN {
        return Err(err(
            "quick.too_long",
            format!("the line is longer than {MAX_LEN} characters"),
        ));
    }
    let mut tokens = line.split_whitespace();
    let first = tokens.next().ok_or_else(|| {
        err(
            "quick.missing_time",
            "start with a duration like 1h30 or a time range like 9:15-10:00".into(),
        )
    })?;
    let when = parse_when(first)?;
    let mut q = QuickEntry {
        when,
        day: Day::Today,
        project: None,
        tags: Vec::new(),
        billable: None,
        note: String::new(),
    };
    let mut note: Vec<&str> = Vec::new();
    let mut day_set = false;
    for t in tokens {
        if let Some(tag) = t.strip_prefix('#') {
            match tag.to_lowercase().as_str() {
                "" => {
                    return Err(err(
                        "quick.bad_tag",
                        format!("`{t}`: a tag needs a name after #"),
                    ))
                }
                "billable" => q.billable = Some(true),
                "nonbillable" | "non-billable" => q.billable = Some(false),
                _ if tag.chars().count() > 40 => {
                    return Err(err(
                        "quick.bad_tag",
                        format!("`{t}`: a tag has at most 40 characters"),
                    ))
                }
                _ => q.tags.push(tag.to_owned()),
            }
        } else if let Some(day) = parse_day(t)? {
            if day_set {
                return Err(err(
                    "quick.bad_date",
                    format!("`{t}`: the day was already given"),
                ));
            }
            q.day = day;
            day_set = true;
        } else if let Some((client, project)) = t.split_once('/') {
            if q.project.is_some() {
                return Err(err(
                    "quick.bad_project",
                    format!("`{t}`: the project was already given"),
                ));
            }
            if project.is_empty() || project.contains('/') {
                return Err(err(
                    "quick.bad_project",
                    format!("`{t}`: write a project as client/project or /project"),
                ));
            }
            q.project = Some((client.to_owned(), project.to_owned()));
        } else {
            note.push(t);
        }
    }
    q.note = note.join(" ");
    Ok(q)
}

fn parse_when(t: &str) -> Result<When, QuickError> {
    let bad = || {
        err(
            "quick.bad_time",
            format!("`{t}`: not a duration (1h30, 45m, 1.5h, 1:30) or a time range (9:15-10:00)"),
        )
    };
    if let Some((a, b)) = t.split_once('-') {
        let (a, b) = (clock(a).ok_or_else(bad)?, clock(b).ok_or_else(bad)?);
        if b <= a {
            return Err(err(
                "quick.bad_time",
                format!("`{t}`: the end must be after the start"),
            ));
        }
        return Ok(When::Range(a, b));
    }
    let secs = duration(t).ok_or_else(bad)?;
    if secs <= 0 {
        return Err(err(
            "quick.bad_time",
            format!("`{t}`: the duration must be more than zero"),
        ));
    }
    if secs > 24 * 3600 {
        return Err(err(
            "quick.bad_time",
            format!("`{t}`: an entry can last at most 24 hours"),
        ));
    }
    Ok(When::Duration(secs))
}

/// `9:15`, `09:15`, `17:00`.
fn clock(s: &str) -> Option<NaiveTime> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// Seconds in `1h30`, `1h`, `45m`, `2h15m`, `1.5h`, `1,5h`, `1:30`.
fn duration(s: &str) -> Option<i64> {
    let s = s.to_lowercase();
    if let Some((h, m)) = s.split_once(':') {
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        return (m < 60 && s.split(':').nth(1)?.len() == 2).then_some(h * 3600 + m * 60);
    }
    if let Some(h) = s.strip_suffix('h') {
        if let Ok(whole) = h.parse::<i64>() {
            return whole.checked_mul(3600);
        }
        let frac: f64 = h
            .replace(',', ".")
            .parse()
            .ok()
            .filter(|f: &f64| f.is_finite() && *f >= 0.0 && *f <= 1000.0)?;
        return Some((frac * 3600.0).round() as i64);
    }
    if let Some((h, rest)) = s.split_once('h') {
        let m = rest.strip_suffix('m').unwrap_or(rest);
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        return (m < 60).then_some(h.checked_mul(3600)? + m * 60);
    }
    let m: i64 = s.strip_suffix('m')?.parse().ok()?;
    m.checked_mul(60)
}

fn parse_day(t: &str) -> Result<Option<Day>, QuickError> {
    let l = t.to_lowercase();
    let day = match l.as_str() {
        "today" => Day::Today,
        "yesterday" => Day::Yesterday,
        "monday" | "mon" => Day::Weekday(Weekday::Mon),
        "tuesday" | "tue" => Day::Weekday(Weekday::Tue),
        "wednesday" | "wed" => Day::Weekday(Weekday::Wed),
        "thursday" | "thu" => Day::Weekday(Weekday::Thu),
        "friday" | "fri" => Day::Weekday(Weekday::Fri),
        "saturday" | "sat" => Day::Weekday(Weekday::Sat),
        "sunday" | "sun" => Day::Weekday(Weekday::Sun),
        _ if l.len() == 10
            && l.as_bytes()[4] == b'-'
            && l.as_bytes()[7] == b'-'
            && l.chars().all(|c| c.is_ascii_digit() || c == '-') =>
        {
            let d = NaiveDate::parse_from_str(&l, "%Y-%m-%d")
                .map_err(|_| err("quick.bad_date", format!("`{t}`: no such date")))?;
            Day::Date(d)
        }
        _ => return Ok(None),
    };
    Ok(Some(day))
}

impl Day {
    /// The calendar date this day means, given today's local date.
    pub fn resolve(self, today: NaiveDate) -> NaiveDate {
        match self {
            Day::Today => today,
            Day::Yesterday => today.pred_opt().unwrap_or(today),
            Day::Date(d) => d,
            Day::Weekday(w) => {
                let back = (7 + today.weekday().num_days_from_monday() as i64
                    - w.num_days_from_monday() as i64)
                    % 7;
                today
                    .checked_sub_days(chrono::Days::new(back as u64))
                    .unwrap_or(today)
            }
        }
    }
}

use chrono::Datelike;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn the_examples_from_the_issue_parse() {
        let q = parse("1h30 acme/backups #ops #billable yesterday rotated RAID keys").unwrap();
        assert_eq!(q.when, When::Duration(5400));
        assert_eq!(q.project, Some(("acme".into(), "backups".into())));
        assert_eq!(
            (q.tags, q.billable, q.day),
            (vec!["ops".to_string()], Some(true), Day::Yesterday)
        );
        assert_eq!(q.note, "rotated RAID keys");
        let q = parse("9:15-10:00 infra/vpn call with vendor").unwrap();
        assert_eq!(q.when, When::Range(t(9, 15), t(10, 0)));
        assert_eq!(q.project, Some(("infra".into(), "vpn".into())));
        assert_eq!((q.day, q.note.as_str()), (Day::Today, "call with vendor"));
    }

    #[test]
    fn every_duration_spelling_means_the_same() {
        for s in ["1h30", "1h30m", "1.5h", "1,5h", "1:30", "90m"] {
            assert_eq!(parse(s).unwrap().when, When::Duration(5400), "{s}");
        }
        assert_eq!(parse("2h").unwrap().when, When::Duration(7200));
    }

    #[test]
    fn bad_lines_name_the_token_and_why() {
        let cases = [
            ("", "quick.missing_time"),
            ("lunch 1h", "quick.bad_time"),
            ("1x30 acme/x", "quick.bad_time"),
            ("10:00-9:00", "quick.bad_time"),
            ("0m", "quick.bad_time"),
            ("25h", "quick.bad_time"),
            ("1h acme/", "quick.bad_project"),
            ("1h a/b c/d", "quick.bad_project"),
            ("1h 2026-02-30", "quick.bad_date"),
            ("1h today yesterday", "quick.bad_date"),
            ("1h # x", "quick.bad_tag"),
        ];
        for (line, code) in cases {
            let e = parse(line).unwrap_err();
            assert_eq!(e.code, code, "{line:?}: {}", e.message);
        }
        assert!(parse("1x30 acme/x").unwrap_err().message.contains("`1x30`"));
    }

    #[test]
    fn weekdays_mean_the_latest_such_day() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(Day::Weekday(Weekday::Mon).resolve(monday), monday);
        assert_eq!(
            Day::Weekday(Weekday::Fri).resolve(monday),
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
        );
        assert_eq!(
            Day::Yesterday.resolve(monday),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
        );
    }

    proptest! {
        #[test]
        fn any_input_parses_or_fails_without_panicking(s in "\\PC{0,200}") {
            let _ = parse(&s);
        }

        #[test]
        fn generated_durations_and_notes_round_trip(h in 0i64..24, m in 0i64..60, words in proptest::collection::vec("[a-z]{1,8}", 0..6)) {
            prop_assume!(h * 60 + m > 0);
            let line = format!("{h}h{m:02} {}", words.join(" "));
            let q = parse(&line).unwrap();
            prop_assert_eq!(q.when, When::Duration(h * 3600 + m * 60));
            let expected: Vec<String> = words.into_iter().filter(|w| parse_day(w).unwrap().is_none()).collect();
            prop_assert_eq!(q.note, expected.join(" "));
        }

        #[test]
        fn generated_ranges_round_trip(a in 0u32..1439, len in 1u32..600) {
            let b = (a + len).min(1439);
            prop_assume!(b > a);
            let line = format!("{}:{:02}-{}:{:02} /p", a / 60, a % 60, b / 60, b % 60);
            let q = parse(&line).unwrap();
            prop_assert_eq!(q.when, When::Range(t(a / 60, a % 60), t(b / 60, b % 60)));
            prop_assert_eq!(q.project, Some((String::new(), "p".to_string())));
        }
    }
}
