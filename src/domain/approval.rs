//! Week approval: the states of a person's week (Monday to Sunday in their time zone), the
//! steps that move it between them, and which weeks are locked. Pure: the service layer reads
//! the record, asks a transition here, and writes what it answers in one transaction.
//!
//! ```text
//!  open ──submit──▶ submitted ──approve──▶ approved ──reopen──▶ open
//!   ▲                  │  ▲                                        
//!   │               reject │ submit                              
//!   │                  ▼  │                                        
//!   │               rejected                                       
//!   └──reopen── locked ◀──lock (the auto-lock job; any state but approved)
//! ```
//! A week without a record is open. Approved and locked weeks are *locked*: no entry in them
//! may be created, changed, moved or deleted (erasure and retention excepted).

use chrono::NaiveDate;

use super::codes;
use super::UserId;

/// The `[approval]` settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    /// Whether people submit weeks and managers approve them (`approval.enabled`).
    pub enabled: bool,
    /// Weeks whose Sunday is more than this many days ago lock on their own (0: never).
    pub lock_after_days: u32,
}

/// The longest comment or reason a step keeps.
pub const MAX_COMMENT: usize = 2000;

/// Where a week stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekState {
    /// Not submitted (or reopened): its entries change freely.
    Open,
    /// Waiting for a manager or an admin; its entries still change (and the total with them).
    Submitted,
    Approved,
    /// Sent back with a comment; the person corrects it and submits again.
    Rejected,
    /// Locked by the auto-lock job without an approval.
    Locked,
}

impl WeekState {
    pub fn as_str(self) -> &'static str {
        match self {
            WeekState::Open => "open",
            WeekState::Submitted => "submitted",
            WeekState::Approved => "approved",
            WeekState::Rejected => "rejected",
            WeekState::Locked => "locked",
        }
    }

    /// Whether entries in such a week are frozen.
    pub fn is_locked(self) -> bool {
        matches!(self, WeekState::Approved | WeekState::Locked)
    }
}

/// What a step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Submitted,
    Approved,
    Rejected,
    Reopened,
    Locked,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Submitted => "submitted",
            StepKind::Approved => "approved",
            StepKind::Rejected => "rejected",
            StepKind::Reopened => "reopened",
            StepKind::Locked => "locked",
        }
    }
}

/// One step of a week's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    /// Who took it, as the audit log names actors (`user:<id>`, `system`).
    pub by: String,
    pub at_ms: i64,
    /// The submitter's note, the rejection's comment or the reopening's reason.
    pub comment: Option<String>,
    /// Seconds the week held when the step was taken.
    pub total_secs: i64,
}

/// One person's week with its history. `revision` is raised by every change of an entry in
/// the week (see `store::weeks`), so a decision computed from the week's entries can check,
/// in its transaction, that none changed since it read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    pub user_id: UserId,
    /// The Monday the week starts on.
    pub monday: NaiveDate,
    pub state: WeekState,
    pub steps: Vec<Step>,
    pub revision: u64,
}

/// Who takes a step and when.
pub struct By<'a> {
    pub by: &'a str,
    pub at_ms: i64,
    pub total_secs: i64,
}

/// A refused transition: the problem code, and the week's state that caused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub code: &'static str,
    pub state: WeekState,
}

impl Week {
    /// The record of a week that has none yet (open, no history).
    pub fn open(user_id: UserId, monday: NaiveDate) -> Week {
        Week {
            user_id,
            monday,
            state: WeekState::Open,
            steps: Vec::new(),
            revision: 0,
        }
    }

    /// The latest step, if any.
    pub fn last_step(&self) -> Option<&Step> {
        self.steps.last()
    }

    fn then(&self, state: WeekState, kind: StepKind, by: By, comment: Option<String>) -> Week {
        let mut w = self.clone();
        w.state = state;
        w.steps.push(Step {
            kind,
            by: by.by.to_owned(),
            at_ms: by.at_ms,
            comment,
            total_secs: by.total_secs,
        });
        w
    }

    fn refuse(&self, code: &'static str) -> Refused {
        Refused {
            code,
            state: self.state,
        }
    }
}

/// Submits `w` (`None`: a week without a record): open or rejected weeks only.
pub fn submit(
    user: UserId,
    monday: NaiveDate,
    w: Option<&Week>,
    by: By,
    comment: Option<String>,
) -> Result<Week, Refused> {
    let w = w.cloned().unwrap_or_else(|| Week::open(user, monday));
    match w.state {
        WeekState::Open | WeekState::Rejected => {
            Ok(w.then(WeekState::Submitted, StepKind::Submitted, by, comment))
        }
        WeekState::Submitted => Err(w.refuse(codes::WEEK_ALREADY_SUBMITTED)),
        WeekState::Approved | WeekState::Locked => Err(w.refuse(codes::WEEK_LOCKED)),
    }
}

/// Approves a submitted week, with an optional comment.
pub fn approve(w: Option<&Week>, by: By, comment: Option<String>) -> Result<Week, Refused> {
    let w = submitted(w)?;
    Ok(w.then(WeekState::Approved, StepKind::Approved, by, comment))
}

/// Rejects a submitted week; the comment says what to correct.
pub fn reject(w: Option<&Week>, by: By, comment: String) -> Result<Week, Refused> {
    let w = submitted(w)?;
    Ok(w.then(WeekState::Rejected, StepKind::Rejected, by, Some(comment)))
}

/// Reopens an approved or locked week, for a reason kept in its history.
pub fn reopen(w: Option<&Week>, by: By, reason: String) -> Result<Week, Refused> {
    match w {
        Some(w) if w.state.is_locked() => {
            Ok(w.then(WeekState::Open, StepKind::Reopened, by, Some(reason)))
        }
        Some(w) => Err(w.refuse(codes::WEEK_NOT_LOCKED)),
        None => Err(Refused {
            code: codes::WEEK_NOT_LOCKED,
            state: WeekState::Open,
        }),
    }
}

/// Locks a week that is not locked yet (the auto-lock job); `None` when it is locked already,
/// or was reopened by a person and not decided on since (the job does not undo a reopening).
pub fn lock(user: UserId, monday: NaiveDate, w: Option<&Week>, by: By) -> Option<Week> {
    let w = w.cloned().unwrap_or_else(|| Week::open(user, monday));
    let reopened = w.last_step().is_some_and(|s| s.kind == StepKind::Reopened);
    (!w.state.is_locked() && !reopened)
        .then(|| w.then(WeekState::Locked, StepKind::Locked, by, None))
}

fn submitted(w: Option<&Week>) -> Result<&Week, Refused> {
    match w {
        Some(w) if w.state == WeekState::Submitted => Ok(w),
        Some(w) => Err(w.refuse(codes::WEEK_NOT_SUBMITTED)),
        None => Err(Refused {
            code: codes::WEEK_NOT_SUBMITTED,
            state: WeekState::Open,
        }),
    }
}

/// The Mondays of the weeks the local dates `first..=last` fall in, in order.
pub fn mondays(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let Some((mut monday, _)) = super::time::week_of(first) else {
        return out;
    };
    while monday <= last {
        out.push(monday);
        match monday.checked_add_days(chrono::Days::new(7)) {
            Some(next) => monday = next,
            None => break,
        }
    }
    out
}

/// The Mondays of the weeks an entry `[start, end)` touches in `tz` (a running entry: the week
/// it started in).
pub fn weeks_of_entry(start_ms: i64, end_ms: Option<i64>, tz: chrono_tz::Tz) -> Vec<NaiveDate> {
    let first = super::time::local_date(start_ms, tz);
    let last = match end_ms {
        // The last instant inside the entry: one ending at midnight does not touch the next day.
        Some(end) if end > start_ms => super::time::local_date(end - 1, tz),
        _ => first,
    };
    mondays(first, last)
}

/// A comment or reason as kept: trimmed; `required` refuses an empty one.
pub fn comment(
    field: &str,
    text: Option<&str>,
    required: bool,
) -> Result<Option<String>, super::DomainError> {
    let t = text.map(str::trim).unwrap_or("");
    if t.is_empty() {
        if required {
            return Err(super::DomainError::field(
                field,
                "required",
                format!("{field} is required"),
            ));
        }
        return Ok(None);
    }
    if t.chars().count() > MAX_COMMENT {
        return Err(super::DomainError::field(
            field,
            "too_long",
            format!("at most {MAX_COMMENT} characters"),
        ));
    }
    Ok(Some(t.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn by(at: i64) -> By<'static> {
        By {
            by: "user:x",
            at_ms: at,
            total_secs: 3600,
        }
    }

    fn u() -> UserId {
        UserId::from_bytes([1; 16])
    }

    #[test]
    fn a_week_goes_open_submitted_rejected_submitted_approved_reopened() {
        let m = d("2026-11-30");
        let w = submit(u(), m, None, by(1), Some("all there".into())).unwrap();
        assert_eq!(w.state, WeekState::Submitted);
        let w = reject(Some(&w), by(2), "Tuesday is missing".into()).unwrap();
        assert_eq!(w.state, WeekState::Rejected);
        assert!(!w.state.is_locked());
        let w = submit(u(), m, Some(&w), by(3), None).unwrap();
        let w = approve(Some(&w), by(4), None).unwrap();
        assert!(w.state.is_locked());
        let w = reopen(Some(&w), by(5), "wrong project".into()).unwrap();
        assert_eq!(w.state, WeekState::Open);
        let kinds: Vec<&str> = w.steps.iter().map(|s| s.kind.as_str()).collect();
        assert_eq!(
            kinds,
            ["submitted", "rejected", "submitted", "approved", "reopened"]
        );
        assert_eq!(w.steps[1].comment.as_deref(), Some("Tuesday is missing"));
        assert_eq!(w.steps[4].comment.as_deref(), Some("wrong project"));
    }

    #[test]
    fn wrong_transitions_answer_their_codes() {
        let m = d("2026-11-30");
        assert_eq!(
            approve(None, by(1), None).unwrap_err().code,
            codes::WEEK_NOT_SUBMITTED
        );
        assert_eq!(
            reject(None, by(1), "x".into()).unwrap_err().code,
            codes::WEEK_NOT_SUBMITTED
        );
        assert_eq!(
            reopen(None, by(1), "x".into()).unwrap_err().code,
            codes::WEEK_NOT_LOCKED
        );
        let sub = submit(u(), m, None, by(1), None).unwrap();
        assert_eq!(
            submit(u(), m, Some(&sub), by(2), None).unwrap_err().code,
            codes::WEEK_ALREADY_SUBMITTED
        );
        let ok = approve(Some(&sub), by(2), None).unwrap();
        // A second approval (another manager, a moment later) is refused, saying why.
        let again = approve(Some(&ok), by(3), None).unwrap_err();
        assert_eq!(
            (again.code, again.state),
            (codes::WEEK_NOT_SUBMITTED, WeekState::Approved)
        );
        assert_eq!(
            submit(u(), m, Some(&ok), by(3), None).unwrap_err().code,
            codes::WEEK_LOCKED
        );
        assert_eq!(
            reopen(Some(&sub), by(3), "x".into()).unwrap_err().code,
            codes::WEEK_NOT_LOCKED
        );
    }

    #[test]
    fn the_job_locks_any_week_but_a_locked_one_and_reopening_unlocks_it() {
        let m = d("2026-11-30");
        let locked = lock(u(), m, None, by(1)).unwrap();
        assert_eq!(locked.state, WeekState::Locked);
        assert!(lock(u(), m, Some(&locked), by(2)).is_none());
        let sub = submit(u(), m, None, by(1), None).unwrap();
        assert_eq!(
            lock(u(), m, Some(&sub), by(2)).unwrap().state,
            WeekState::Locked
        );
        let approved = approve(Some(&sub), by(2), None).unwrap();
        assert!(lock(u(), m, Some(&approved), by(3)).is_none());
        let open = reopen(Some(&locked), by(3), "late entry".into()).unwrap();
        assert_eq!(open.state, WeekState::Open);
        // The job leaves a reopened week open; once submitted again it may lock it.
        assert!(lock(u(), m, Some(&open), by(4)).is_none());
        let again = submit(u(), m, Some(&open), by(5), None).unwrap();
        assert!(lock(u(), m, Some(&again), by(6)).is_some());
    }

    #[test]
    fn an_entry_touches_the_weeks_of_its_first_and_last_instant() {
        let tz = chrono_tz::Europe::Berlin;
        // Sunday 2026-11-29 23:00 to Monday 01:00 Berlin time: two weeks.
        let start = crate::domain::time::local_instant(
            d("2026-11-29"),
            chrono::NaiveTime::from_hms_opt(23, 0, 0).unwrap(),
            tz,
        );
        assert_eq!(
            weeks_of_entry(start, Some(start + 2 * 3_600_000), tz),
            [d("2026-11-23"), d("2026-11-30")]
        );
        // Ending exactly at Monday's midnight: the first week only.
        assert_eq!(
            weeks_of_entry(start, Some(start + 3_600_000), tz),
            [d("2026-11-23")]
        );
        // A running entry: the week it started in. In UTC the same instant is Sunday 22:00.
        assert_eq!(weeks_of_entry(start, None, tz), [d("2026-11-23")]);
        assert_eq!(
            mondays(d("2026-11-01"), d("2026-11-30")),
            [
                d("2026-10-26"),
                d("2026-11-02"),
                d("2026-11-09"),
                d("2026-11-16"),
                d("2026-11-23"),
                d("2026-11-30")
            ]
        );
    }

    #[test]
    fn comments_are_trimmed_and_required_where_asked() {
        assert_eq!(
            comment("comment", Some("  ok "), true).unwrap(),
            Some("ok".into())
        );
        assert!(comment("comment", Some("   "), true).is_err());
        assert_eq!(comment("comment", None, false).unwrap(), None);
        assert!(comment("comment", Some(&"x".repeat(2001)), false).is_err());
    }
}
