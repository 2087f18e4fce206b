//! The one range rule for time entries, wherever they are made (create, edit, timer start and
//! stop, timesheet cell, quick-add) and for the dates a client names in a query (`?week=`,
//! `?from=`, a timesheet cell's `date`). See: #11.
//!
//! - A start lies in the calendar window `[1970-01-01T00:00:00Z, now + max_future]`.
//! - A finished entry ends after it starts and lasts at most `max_entry`.
//! - A running entry started in the window, not after now, and has run at most `max_entry`.
//! - A timer stopped after more than `max_entry` ends at `start + max_entry` ([`stop_end`]).
//! - A date is `YYYY-MM-DD` within `[1970-01-01, date of now + max_future at UTC+14]`; a bound of a
//!   listed range outside it moves to its edge ([`date_bound`]).
//!
//! Pure: "now" and the limits are parameters, so the rule is the same for every caller and tests
//! can hold the clock. Every function here is total: no input makes it panic or overflow.

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;

use super::time::{local_date, MAX_ENTRY_MS};
use super::tracking::Entry;
use super::DomainError;

/// The earliest instant an entry may start: 1970-01-01T00:00:00Z.
pub const EARLIEST_MS: i64 = 0;
/// The default of `tracking.max_future_days`.
pub const DEFAULT_MAX_FUTURE_DAYS: u32 = 366;
const DAY_MS: i64 = 86_400_000;

/// The instance's limits (config `tracking.max_entry_hours`, `tracking.max_future_days`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest entry, in milliseconds.
    pub max_entry_ms: i64,
    /// How far ahead of now an entry may start, in milliseconds.
    pub max_future_ms: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Self::new((MAX_ENTRY_MS / 3_600_000) as u32, DEFAULT_MAX_FUTURE_DAYS)
    }
}

impl Limits {
    pub fn new(max_entry_hours: u32, max_future_days: u32) -> Self {
        Self {
            max_entry_ms: i64::from(max_entry_hours) * 3_600_000,
            max_future_ms: i64::from(max_future_days) * DAY_MS,
        }
    }

    /// The latest instant an entry may start at `now_ms`.
    pub fn latest_start(&self, now_ms: i64) -> i64 {
        now_ms.saturating_add(self.max_future_ms)
    }

    /// The first and last date a query may name at `now_ms`: 1970-01-01, and the date the
    /// latest allowed start falls on in the zone furthest ahead of UTC (+14:00), so a person
    /// there can still name their own today when `max_future_days` is 0.
    pub fn date_window(&self, now_ms: i64) -> (NaiveDate, NaiveDate) {
        const AHEAD_MS: i64 = 14 * 3_600_000;
        let first = utc_date(EARLIEST_MS).unwrap_or_default();
        let last =
            utc_date(self.latest_start(now_ms).saturating_add(AHEAD_MS)).unwrap_or(NaiveDate::MAX);
        (first, last.max(first))
    }

    fn hours(&self) -> i64 {
        self.max_entry_ms / 3_600_000
    }

    fn days(&self) -> i64 {
        self.max_future_ms / DAY_MS
    }
}

fn utc_date(ms: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.date_naive())
}

/// `start_ms` lies in the window: not before 1970, not after now + `max_future`.
pub fn start(field: &str, start_ms: i64, now_ms: i64, limits: &Limits) -> Result<(), DomainError> {
    if start_ms < EARLIEST_MS {
        return Err(DomainError::field(
            field,
            "too_early",
            "an entry cannot start before 1970-01-01",
        ));
    }
    if start_ms > limits.latest_start(now_ms) {
        return Err(DomainError::field(
            field,
            "too_late",
            format!("an entry can start at most {} days from now", limits.days()),
        ));
    }
    Ok(())
}

/// A finished entry: its start in the window, its end after its start, at most `max_entry`
/// later. Reports every broken part at once.
pub fn finished(
    start_ms: i64,
    end_ms: i64,
    now_ms: i64,
    limits: &Limits,
) -> Result<(), DomainError> {
    let mut errors = start("start", start_ms, now_ms, limits)
        .err()
        .map(|e| e.0)
        .unwrap_or_default();
    if end_ms <= start_ms {
        errors.extend(
            DomainError::field("end", "end_before_start", "the end must be after the start").0,
        );
    } else if end_ms.saturating_sub(start_ms) > limits.max_entry_ms {
        errors.extend(DomainError::field("end", "too_long", too_long(limits)).0);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError(errors))
    }
}

/// A running entry (a timer) whose start is `start_ms`: in the window, not after now (its time
/// would count backwards), and not so early that it has already run longer than `max_entry`.
pub fn running(start_ms: i64, now_ms: i64, limits: &Limits) -> Result<(), DomainError> {
    start("start", start_ms, now_ms, limits)?;
    if start_ms > now_ms {
        return Err(DomainError::field(
            "start",
            "in_future",
            "a running timer cannot start in the future",
        ));
    }
    if now_ms.saturating_sub(start_ms) > limits.max_entry_ms {
        return Err(DomainError::field("start", "too_long", too_long(limits)));
    }
    Ok(())
}

/// Where a timer that started at `start_ms` ends when stopped at `at_ms`: at `at_ms`, but never
/// before its start and never more than `max_entry` after it. A timer left running over a
/// weekend is kept as a `max_entry` entry the person can correct, rather than refused (which
/// would leave a timer nobody can stop) or stored at an impossible length.
pub fn stop_end(start_ms: i64, at_ms: i64, limits: &Limits) -> i64 {
    at_ms
        .max(start_ms)
        .min(start_ms.saturating_add(limits.max_entry_ms))
}

/// How far back a request may say the person acted (`acted_at`): a week offline.
pub const ACTED_PAST_DAYS: i64 = 7;
/// How far ahead of the server's clock a device's may run and still count as now.
pub const ACTED_AHEAD_MS: i64 = 60_000;

/// When a person acted, as a request from their device says (`at`: a timer started or a line
/// typed while offline, sent later): `now_ms` without one; at most [`ACTED_PAST_DAYS`] back;
/// a device clock up to a minute ahead counts as now, one further ahead is refused.
pub fn acted_at(at_ms: Option<i64>, now_ms: i64) -> Result<i64, DomainError> {
    let Some(at) = at_ms else {
        return Ok(now_ms);
    };
    if at > now_ms.saturating_add(ACTED_AHEAD_MS) {
        return Err(DomainError::field(
            "at",
            "future",
            "at is more than a minute ahead of the server's clock: check the device's clock",
        ));
    }
    if at < now_ms.saturating_sub(ACTED_PAST_DAYS * DAY_MS) {
        return Err(DomainError::field(
            "at",
            "too_old",
            format!("at is more than {ACTED_PAST_DAYS} days ago: add the time as an entry instead"),
        ));
    }
    Ok(at.min(now_ms))
}

/// Whether `e`, a timer stopped at `stopped_at_ms`, was cut short by [`stop_end`].
pub fn capped(e: &Entry, stopped_at_ms: i64) -> bool {
    e.end_ms.is_some_and(|end| end < stopped_at_ms)
}

/// Whether `e`, a stopped timer, is as long as `limits` allow: afterwards, what [`capped`] said
/// when it stopped (a timer stopped at exactly that length counts too, and that is what it is).
/// Stopping cannot tell it by `updated_at_ms`: a stop sent later by a device ends earlier.
pub fn at_limit(e: &Entry, limits: &Limits) -> bool {
    e.end_ms
        .is_some_and(|end| end - e.start_ms >= limits.max_entry_ms)
}

/// [`finished`] for an entry with an end, [`running`] for one without.
pub fn entry(
    start_ms: i64,
    end_ms: Option<i64>,
    now_ms: i64,
    limits: &Limits,
) -> Result<(), DomainError> {
    match end_ms {
        Some(end) => finished(start_ms, end, now_ms, limits),
        None => running(start_ms, now_ms, limits),
    }
}

/// Whether `start_ms` is ordinary in every time zone, so [`unusual_start`] needs no zone: at
/// most [`CONFIRM_PAST_DAYS`] ago, and less than 22 hours ahead (the day after tomorrow starts
/// more than a day after now wherever one is, less the hour a daylight-saving change can take
/// from tomorrow; 22 leaves room). Most entries are recorded just after the work: this spares
/// reading the person's zone for them.
pub fn usual_anywhere(start_ms: i64, now_ms: i64) -> bool {
    const AHEAD_MS: i64 = 22 * 3_600_000;
    start_ms >= now_ms.saturating_sub(CONFIRM_PAST_DAYS * DAY_MS)
        && start_ms < now_ms.saturating_add(AHEAD_MS)
}

/// How far back an entry may start before the person is asked to confirm it.
pub const CONFIRM_PAST_DAYS: i64 = 365;

/// A start inside the window that is still unusual enough to be a typing slip (2062 for 2026,
/// the wrong month): more than [`CONFIRM_PAST_DAYS`] before now, or on a day after tomorrow in
/// the person's zone `tz`. Such an entry is kept only when the request confirms it (`confirm`
/// in the API): the error's code is `needs_confirmation`, its message names the day.
pub fn unusual_start(start_ms: i64, now_ms: i64, tz: Tz) -> Option<DomainError> {
    if usual_anywhere(start_ms, now_ms) {
        return None;
    }
    unusual_in_zone(start_ms, now_ms, tz)
}

/// [`unusual_start`]'s rule itself, in zone `tz`.
fn unusual_in_zone(start_ms: i64, now_ms: i64, tz: Tz) -> Option<DomainError> {
    let day = local_date(start_ms, tz);
    let message = if start_ms < now_ms.saturating_sub(CONFIRM_PAST_DAYS * DAY_MS) {
        format!("this entry starts on {day}, more than a year ago; confirm that this is right")
    } else if local_date(now_ms, tz)
        .checked_add_days(Days::new(1))
        .is_some_and(|tomorrow| day > tomorrow)
    {
        format!("this entry starts on {day}, after tomorrow; confirm that this is right")
    } else {
        return None;
    };
    Some(DomainError::field("start", "needs_confirmation", message))
}

fn too_long(limits: &Limits) -> String {
    format!("an entry can last at most {} hours", limits.hours())
}

/// A `YYYY-MM-DD` date from a query or body, in the window of [`Limits::date_window`]. Any text
/// gives `Ok` or a field error (`invalid_date`, `too_early`, `too_late`), never a panic.
pub fn date(
    field: &str,
    text: &str,
    now_ms: i64,
    limits: &Limits,
) -> Result<NaiveDate, DomainError> {
    let t = text.trim();
    // chrono also reads signed and five-digit years (`-262143-01-01`, `+10000-01-01`): those
    // are not the `YYYY-MM-DD` the API documents.
    let shaped = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let d = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .filter(|_| shaped)
        .ok_or_else(|| DomainError::field(field, "invalid_date", "use a date like 2026-11-23"))?;
    let (first, last) = limits.date_window(now_ms);
    if d < first {
        return Err(DomainError::field(
            field,
            "too_early",
            format!("use a date from {first} on"),
        ));
    }
    if d > last {
        return Err(DomainError::field(
            field,
            "too_late",
            format!("use a date up to {last}"),
        ));
    }
    Ok(d)
}

/// A bound of a listed range (`?from=`, `?to=`): a `YYYY-MM-DD` date like [`date`], but one
/// outside the window is moved to its edge rather than refused. No entry can lie outside the
/// window, so the listing is the same, and `?to=2099-12-31` keeps meaning "everything since".
pub fn date_bound(
    field: &str,
    text: &str,
    now_ms: i64,
    limits: &Limits,
) -> Result<NaiveDate, DomainError> {
    let (first, last) = limits.date_window(now_ms);
    match date(field, text, now_ms, limits) {
        Err(e) if e.0.iter().any(|f| f.code == "too_early") => Ok(first),
        Err(e) if e.0.iter().any(|f| f.code == "too_late") => Ok(last),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HOUR: i64 = 3_600_000;
    /// 2026-11-23T06:00:00Z: now + 366 days + 14 h is still 2027-11-24.
    const NOW: i64 = 1_795_413_600_000;

    fn codes(r: Result<(), DomainError>) -> Vec<String> {
        r.err()
            .map(|e| {
                e.0.into_iter()
                    .map(|f| format!("{}:{}", f.field, f.code))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn starts_over_a_year_ago_or_after_tomorrow_ask_for_confirmation() {
        let utc: Tz = chrono_tz::UTC;
        let day = 24 * HOUR;
        let asks = |start: i64, tz: Tz| unusual_start(start, NOW, tz).map(|e| e.0[0].code.clone());
        assert_eq!(asks(NOW, utc), None);
        assert_eq!(asks(NOW - 365 * day + HOUR, utc), None);
        assert_eq!(
            asks(NOW - 365 * day - HOUR, utc).as_deref(),
            Some("needs_confirmation")
        );
        // Tomorrow (local) is ordinary, the day after is not: NOW is 06:00 on the 23rd in UTC.
        assert_eq!(asks(NOW + 41 * HOUR, utc), None); // the 24th, 23:00
        assert_eq!(
            asks(NOW + 42 * HOUR, utc).as_deref(),
            Some("needs_confirmation")
        );
        // In Auckland (UTC+13) NOW is already 19:00 on the 23rd: the 25th starts 29 h later.
        let auckland: Tz = "Pacific/Auckland".parse().unwrap();
        assert_eq!(asks(NOW + 28 * HOUR, auckland), None);
        assert_eq!(
            asks(NOW + 29 * HOUR, auckland).as_deref(),
            Some("needs_confirmation")
        );
        // Ordinary in every zone, without reading one: a year back to just under 22 h ahead.
        let kiritimati: Tz = "Pacific/Kiritimati".parse().unwrap(); // UTC+14
        for start in [NOW - 365 * day, NOW, NOW + 22 * HOUR - 1] {
            assert!(usual_anywhere(start, NOW));
            assert_eq!(asks(start, kiritimati), None);
        }
        assert!(!usual_anywhere(NOW + 22 * HOUR, NOW));
        assert!(!usual_anywhere(NOW - 365 * day - 1, NOW));
        let e = unusual_start(NOW - 400 * day, NOW, utc).unwrap();
        assert!(e.0[0].message.contains("2025-10-19"), "{}", e.0[0].message);
        assert_eq!(e.0[0].field, "start");
    }

    proptest! {
        /// The shortcut never skips a start the rule would ask about, in any zone (those with
        /// daylight saving and the ones furthest from UTC included).
        #[test]
        fn starts_usual_anywhere_are_usual_in_every_zone(
            now in 0i64..4_102_444_800_000,
            offset in -400i64 * 86_400_000..2 * 86_400_000,
            zone in 0usize..6,
        ) {
            let tz: Tz = ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe",
                "Europe/Berlin", "America/St_Johns", "UTC"][zone].parse().unwrap();
            let start = now + offset;
            if usual_anywhere(start, now) {
                prop_assert!(unusual_in_zone(start, now, tz).is_none(), "{start} {now} {tz}");
            }
        }
    }

    #[test]
    fn finished_entries_start_in_the_window_and_last_at_most_the_maximum() {
        let l = Limits::default();
        assert!(
            codes(finished(0, HOUR, NOW, &l)).is_empty(),
            "1970-01-01 is in"
        );
        assert_eq!(codes(finished(-1, HOUR, NOW, &l)), ["start:too_early"]);
        let latest = NOW + 366 * 24 * HOUR;
        assert!(codes(finished(latest, latest + HOUR, NOW, &l)).is_empty());
        assert_eq!(
            codes(finished(latest + 1, latest + HOUR, NOW, &l)),
            ["start:too_late"]
        );
        assert_eq!(codes(finished(10, 10, NOW, &l)), ["end:end_before_start"]);
        assert_eq!(codes(finished(10, 5, NOW, &l)), ["end:end_before_start"]);
        assert!(codes(finished(0, 24 * HOUR, NOW, &l)).is_empty());
        assert_eq!(codes(finished(0, 24 * HOUR + 1, NOW, &l)), ["end:too_long"]);
        assert_eq!(
            codes(finished(i64::MIN, i64::MAX, NOW, &l)),
            ["start:too_early", "end:too_long"]
        );
    }

    #[test]
    fn the_limits_are_the_instances() {
        let l = Limits::new(8, 30);
        assert_eq!(
            codes(finished(NOW, NOW + 9 * HOUR, NOW, &l)),
            ["end:too_long"]
        );
        assert_eq!(
            codes(finished(
                NOW + 31 * 24 * HOUR,
                NOW + 32 * 24 * HOUR,
                NOW,
                &l
            )),
            ["start:too_late", "end:too_long"]
        );
    }

    #[test]
    fn a_running_timer_started_in_the_last_max_entry_hours() {
        let l = Limits::default();
        assert!(running(NOW - HOUR, NOW, &l).is_ok());
        assert!(running(NOW - 24 * HOUR, NOW, &l).is_ok());
        assert_eq!(codes(running(NOW - 25 * HOUR, NOW, &l)), ["start:too_long"]);
        assert_eq!(
            codes(running(-2_208_988_800_000, NOW, &l)),
            ["start:too_early"]
        );
        assert_eq!(codes(running(NOW + 1, NOW, &l)), ["start:in_future"]);
    }

    #[test]
    fn a_stop_past_the_maximum_ends_at_the_maximum() {
        let l = Limits::default();
        assert_eq!(stop_end(NOW, NOW + HOUR, &l), NOW + HOUR);
        assert_eq!(stop_end(NOW, NOW + 72 * HOUR, &l), NOW + 24 * HOUR);
        assert_eq!(stop_end(NOW, NOW - HOUR, &l), NOW, "never before the start");

        assert_eq!(stop_end(i64::MAX - 1, i64::MAX, &l), i64::MAX);
    }

    #[test]
    fn dates_are_plain_and_in_the_window() {
        let l = Limits::default();
        let d = |s: &str| date("week", s, NOW, &l).map_err(|e| e.0[0].code.clone());
        assert_eq!(d("1970-01-01").unwrap().to_string(), "1970-01-01");
        assert_eq!(d(" 2026-11-23 ").unwrap().to_string(), "2026-11-23");
        assert_eq!(d("1969-12-31").unwrap_err(), "too_early");
        assert_eq!(d("0000-01-01").unwrap_err(), "too_early");
        assert_eq!(d("2027-11-24").unwrap().to_string(), "2027-11-24");
        assert_eq!(d("2027-11-25").unwrap_err(), "too_late");
        assert_eq!(d("9999-12-31").unwrap_err(), "too_late");
        // In the furthest zone ahead (+14:00) it is already the next day.
        let late = NOW + 12 * HOUR;
        assert_eq!(
            date("week", "2027-11-25", late, &l).unwrap().to_string(),
            "2027-11-25"
        );
        let today_in_kiribati = date("week", "2026-11-24", late, &Limits::new(24, 0));
        assert!(today_in_kiribati.is_ok());
        for bad in [
            "-262143-01-01",
            "+10000-01-01",
            "2026-1-1",
            "2026-02-30",
            "",
            "x",
        ] {
            assert_eq!(d(bad).unwrap_err(), "invalid_date", "{bad:?}");
        }
    }

    #[test]
    fn list_bounds_outside_the_window_move_to_its_edge() {
        let l = Limits::default();
        let b = |s: &str| date_bound("to", s, NOW, &l).map(|d| d.to_string());
        assert_eq!(b("1900-01-01").unwrap(), "1970-01-01");
        assert_eq!(b("2099-12-31").unwrap(), "2027-11-24");
        assert_eq!(b("2026-11-23").unwrap(), "2026-11-23");
        assert_eq!(b("-262143-01-01").unwrap_err().0[0].code, "invalid_date");
    }

    proptest! {
        #[test]
        fn the_rule_never_panics(a in any::<i64>(), b in any::<i64>(), now in any::<i64>(),
                                 h in any::<u32>(), days in any::<u32>()) {
            let l = Limits::new(h, days);
            let _ = finished(a, b, now, &l);
            let _ = running(a, now, &l);
            let end = stop_end(a, b, &l);
            prop_assert!(end >= a);
            let _ = l.date_window(now);
        }

        #[test]
        fn any_date_text_parses_or_fails_without_panicking(s in "\\PC{0,24}", now in any::<i64>()) {
            let _ = date("date", &s, now, &Limits::default());
            let _ = date_bound("to", &s, now, &Limits::default());
        }

        #[test]
        fn date_shaped_text_parses_or_fails_without_panicking(
            s in "[-+]?[0-9]{1,7}-[0-9]{1,3}-[0-9]{1,3}", now in any::<i64>()) {
            if let Ok(d) = date("date", &s, now, &Limits::default()) {
                prop_assert!(d >= NaiveDate::from_ymd_opt(1970, 1, 1).unwrap());
            }
        }
    }

    #[test]
    fn acted_at_is_now_without_one_and_bounded_by_a_week_back_and_a_minute_ahead() {
        let now = 1_780_000_000_000;
        assert_eq!(acted_at(None, now), Ok(now));
        assert_eq!(acted_at(Some(now - 3_600_000), now), Ok(now - 3_600_000));
        assert_eq!(acted_at(Some(now - 7 * DAY_MS), now), Ok(now - 7 * DAY_MS));
        assert_eq!(
            acted_at(Some(now + 59_000), now),
            Ok(now),
            "a clock a little ahead"
        );
        let code = |r: Result<i64, DomainError>| r.unwrap_err().0[0].code.clone();
        assert_eq!(code(acted_at(Some(now - 7 * DAY_MS - 1), now)), "too_old");
        assert_eq!(code(acted_at(Some(now + 60_001), now)), "future");
        assert_eq!(code(acted_at(Some(i64::MIN), now)), "too_old");
        assert_eq!(code(acted_at(Some(i64::MAX), now)), "future");
    }
}
