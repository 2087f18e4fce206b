use super::*;
use crate::domain::{EntryId, ProjectId};

fn e(user: u8, task: Option<u8>, start_ms: i64) -> Entry {
    Entry {
        id: EntryId::from_bytes([1; 16]),
        user_id: UserId::from_bytes([user; 16]),
        project_id: ProjectId::from_bytes([9; 16]),
        task_id: task.map(|t| TaskId::from_bytes([t; 16])),
        tags: Vec::new(),
        note: String::new(),
        start_ms,
        end_ms: Some(start_ms + 1000),
        billable: true,
        rate_cents: Some(1),
        currency: "EUR".into(),
        created_at_ms: 0,
        updated_at_ms: 0,
    }
}

#[test]
fn rounding_goes_up_down_or_to_the_nearest_step() {
    let r = |d, m| Rounding::round(d, m, Per::Entry).unwrap();
    assert_eq!(r(Direction::Up, 15).apply(60), 900);
    assert_eq!(r(Direction::Up, 15).apply(900), 900);
    assert_eq!(r(Direction::Up, 15).apply(901), 1800);
    assert_eq!(r(Direction::Down, 15).apply(1799), 900);
    assert_eq!(r(Direction::Nearest, 6).apply(179), 0);
    assert_eq!(
        r(Direction::Nearest, 6).apply(180),
        360,
        "a half step goes up"
    );
    assert_eq!(r(Direction::Up, 1).apply(0), 0, "nothing stays nothing");
    assert_eq!(Rounding::None.apply(61), 61);
    assert!(Rounding::round(Direction::Up, 7, Per::Day).is_err());
}

#[test]
fn rounding_reads_and_writes_one_form() {
    for raw in [
        "none",
        "up 15 per entry",
        "nearest 6 per day",
        "down 1 per entry",
    ] {
        assert_eq!(Rounding::parse(raw).unwrap().to_string(), raw);
    }
    assert_eq!(
        Rounding::parse(" Up  30 PER day ").unwrap().to_string(),
        "up 30 per day"
    );
    for bad in [
        "",
        "up",
        "up 7 per entry",
        "sideways 15 per day",
        "up 15 per week",
    ] {
        assert!(
            Rounding::parse(bad)
                .unwrap_err()
                .contains("up 15 per entry"),
            "{bad}"
        );
    }
}

#[test]
fn the_most_specific_rate_in_force_wins() {
    let member = RateScope::Member(UserId::from_bytes([2; 16]));
    let task = RateScope::Task(TaskId::from_bytes([3; 16]));
    let ch = |scope, from_ms, rate| RateChange {
        scope,
        from_ms,
        rate_cents: rate,
    };
    let changes = [
        ch(RateScope::Project, 100, Some(110)),
        ch(RateScope::Project, 200, Some(120)),
        ch(member, 150, Some(80)),
        ch(task, 300, None),
    ];
    let rate = |e: &Entry| rate_of(e, Some(100), &changes);
    assert_eq!(
        rate(&e(1, None, 50)),
        Some(100),
        "before any change: the base"
    );
    assert_eq!(rate(&e(1, None, 100)), Some(110), "from the instant on");
    assert_eq!(rate(&e(1, None, 250)), Some(120), "the latest in force");
    assert_eq!(
        rate(&e(2, None, 250)),
        Some(80),
        "a member's rate beats the project's"
    );
    assert_eq!(
        rate(&e(2, None, 120)),
        Some(110),
        "not yet in force for the member"
    );
    assert_eq!(
        rate(&e(2, Some(3), 300)),
        None,
        "the task's change wins, even to no rate"
    );
    assert_eq!(rate(&e(2, Some(3), 299)), Some(80));
}

#[test]
fn rate_changes_are_bounded_and_not_repeated() {
    let ch = |from_ms, rate| RateChange {
        scope: RateScope::Project,
        from_ms,
        rate_cents: rate,
    };
    let ok = rate_changes(vec![ch(2, Some(1)), ch(1, Some(2))]).unwrap();
    assert_eq!(ok[0].from_ms, 1, "sorted");
    let code = |r: Result<Vec<RateChange>, DomainError>| r.unwrap_err().0[0].code.clone();
    assert_eq!(
        code(rate_changes(vec![ch(1, Some(1)), ch(1, Some(2))])),
        "repeated"
    );
    assert_eq!(code(rate_changes(vec![ch(1, Some(-1))])), "negative");
    assert_eq!(code(rate_changes(vec![ch(1, None); 201])), "too_many");
}

#[test]
fn budgets_warn_at_their_share_and_say_when_over() {
    let u = usage(80, 100, 80);
    assert!(u.alert && !u.over);
    assert_eq!(u.percent, 80);
    assert!(!usage(79, 100, 80).alert);
    assert!(usage(101, 100, 80).over);
    let b = |limit, alert_percent| {
        budget(Some(Budget {
            limit,
            alert_percent,
        }))
    };
    assert!(b(Limit::Seconds(3600), 80).is_ok());
    assert_eq!(
        b(Limit::Seconds(0), 80).unwrap_err().0[0].code,
        "not_positive"
    );
    assert_eq!(
        b(Limit::Cents(MAX_BUDGET_CENTS + 1), 80).unwrap_err().0[0].code,
        "too_large"
    );
    assert_eq!(b(Limit::Cents(1), 0).unwrap_err().0[0].code, "out_of_range");
}
