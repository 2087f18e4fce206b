use chrono_tz::Europe::Berlin;
use proptest::prelude::*;

use super::*;
use crate::domain::billing::{Direction, RateChange, RateScope, Rounding};
use crate::domain::time::{day_start, duration_secs};
use crate::domain::{TaskId, UserId};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn id(n: u8) -> uuid::Uuid {
    uuid::Uuid::from_bytes([n; 16])
}

/// An entry of user `u` on project `p`, `hours` long from local `hour` on `day` (Berlin).
fn entry(n: u8, u: u8, p: u8, day: &str, hour: i64, secs: i64) -> Entry {
    let start = day_start(d(day), Berlin) + hour * 3_600_000;
    Entry {
        id: EntryId::from_bytes([n; 16]),
        user_id: UserId::from_bytes([100 + u; 16]),
        project_id: ProjectId::from_bytes([200 + p; 16]),
        task_id: None,
        tags: Vec::new(),
        note: String::new(),
        start_ms: start,
        end_ms: Some(start + secs * 1000),
        billable: true,
        rate_cents: Some(9000),
        currency: "EUR".into(),
        created_at_ms: 0,
        updated_at_ms: 0,
    }
}

fn no_terms() -> HashMap<ProjectId, Terms> {
    HashMap::new()
}

/// Terms of project `p` (as `entry` numbers them): EUR, `rate` an hour, `rounding`.
fn terms(
    p: u8,
    rate: Option<i64>,
    rates: Vec<RateChange>,
    rounding: Rounding,
) -> (ProjectId, Terms) {
    (
        ProjectId::from_bytes([200 + p; 16]),
        Terms {
            client: None,
            rate_cents: rate,
            currency: "EUR".into(),
            rates,
            rounding,
        },
    )
}

#[test]
fn money_is_rounded_half_up_to_the_minor_unit() {
    assert_eq!(amount(3600, 9000), 9000);
    assert_eq!(amount(1, 1800), 1); // 0.5 → 1
    assert_eq!(amount(1, 1799), 0);
    assert_eq!(amount(0, 9000), 0);
    assert_eq!(amount(i64::MAX, i64::MAX), i64::MAX, "saturates");
}

#[test]
fn rows_sum_by_project_then_user_and_days_add_up_to_the_total() {
    let es = [
        entry(1, 1, 1, "2026-11-30", 9, 3600),
        entry(2, 2, 1, "2026-12-01", 9, 1800),
        entry(3, 1, 2, "2026-12-01", 13, 7200),
        // Outside the range: not counted.
        entry(4, 1, 1, "2026-12-08", 9, 3600),
    ];
    let r = summarize(
        &es,
        d("2026-11-30"),
        d("2026-12-06"),
        Berlin,
        0,
        &[Dim::Project, Dim::User],
        &no_terms(),
    );
    assert_eq!(r.total.seconds, 12_600);
    assert_eq!(r.total.entries, 3);
    assert_eq!(r.total.amounts["EUR"], 31_500);
    assert_eq!(r.days.len(), 7);
    assert_eq!(r.days.iter().map(|d| d.1).sum::<i64>(), r.total.seconds);
    // Project 2 (2 h) first, then project 1 (1.5 h) with its two people, the larger first.
    assert_eq!(r.rows[0].sums.seconds, 7200);
    assert_eq!(r.rows[1].sums.seconds, 5400);
    let people: Vec<i64> = r.rows[1].rows.iter().map(|x| x.sums.seconds).collect();
    assert_eq!(people, [3600, 1800]);
    assert_eq!(r.rows[1].rows[0].key.dim, Dim::User);
}

#[test]
fn an_entry_across_the_range_end_counts_its_time_inside_and_days_are_in_order() {
    // Sunday 23:00 to Monday 01:00: one hour in the week, one in the next.
    let es = [entry(1, 1, 1, "2026-12-06", 23, 7200)];
    let r = summarize(
        &es,
        d("2026-11-30"),
        d("2026-12-06"),
        Berlin,
        0,
        &[Dim::Day],
        &no_terms(),
    );
    assert_eq!(r.total.seconds, 3600);
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.rows[0].key.id.as_deref(), Some("2026-12-06"));
    let r = summarize(
        &es,
        d("2026-12-06"),
        d("2026-12-07"),
        Berlin,
        0,
        &[Dim::Day],
        &no_terms(),
    );
    let ids: Vec<_> = r.rows.iter().map(|x| x.key.id.clone().unwrap()).collect();
    assert_eq!(ids, ["2026-12-06", "2026-12-07"]);
    assert_eq!(r.total.entries, 1, "one entry, counted once in the total");
}

#[test]
fn tags_count_under_each_and_the_total_once_and_untagged_time_has_its_row() {
    let mut a = entry(1, 1, 1, "2026-12-01", 9, 3600);
    a.tags = vec!["ops".into(), "OPS".into(), "db".into()];
    let b = entry(2, 1, 1, "2026-12-01", 11, 1800);
    let r = summarize(
        &[a, b],
        d("2026-12-01"),
        d("2026-12-01"),
        Berlin,
        0,
        &[Dim::Tag],
        &no_terms(),
    );
    assert_eq!(r.total.seconds, 5400);
    let rows: Vec<(Option<&str>, i64)> = r
        .rows
        .iter()
        .map(|x| (x.key.id.as_deref(), x.sums.seconds))
        .collect();
    assert_eq!(
        rows,
        [(Some("db"), 3600), (Some("ops"), 3600), (None, 1800)]
    );
}

#[test]
fn tickets_count_under_each_and_the_total_once_and_time_without_one_has_its_row() {
    let a = entry(1, 1, 1, "2026-12-01", 9, 3600);
    let b = entry(2, 1, 1, "2026-12-01", 11, 1800);
    let c = entry(3, 1, 1, "2026-12-01", 13, 600);
    let tickets: Tickets = [
        (a.id, vec!["OPS-1".to_owned(), "OPS-2".to_owned()]),
        (b.id, vec!["OPS-2".to_owned()]),
        (c.id, Vec::new()),
    ]
    .into();
    let r = summarize_with(
        &[a, b, c],
        d("2026-12-01"),
        d("2026-12-01"),
        Berlin,
        0,
        &[Dim::Ticket, Dim::User],
        &no_terms(),
        &tickets,
    );
    assert_eq!((r.total.seconds, r.total.entries), (6000, 3));
    let rows: Vec<(Option<&str>, i64, usize)> = (r.rows.iter())
        .map(|x| (x.key.id.as_deref(), x.sums.seconds, x.sums.entries))
        .collect();
    assert_eq!(
        rows,
        [
            (Some("OPS-2"), 5400, 2),
            (Some("OPS-1"), 3600, 1),
            (None, 600, 1)
        ]
    );
    assert_eq!(
        r.rows[0].rows[0].sums.seconds, 5400,
        "the inner grouping too"
    );
    assert_eq!(Dim::parse("ticket"), Some(Dim::Ticket));
}

#[test]
fn amounts_stay_in_their_currency_and_only_billable_time_earns() {
    let a = entry(1, 1, 1, "2026-12-01", 9, 3600);
    let mut b = entry(2, 1, 2, "2026-12-01", 11, 3600);
    b.currency = "USD".into();
    b.rate_cents = Some(10_000);
    let mut c = entry(3, 1, 2, "2026-12-01", 13, 3600);
    c.billable = false;
    let r = summarize(
        &[a, b, c],
        d("2026-12-01"),
        d("2026-12-01"),
        Berlin,
        0,
        &[],
        &no_terms(),
    );
    assert_eq!(r.total.amounts.len(), 2);
    assert_eq!(
        (r.total.amounts["EUR"], r.total.amounts["USD"]),
        (9000, 10_000)
    );
    assert_eq!((r.total.seconds, r.total.billable_seconds), (10_800, 7200));
    assert!(r.rows.is_empty(), "no grouping, no rows");
}

#[test]
fn clients_tasks_weeks_and_months_have_keys_and_none_for_what_is_missing() {
    let mut a = entry(1, 1, 1, "2026-11-30", 9, 3600);
    a.task_id = Some(TaskId::from_bytes([50; 16]));
    let b = entry(2, 1, 2, "2026-12-01", 9, 3600);
    let client = ClientId::from_bytes([60; 16]);
    let mut client_of = HashMap::from([terms(1, Some(9000), vec![], Rounding::None)]);
    client_of.get_mut(&a.project_id).unwrap().client = Some(client);
    let es = [a.clone(), b];
    let r = summarize(
        &es,
        d("2026-11-30"),
        d("2026-12-01"),
        Berlin,
        0,
        &[Dim::Client, Dim::Task],
        &client_of,
    );
    assert_eq!(r.rows.len(), 2);
    assert!(r.rows.iter().any(|x| x.key.id.is_none()), "no client");
    let with = r.rows.iter().find(|x| x.key.id.is_some()).unwrap();
    assert_eq!(with.rows[0].key.id, Some(id(50).to_string()));
    let r = summarize(
        &es,
        d("2026-11-30"),
        d("2026-12-01"),
        Berlin,
        0,
        &[Dim::Month, Dim::Week],
        &no_terms(),
    );
    let months: Vec<_> = r.rows.iter().map(|x| x.key.id.clone().unwrap()).collect();
    assert_eq!(months, ["2026-11", "2026-12"]);
    assert_eq!(
        r.rows[1].rows[0].key.id.as_deref(),
        Some("2026-11-30"),
        "week of Monday"
    );
}

proptest! {
    /// The one rule: whatever the entries (across midnights and DST nights, off whole
    /// seconds), a report's days, its rows and the entries' pieces inside the range agree.
    #[test]
    fn days_rows_and_total_agree(
        raw in prop::collection::vec((0u8..3, 0i64..40 * 86_400_000, 0i64..30 * 3_600_000, any::<bool>()), 0..40),
        first in 0usize..8,
    ) {
        let base = day_start(d("2026-10-20"), Berlin);
        let es: Vec<Entry> = raw.iter().enumerate().map(|(i, (p, at, len, billable))| {
            let mut e = entry(i as u8, *p, *p, "2026-10-20", 0, 0);
            e.start_ms = base + at;
            e.end_ms = Some(base + at + len);
            e.billable = *billable;
            e
        }).collect();
        let (from, to) = (d("2026-10-25"), d("2026-11-20"));
        let r = summarize(&es, from, to, Berlin, 0, &[Dim::ALL[first]], &no_terms());
        prop_assert_eq!(r.days.iter().map(|x| x.1).sum::<i64>(), r.total.seconds);
        if Dim::ALL[first] != Dim::Tag {
            prop_assert_eq!(r.rows.iter().map(|x| x.sums.seconds).sum::<i64>(), r.total.seconds);
            let cents: i64 = r.rows.iter().map(|x| x.sums.amounts.get("EUR").copied().unwrap_or(0)).sum();
            prop_assert_eq!(cents, r.total.amounts.get("EUR").copied().unwrap_or(0));
        }
        // Each entry is counted once in the total and once in each day it has time on.
        let pieces: Vec<(usize, NaiveDate)> = es.iter().enumerate()
            .flat_map(|(i, e)| split_by_day(e.start_ms, e.end_ms.unwrap(), Berlin).into_iter()
                .filter(|(day, secs)| *day >= from && *day <= to && *secs > 0)
                .map(move |(day, _)| (i, day)))
            .collect();
        let counted: std::collections::HashSet<usize> = pieces.iter().map(|p| p.0).collect();
        prop_assert_eq!(r.total.entries, counted.len());
        if Dim::ALL[first] == Dim::Day {
            prop_assert_eq!(r.rows.iter().map(|x| x.sums.entries).sum::<usize>(), pieces.len());
        }
        // An entry wholly inside the range counts its whole duration.
        let (a, b) = (day_start(from, Berlin), day_start(to.succ_opt().unwrap(), Berlin));
        let inside: i64 = es.iter().map(|e| (e.start_ms, e.end_ms.unwrap()))
            .filter(|(s, e)| *s >= a && *e <= b).map(|(s, e)| duration_secs(s, e)).sum();
        prop_assert!(r.total.seconds >= inside);
    }
}

#[test]
fn rounding_per_entry_rounds_each_entry_and_prices_the_rounded_time() {
    // 7 min and 8 min entries, up to 15 per entry: 30 min billed, 15 min tracked.
    let es = [
        entry(1, 1, 1, "2026-11-30", 9, 7 * 60),
        entry(2, 1, 1, "2026-11-30", 10, 8 * 60),
    ];
    let up15 = Rounding::round(Direction::Up, 15, Per::Entry).unwrap();
    let t = HashMap::from([terms(1, Some(6000), vec![], up15)]);
    let r = summarize(&es, d("2026-11-30"), d("2026-11-30"), Berlin, 0, &[], &t);
    assert_eq!(r.total.seconds, 15 * 60);
    assert_eq!(r.total.rounded_seconds, 30 * 60);
    assert_eq!(r.total.amounts["EUR"], 3000, "half an hour at 60.00");
    assert_eq!(r.days[0].1, 15 * 60, "the chart shows tracked time");
}

#[test]
fn rounding_per_day_rounds_a_persons_day_on_a_project_once() {
    let es = [
        entry(1, 1, 1, "2026-11-30", 9, 7 * 60),
        entry(2, 1, 1, "2026-11-30", 10, 8 * 60),
        entry(3, 2, 1, "2026-11-30", 10, 8 * 60),
    ];
    let up15 = Rounding::round(Direction::Up, 15, Per::Day).unwrap();
    let t = HashMap::from([terms(1, Some(6000), vec![], up15)]);
    let r = summarize(
        &es,
        d("2026-11-30"),
        d("2026-11-30"),
        Berlin,
        0,
        &[Dim::User],
        &t,
    );
    // Person 1: 15 min → 15; person 2: 8 min → 15.
    assert_eq!(r.total.rounded_seconds, 30 * 60);
    let rounded: Vec<i64> = r.rows.iter().map(|x| x.sums.rounded_seconds).collect();
    assert_eq!(rounded, [15 * 60, 15 * 60]);
    let down = Rounding::round(Direction::Nearest, 30, Per::Day).unwrap();
    let t = HashMap::from([terms(1, Some(6000), vec![], down)]);
    let r = summarize(&es, d("2026-11-30"), d("2026-11-30"), Berlin, 0, &[], &t);
    assert_eq!(r.total.rounded_seconds, 30 * 60, "15 min → 30, 8 min → 0");
}

#[test]
fn the_rate_in_force_at_each_entry_prices_it_most_specific_first() {
    let mut on_task = entry(3, 1, 1, "2026-12-02", 9, 3600);
    on_task.task_id = Some(TaskId::from_bytes([50; 16]));
    let es = [
        entry(1, 1, 1, "2026-11-30", 9, 3600), // before the change: base 100.00
        entry(2, 1, 1, "2026-12-02", 9, 3600), // after: 120.00
        on_task,                               // task rate: 200.00
        entry(4, 2, 1, "2026-12-02", 9, 3600), // member 2's rate: 80.00
    ];
    let dec1 = day_start(d("2026-12-01"), Berlin);
    let changes = vec![
        RateChange {
            scope: RateScope::Project,
            from_ms: dec1,
            rate_cents: Some(12_000),
        },
        RateChange {
            scope: RateScope::Task(TaskId::from_bytes([50; 16])),
            from_ms: 0,
            rate_cents: Some(20_000),
        },
        RateChange {
            scope: RateScope::Member(UserId::from_bytes([102; 16])),
            from_ms: dec1,
            rate_cents: Some(8_000),
        },
    ];
    let t = HashMap::from([terms(1, Some(10_000), changes, Rounding::None)]);
    let r = summarize(&es, d("2026-11-30"), d("2026-12-06"), Berlin, 0, &[], &t);
    assert_eq!(r.total.amounts["EUR"], 10_000 + 12_000 + 20_000 + 8_000);
}

#[test]
fn currencies_are_never_added_together() {
    let es = [
        entry(1, 1, 1, "2026-11-30", 9, 3600),
        entry(2, 1, 2, "2026-11-30", 11, 3600),
    ];
    let (p2, mut t2) = terms(2, Some(5000), vec![], Rounding::None);
    t2.currency = "USD".into();
    let t = HashMap::from([terms(1, Some(9000), vec![], Rounding::None), (p2, t2)]);
    let r = summarize(
        &es,
        d("2026-11-30"),
        d("2026-11-30"),
        Berlin,
        0,
        &[Dim::Project],
        &t,
    );
    assert_eq!(r.total.amounts.len(), 2);
    assert_eq!(
        (r.total.amounts["EUR"], r.total.amounts["USD"]),
        (9000, 5000)
    );
}
