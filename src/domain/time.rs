//! Time arithmetic, in one place: durations, local days and weeks in a user's IANA zone, and
//! splitting an entry at local midnights. Every view, report, export and API uses these, so
//! totals never disagree. Instants are UTC milliseconds; durations whole seconds.

use chrono::{Datelike, Days, NaiveDate, TimeZone as _};
use chrono_tz::Tz;

/// The longest entry accepted by default (`tracking.max_entry_hours`): 24 hours.
pub const MAX_ENTRY_MS: i64 = 24 * 3600 * 1000;

/// Whole seconds between two instants (partial seconds are dropped).
pub fn duration_secs(start_ms: i64, end_ms: i64) -> i64 {
    (end_ms - start_ms).max(0) / 1000
}

/// A bound of an investigation window: an RFC 3339 instant, or a UTC date (`YYYY-MM-DD`) that
/// means its first instant — or, for an `end` bound, the first instant of the next day, so that
/// `--to 2026-11-30` includes that whole day. `Err` says what is accepted.
pub fn parse_bound(text: &str, end: bool) -> Result<i64, String> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        let d = if end {
            d.checked_add_days(Days::new(1))
        } else {
            Some(d)
        };
        return d
            .map(|d| day_start(d, Tz::UTC))
            .ok_or_else(|| format!("{t:?} is out of range"));
    }
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| d.timestamp_millis())
        .map_err(|_| {
            format!(
                "{t:?} is not a date (2026-11-23) or an RFC 3339 instant (2026-11-23T09:00:00Z)"
            )
        })
}

/// The first instant of `date` in `tz`. Where midnight falls in a DST gap, the first instant
/// that exists that day.
pub fn day_start(date: NaiveDate, tz: Tz) -> i64 {
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight is a valid time");
    match tz.from_local_datetime(&midnight).earliest() {
        Some(t) => t.timestamp_millis(),
        // A gap at midnight (e.g. America/Santiago): scan forward to the first valid minute.
        None => (1..=180)
            .find_map(|m| {
                let t = midnight.checked_add_signed(chrono::Duration::minutes(m))?;
                tz.from_local_datetime(&t).earliest()
            })
            .map(|t| t.timestamp_millis())
            .unwrap_or_else(|| midnight.and_utc().timestamp_millis()),
    }
}

/// The instant of local `time` on `date` in `tz`: the earlier one when the clock repeats (fall
/// back), the first one after the gap when it skips (spring forward).
pub fn local_instant(date: NaiveDate, time: chrono::NaiveTime, tz: Tz) -> i64 {
    let local = date.and_time(time);
    (0..=180)
        .find_map(|m| {
            let t = local.checked_add_signed(chrono::Duration::minutes(m))?;
            tz.from_local_datetime(&t).earliest()
        })
        .map(|t| t.timestamp_millis())
        .unwrap_or_else(|| local.and_utc().timestamp_millis())
}

/// `[start, end)` in UTC milliseconds covering the local days `from..=to`.
pub fn days_range(from: NaiveDate, to: NaiveDate, tz: Tz) -> (i64, i64) {
    let after = to.checked_add_days(Days::new(1)).unwrap_or(to);
    (day_start(from, tz), day_start(after, tz))
}

/// The local date of an instant in `tz`.
pub fn local_date(ms: i64, tz: Tz) -> NaiveDate {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive()
}

/// The Monday and the Sunday of the week containing `date`; `None` for a week that is not
/// wholly in chrono's calendar (the first and last days it can represent).
pub fn week_of(date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let monday = date.checked_sub_days(Days::new(date.weekday().num_days_from_monday() as u64))?;
    Some((monday, monday.checked_add_days(Days::new(6))?))
}

/// Splits `[start, end)` at local midnights: seconds per local date, in order. The pieces add
/// up to exactly [`duration_secs`] of the whole entry: each piece is the whole seconds from the
/// start to its end less those to its beginning, so the partial seconds of an entry that does
/// not start on a whole second are counted once, on the day the last of them completes (cutting
/// each piece on its own lost up to a second per midnight).
pub fn split_by_day(start_ms: i64, end_ms: i64, tz: Tz) -> Vec<(NaiveDate, i64)> {
    let mut out = Vec::new();
    let mut cursor = start_ms;
    // Whole seconds from the start to `cursor`.
    let mut counted = 0;
    let piece = |counted: i64, stop: i64| duration_secs(start_ms, stop) - counted;
    while cursor < end_ms {
        if chrono::DateTime::from_timestamp_millis(cursor).is_none() {
            // Beyond chrono's calendar there are no local days to split at (and stepping a
            // millisecond at a time would never end): count the rest as one piece.
            out.push((local_date(cursor, tz), piece(counted, end_ms)));
            break;
        }
        let date = local_date(cursor, tz);
        let next = date
            .checked_add_days(Days::new(1))
            .map_or(end_ms, |d| day_start(d, tz));
        let stop = next.min(end_ms).max(cursor + 1);
        let secs = piece(counted, stop);
        out.push((date, secs));
        counted += secs;
        cursor = stop;
    }
    out
}

/// RFC 3339 UTC text for an instant in milliseconds.
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn investigation_bounds_take_dates_or_instants_and_name_bad_ones() {
        let day = parse_bound("2026-11-23", false).unwrap();
        assert_eq!(parse_bound("2026-11-23T00:00:00Z", false).unwrap(), day);
        assert_eq!(parse_bound("2026-11-23", true).unwrap(), day + 86_400_000);
        assert_eq!(
            parse_bound("2026-11-23T01:00:00+01:00", false).unwrap(),
            day
        );
        assert!(parse_bound("23/11/2026", false)
            .unwrap_err()
            .contains("\"23/11/2026\""));
    }

    use super::*;
    use chrono_tz::Europe::Berlin;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_spring_forward_day_has_23_hours_and_a_fall_back_day_25() {
        let (s, e) = days_range(d(2026, 3, 29), d(2026, 3, 29), Berlin);
        assert_eq!(duration_secs(s, e), 23 * 3600);
        let (s, e) = days_range(d(2026, 10, 25), d(2026, 10, 25), Berlin);
        assert_eq!(duration_secs(s, e), 25 * 3600);
        let (s, e) = days_range(d(2026, 6, 1), d(2026, 6, 1), Berlin);
        assert_eq!(duration_secs(s, e), 24 * 3600);
    }

    #[test]
    fn an_entry_across_midnight_is_split_into_its_local_days() {
        // 22:00 to 02:00 Berlin time in winter (UTC+1): 21:00Z to 01:00Z.
        let start = day_start(d(2026, 1, 10), Berlin) + 22 * 3_600_000;
        let parts = split_by_day(start, start + 4 * 3_600_000, Berlin);
        assert_eq!(
            parts,
            vec![(d(2026, 1, 10), 2 * 3600), (d(2026, 1, 11), 2 * 3600)]
        );
    }

    #[test]
    fn splitting_over_a_fall_back_night_keeps_every_second() {
        let start = day_start(d(2026, 10, 24), Berlin) + 20 * 3_600_000;
        let end = start + 30 * 3_600_000;
        let parts = split_by_day(start, end, Berlin);
        assert_eq!(parts.iter().map(|p| p.1).sum::<i64>(), 30 * 3600);
        assert_eq!(parts[1], (d(2026, 10, 25), 25 * 3600));
    }

    #[test]
    fn weeks_start_on_monday() {
        let week = Some((d(2026, 11, 23), d(2026, 11, 29)));
        assert_eq!(week_of(d(2026, 11, 23)), week); // a Monday
        assert_eq!(week_of(d(2026, 11, 29)), week);
        // The first and last days chrono represents have no whole week: None, not a panic.
        assert_eq!(week_of(NaiveDate::MIN), None);
        assert_eq!(week_of(NaiveDate::MAX), None);
    }

    #[test]
    fn partial_seconds_across_midnight_count_once() {
        // 23:59:59.500 to 00:00:00.700: 1.2 s, one whole second, on the day it completes.
        let midnight = day_start(d(2026, 1, 11), Berlin);
        let parts = split_by_day(midnight - 500, midnight + 700, Berlin);
        assert_eq!(parts, vec![(d(2026, 1, 10), 0), (d(2026, 1, 11), 1)]);
    }

    #[test]
    fn durations_drop_partial_seconds_and_never_go_negative() {
        assert_eq!(duration_secs(0, 1_999), 1);
        assert_eq!(duration_secs(5_000, 1_000), 0);
    }

    mod no_panic {
        //! Whatever date or instant reaches the time arithmetic, it answers without panicking
        //! (`week_start` used to panic at the first days chrono represents). See: #11.
        use super::super::*;
        use proptest::prelude::*;

        const ZONES: [Tz; 5] = [
            Tz::UTC,
            chrono_tz::Europe::Berlin,
            chrono_tz::Pacific::Kiritimati,
            chrono_tz::Pacific::Pago_Pago,
            chrono_tz::America::Santiago,
        ];

        fn any_date() -> impl Strategy<Value = NaiveDate> {
            let (min, max) = (
                NaiveDate::MIN.num_days_from_ce(),
                NaiveDate::MAX.num_days_from_ce(),
            );
            prop_oneof![
                (min..=max).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap()),
                (min..min + 10).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap()),
                (max - 10..=max).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap()),
            ]
        }

        proptest! {
            #[test]
            fn week_and_day_arithmetic_is_total(d in any_date(), e in any_date(), z in 0..5usize,
                                                h in 0u32..24, m in 0u32..60) {
                let tz = ZONES[z];
                if let Some((mon, sun)) = week_of(d) {
                    prop_assert!(mon <= d && d <= sun);
                    prop_assert_eq!((sun - mon).num_days(), 6);
                }
                let _ = day_start(d, tz);
                let _ = local_instant(d, chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap(), tz);
                let _ = days_range(d.min(e), d.max(e), tz);
                let _ = parse_bound(&d.to_string(), true);
            }

            #[test]
            fn instant_arithmetic_is_total(ms in any::<i64>(), len in 0i64..4 * 86_400_000,
                                           z in 0..5usize) {
                let tz = ZONES[z];
                let _ = local_date(ms, tz);
                let _ = duration_secs(ms, ms.saturating_add(len));
                let parts = split_by_day(ms, ms.saturating_add(len), tz);
                prop_assert!(parts.len() <= 6);
            }

            /// The one rule for durations: however an entry is cut at local midnights (DST
            /// nights, far zones, starts and ends off whole seconds), its days add up to its
            /// duration, so a list, a timesheet and an export never disagree.
            #[test]
            fn an_entrys_days_add_up_to_its_duration(
                start in 1_700_000_000_000i64..1_900_000_000_000,
                len in 0i64..3 * 86_400_000,
                near_midnight in any::<bool>(),
                z in 0..5usize,
            ) {
                let tz = ZONES[z];
                // Half the cases start within two seconds of a local midnight.
                let start = if near_midnight {
                    let next = local_date(start, tz).succ_opt().unwrap();
                    day_start(next, tz) - (start.rem_euclid(2_000))
                } else {
                    start
                };
                let end = start + len;
                let parts = split_by_day(start, end, tz);
                prop_assert_eq!(parts.iter().map(|p| p.1).sum::<i64>(), duration_secs(start, end));
                prop_assert!(parts.iter().all(|p| p.1 >= 0));
            }

            #[test]
            fn investigation_bounds_parse_or_fail(s in "\\PC{0,30}", end in any::<bool>()) {
                let _ = parse_bound(&s, end);
            }
        }
    }
}
