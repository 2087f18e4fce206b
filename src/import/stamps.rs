//! Dates, times, durations and decimal numbers as time trackers write them, and local times
//! turned into UTC milliseconds.
//!
//! Date formats differ by locale (Clockify writes the user's choice), so a file's date format
//! is chosen once from all its dates: [`DateFormat::detect`].

use chrono::{LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};
use chrono_tz::Tz;

/// The order of a date's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// 2026-11-02
    Ymd,
    /// 11/02/2026
    Mdy,
    /// 02/11/2026, 02.11.2026
    Dmy,
}

/// One way of writing dates: the parts' order and the character between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateFormat {
    pub order: Order,
    pub sep: char,
}

impl DateFormat {
    /// ISO 8601: `YYYY-MM-DD`.
    pub const ISO: DateFormat = DateFormat {
        order: Order::Ymd,
        sep: '-',
    };

    /// The formats detection chooses from, in order of preference when several fit every
    /// date: year first, then month first (Clockify's default, MM/DD/YYYY) before day first.
    pub const CANDIDATES: [DateFormat; 8] = [
        DateFormat::ISO,
        DateFormat::new(Order::Ymd, '/'),
        DateFormat::new(Order::Ymd, '.'),
        DateFormat::new(Order::Mdy, '/'),
        DateFormat::new(Order::Dmy, '/'),
        DateFormat::new(Order::Mdy, '-'),
        DateFormat::new(Order::Dmy, '-'),
        DateFormat::new(Order::Dmy, '.'),
    ];

    const fn new(order: Order, sep: char) -> DateFormat {
        DateFormat { order, sep }
    }

    /// The format of a file's dates: the candidate under which the most of `dates` parse (all
    /// of them in a good file). On a tie the earlier candidate wins: so when every date fits
    /// both MM/DD and DD/MM (no day above 12 decides), MM/DD is taken; one date with a day
    /// above 12 makes DD/MM fit more dates, and it wins. Empty dates are not counted.
    pub fn detect(dates: &[&str]) -> DateFormat {
        let mut best = (DateFormat::ISO, 0usize);
        for format in DateFormat::CANDIDATES {
            let fits = dates.iter().filter(|d| format.parse(d).is_some()).count();
            if fits > best.1 {
                best = (format, fits);
            }
        }
        best.0
    }

    /// The date `s` in this format: one or two digits for day and month, four for the year.
    pub fn parse(&self, s: &str) -> Option<NaiveDate> {
        let mut parts = s.trim().split(self.sep);
        let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let (y, m, d) = match self.order {
            Order::Ymd => (a, b, c),
            Order::Mdy => (c, a, b),
            Order::Dmy => (c, b, a),
        };
        let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
            (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        let y = i32::try_from(digits(y, 4..=4)?).ok()?;
        NaiveDate::from_ymd_opt(y, digits(m, 1..=2)?, digits(d, 1..=2)?)
    }
}

/// A time of day: `H:MM`, `H:MM:SS` or `H:MM:SS.fff`, 24-hour, or 12-hour with `AM`/`PM`
/// ("09:00:00 PM", "9:00pm"). `None` for anything else ("25:10", "13:00 PM").
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    let (clock, half) = if let Some(c) = lower.strip_suffix("am") {
        (c.trim_end(), Some(false))
    } else if let Some(c) = lower.strip_suffix("pm") {
        (c.trim_end(), Some(true))
    } else {
        (lower.as_str(), None)
    };
    let mut parts = clock.split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next());
    if parts.next().is_some() {
        return None;
    }
    let num = |s: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let mut hour = num(h, 1..=2)?;
    let minute = num(m, 2..=2)?;
    let (second, nanos) = match sec {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = match sec.split_once('.') {
                Some((whole, frac)) => (whole, Some(frac)),
                None => (sec, None),
            };
            let nanos = match frac {
                None => 0,
                Some(frac) => {
                    num(&format!("{frac:0<9}"), 9..=9).filter(|_| (1..=9).contains(&frac.len()))?
                }
            };
            (num(whole, 2..=2)?, nanos)
        }
    };
    if let Some(pm) = half {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = hour % 12 + if pm { 12 } else { 0 };
    }
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).filter(|_| second < 60)
}

/// A decimal number of whole and fractional parts, with `.` or `,` between them ("1.50",
/// "1,50", "2"), as an integer and its fraction's digits. `None` for anything else (signs,
/// thousands separators, letters).
pub fn parse_decimal(s: &str) -> Option<(u64, String)> {
    let s = s.trim();
    let (whole, frac) = match s.find(['.', ',']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !all_digits(whole)
        || !all_digits(frac)
        || (s.len() > whole.len() && frac.is_empty())
    {
        return None;
    }
    Some((whole.parse().ok()?, frac.to_string()))
}

/// A duration in milliseconds: `H:MM`, `H:MM:SS` (hours may pass 24) or decimal hours
/// ("1.5", "1,50"). `None` for anything else.
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.contains(':') {
        let parts: Vec<&str> = s.split(':').collect();
        let num = |p: &str, max: u64| {
            (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<u64>().ok())
                .flatten()
                .filter(|&n| n <= max)
        };
        let (h, m, sec) = match parts.as_slice() {
            [h, m] => (num(h, 100_000)?, num(m, 59)?, 0),
            [h, m, sec] => (num(h, 100_000)?, num(m, 59)?, num(sec, 59)?),
            _ => return None,
        };
        return i64::try_from(((h * 60 + m) * 60 + sec) * 1000).ok();
    }
    let (whole, frac) = parse_decimal(s)?;
    const HOUR: u128 = 3_600_000;
    let frac: String = frac.chars().take(18).collect();
    let scale = 10u128.pow(u32::try_from(frac.len()).ok()?);
    let frac_ms = if frac.is_empty() {
        0
    } else {
        (frac.parse::<u128>().ok()? * HOUR * 2 + scale) / (scale * 2)
    };
    i64::try_from(u128::from(whole).checked_mul(HOUR)? + frac_ms).ok()
}

/// A local time turned into UTC milliseconds in `tz`: in a fold (the hour repeated when the
/// clocks go back) the earlier instant; `Err` naming the time when it does not exist (the hour
/// skipped when the clocks go forward).
pub fn to_utc_ms(local: NaiveDateTime, tz: Tz) -> Result<i64, String> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.timestamp_millis()),
        LocalResult::Ambiguous(a, b) => Ok(a.timestamp_millis().min(b.timestamp_millis())),
        LocalResult::None => Err(format!(
            "{} does not exist in {} (the clocks moved forward)",
            show(local),
            tz.name()
        )),
    }
}

/// A UTC instant as local time in `tz`, for messages.
pub fn local_of(ms: i64, tz: Tz) -> Option<NaiveDateTime> {
    tz.timestamp_millis_opt(ms)
        .earliest()
        .map(|t| t.naive_local())
}

/// A local time as messages show it: `2026-11-02 09:00`, with seconds when it has some.
pub fn show(t: NaiveDateTime) -> String {
    if t.second() == 0 && t.nanosecond() == 0 {
        t.format("%Y-%m-%d %H:%M").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn dates_in_each_format() {
        assert_eq!(DateFormat::ISO.parse("2026-11-02"), Some(d(2026, 11, 2)));
        assert_eq!(DateFormat::ISO.parse("2026-02-30"), None);
        assert_eq!(DateFormat::ISO.parse("26-11-02"), None);
        let mdy = DateFormat::new(Order::Mdy, '/');
        let dmy_dot = DateFormat::new(Order::Dmy, '.');
        assert_eq!(mdy.parse("11/02/2026"), Some(d(2026, 11, 2)));
        assert_eq!(mdy.parse("13/02/2026"), None);
        assert_eq!(dmy_dot.parse("2.11.2026"), Some(d(2026, 11, 2)));
        assert_eq!(dmy_dot.parse("02/11/2026"), None);
    }

    #[test]
    fn detection_prefers_month_first_unless_a_day_decides() {
        let both = ["11/02/2026", "11/03/2026"];
        assert_eq!(DateFormat::detect(&both), DateFormat::new(Order::Mdy, '/'));
        let decided = ["11/02/2026", "13/02/2026"];
        assert_eq!(
            DateFormat::detect(&decided),
            DateFormat::new(Order::Dmy, '/')
        );
        let dots = ["02.11.2026", "30.11.2026"];
        assert_eq!(DateFormat::detect(&dots), DateFormat::new(Order::Dmy, '.'));
        let iso_with_bad = ["2026-11-02", "2026-02-30", ""];
        assert_eq!(DateFormat::detect(&iso_with_bad), DateFormat::ISO);
    }

    #[test]
    fn times_in_24_and_12_hours() {
        let t = |h, m, s| NaiveTime::from_hms_opt(h, m, s);
        assert_eq!(parse_time("09:05"), t(9, 5, 0));
        assert_eq!(parse_time("23:59:59"), t(23, 59, 59));
        assert_eq!(parse_time("09:00:00 PM"), t(21, 0, 0));
        assert_eq!(parse_time("12:30 AM"), t(0, 30, 0));
        assert_eq!(parse_time("12:30:00 pm"), t(12, 30, 0));
        assert_eq!(
            parse_time("10:30:00.25"),
            NaiveTime::from_hms_milli_opt(10, 30, 0, 250)
        );
        for bad in [
            "25:10", "13:00 PM", "0:00 AM", "9", "9:5", "09:60", "10:00:61", "", "x",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations_and_decimals() {
        assert_eq!(parse_duration("01:17:00"), Some(4_620_000));
        assert_eq!(parse_duration("0:06"), Some(360_000));
        assert_eq!(parse_duration("1.50"), Some(5_400_000));
        assert_eq!(parse_duration("1,50"), Some(5_400_000));
        assert_eq!(parse_duration("0.11"), Some(396_000));
        assert_eq!(parse_duration("2"), Some(7_200_000));
        assert_eq!(parse_duration("1.0000001"), Some(3_600_000));
        for bad in ["", "-1", "1.", ".5", "1:2:3:4", "1:75", "1,5,0", "one"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(parse_decimal("1,50"), Some((1, "50".into())));
    }

    #[test]
    fn local_times_in_berlin() {
        let tz = chrono_tz::Europe::Berlin;
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time");
        // 09:00 CET is 08:00 UTC.
        assert_eq!(to_utc_ms(at("2026-11-02 09:00"), tz), Ok(1_793_606_400_000));
        // 2026-03-29 02:30 is skipped; 2026-10-25 02:30 happens twice (CEST first).
        assert_eq!(
            to_utc_ms(at("2026-03-29 02:30"), tz),
            Err(
                "2026-03-29 02:30 does not exist in Europe/Berlin (the clocks moved forward)"
                    .into()
            )
        );
        assert_eq!(to_utc_ms(at("2026-10-25 02:30"), tz), Ok(1_792_888_200_000));
        assert_eq!(
            local_of(1_793_606_400_000, tz),
            Some(at("2026-11-02 09:00"))
        );
    }
}
