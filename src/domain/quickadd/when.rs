//! The time parts of a quick-add line: the when (a duration or a time range) and the day
//! (`today`, `yesterday`, a weekday, `last <weekday>`, `YYYY-MM-DD`), and what a day means
//! given today's date. Pure, like the rest of the parser.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

use super::{err, Day, QuickError, Token, When};

pub(super) fn parse_when(t: &str) -> Result<When, QuickError> {
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
pub(super) fn clock(s: &str) -> Option<NaiveTime> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// Seconds in `1h30`, `1h`, `45m`, `2h15m`, `1.5h`, `1,5h`, `1:30`.
pub(super) fn duration(s: &str) -> Option<i64> {
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

/// The day starting at `tokens[i]` and how many tokens it takes (`last friday` takes two);
/// `taken` says which tokens a name took. `last` before anything but a weekday is a word.
pub(super) fn day_at(
    tokens: &[Token<'_>],
    i: usize,
    taken: &dyn Fn(usize) -> bool,
) -> Option<(Result<Day, QuickError>, usize)> {
    let t = tokens.get(i).filter(|t| t.is_word())?;
    if t.raw.eq_ignore_ascii_case("last") {
        let next = tokens.get(i + 1).filter(|n| n.is_word() && !taken(i + 1))?;
        return weekday(next.raw).map(|w| (Ok(Day::LastWeekday(w)), 2));
    }
    parse_day(t.raw).map(|d| (d, 1))
}

pub(super) fn weekday(t: &str) -> Option<Weekday> {
    Some(match t.to_lowercase().as_str() {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" => Weekday::Tue,
        "wednesday" | "wed" => Weekday::Wed,
        "thursday" | "thu" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// A one-word day: `today`, `yesterday`, a weekday, `YYYY-MM-DD`.
pub(super) fn parse_day(t: &str) -> Option<Result<Day, QuickError>> {
    if let Some(w) = weekday(t) {
        return Some(Ok(Day::Weekday(w)));
    }
    let l = t.to_lowercase();
    match l.as_str() {
        "today" => Some(Ok(Day::Today)),
        "yesterday" => Some(Ok(Day::Yesterday)),
        _ if l.len() == 10
            && l.as_bytes()[4] == b'-'
            && l.as_bytes()[7] == b'-'
            && l.chars().all(|c| c.is_ascii_digit() || c == '-') =>
        {
            Some(
                NaiveDate::parse_from_str(&l, "%Y-%m-%d")
                    .map(Day::Date)
                    .map_err(|_| err("quick.bad_date", format!("`{t}`: no such date"))),
            )
        }
        _ => None,
    }
}

impl Day {
    /// The calendar date this day means, given today's local date.
    pub fn resolve(self, today: NaiveDate) -> NaiveDate {
        let back = |w: Weekday| {
            (7 + today.weekday().num_days_from_monday() - w.num_days_from_monday()) % 7
        };
        let days_before = |n: u32| {
            today
                .checked_sub_days(chrono::Days::new(n.into()))
                .unwrap_or(today)
        };
        match self {
            Day::Today => today,
            Day::Yesterday => days_before(1),
            Day::Date(d) => d,
            Day::Weekday(w) => days_before(back(w)),
            Day::LastWeekday(w) => days_before(match back(w) {
                0 => 7,
                n => n,
            }),
        }
    }
}
