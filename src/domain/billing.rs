//! What time is worth: rates with the date they apply from, rounding, and budgets.
//!
//! Rates are resolved when time is read, never copied into reports: an entry is worth the rate
//! in force at its start. A project has a rate (for all of its time) and may have rate changes,
//! each from an instant, for the whole project, for one member on it, or for one of its tasks.
//! The most specific kind that has a change in force wins (task, then member, then project);
//! among changes of that kind, the latest in force. With none in force, the project's rate.
//!
//! Rounding is for billing: the tracked seconds stay as they are, and a report shows the
//! rounded time beside them and prices the rounded time. It applies per entry (each entry's time
//! in the report, rounded) or per day (a person's time on one day, project, task and rate,
//! rounded once). An instance has a default; a project may override it.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::tracking::Entry;
use super::{DomainError, TaskId, UserId};

/// Which way a rounding goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
    Nearest,
}

/// What one rounding applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    Entry,
    Day,
}

/// The steps a rounding may take, in minutes.
pub const STEPS: [u32; 6] = [1, 5, 6, 10, 15, 30];

/// How tracked seconds become billed seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Rounding {
    None,
    Round {
        direction: Direction,
        minutes: u32,
        per: Per,
    },
}

impl Rounding {
    /// `seconds` rounded. Up rounds any part of a step to a whole one; nearest rounds a half
    /// step up; zero stays zero.
    pub fn apply(self, seconds: i64) -> i64 {
        let Rounding::Round {
            direction, minutes, ..
        } = self
        else {
            return seconds;
        };
        let step = i64::from(minutes.max(1)) * 60;
        let down = seconds.div_euclid(step) * step;
        let rest = seconds - down;
        match direction {
            _ if rest == 0 => seconds,
            Direction::Down => down,
            Direction::Up => down + step,
            Direction::Nearest if rest * 2 >= step => down + step,
            Direction::Nearest => down,
        }
    }

    pub fn per(self) -> Option<Per> {
        match self {
            Rounding::None => None,
            Rounding::Round { per, .. } => Some(per),
        }
    }

    /// Parses the written form: `none`, or `<up|down|nearest> <minutes> per <entry|day>`.
    pub fn parse(raw: &str) -> Result<Rounding, String> {
        let words: Vec<String> = raw.split_whitespace().map(str::to_lowercase).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let usage = || {
            format!(
                "use \"none\" or \"<up|down|nearest> <{}> per <entry|day>\", e.g. \"up 15 per entry\"",
                STEPS.map(|s| s.to_string()).join("|")
            )
        };
        match words.as_slice() {
            ["none"] => Ok(Rounding::None),
            [dir, minutes, "per", per] => {
                let direction = match *dir {
                    "up" => Direction::Up,
                    "down" => Direction::Down,
                    "nearest" => Direction::Nearest,
                    _ => return Err(usage()),
                };
                let minutes: u32 = minutes.parse().map_err(|_| usage())?;
                let per = match *per {
                    "entry" => Per::Entry,
                    "day" => Per::Day,
                    _ => return Err(usage()),
                };
                Rounding::round(direction, minutes, per).map_err(|_| usage())
            }
            _ => Err(usage()),
        }
    }

    /// A rounding, checked: `minutes` is one of [`STEPS`].
    pub fn round(direction: Direction, minutes: u32, per: Per) -> Result<Rounding, DomainError> {
        if !STEPS.contains(&minutes) {
            return Err(DomainError::field(
                "rounding",
                "invalid_step",
                "round to 1, 5, 6, 10, 15 or 30 minutes",
            ));
        }
        Ok(Rounding::Round {
            direction,
            minutes,
            per,
        })
    }
}

impl fmt::Display for Rounding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rounding::None => f.write_str("none"),
            Rounding::Round {
                direction,
                minutes,
                per,
            } => {
                let dir = match direction {
                    Direction::Up => "up",
                    Direction::Down => "down",
                    Direction::Nearest => "nearest",
                };
                let per = match per {
                    Per::Entry => "entry",
                    Per::Day => "day",
                };
                write!(f, "{dir} {minutes} per {per}")
            }
        }
    }
}

/// The instance's billing defaults (`[billing]`), where a project has none of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Defaults {
    pub rounding: Rounding,
    pub alert_percent: u8,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            rounding: Rounding::None,
            alert_percent: 80,
        }
    }
}

/// What a rate change applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RateScope {
    Project,
    Member(UserId),
    Task(TaskId),
}

impl RateScope {
    /// Higher is more specific.
    fn rank(self) -> u8 {
        match self {
            RateScope::Project => 0,
            RateScope::Member(_) => 1,
            RateScope::Task(_) => 2,
        }
    }

    fn covers(self, e: &Entry) -> bool {
        match self {
            RateScope::Project => true,
            RateScope::Member(u) => e.user_id == u,
            RateScope::Task(t) => e.task_id == Some(t),
        }
    }
}

/// A rate from an instant on (`None`: no rate, the time is not priced).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateChange {
    pub scope: RateScope,
    pub from_ms: i64,
    pub rate_cents: Option<i64>,
}

/// The most rate changes one project keeps.
pub const MAX_RATE_CHANGES: usize = 200;

/// The rate of `e` given its project's rate and rate changes.
pub fn rate_of(e: &Entry, base: Option<i64>, changes: &[RateChange]) -> Option<i64> {
    changes
        .iter()
        .filter(|c| c.from_ms <= e.start_ms && c.scope.covers(e))
        .max_by_key(|c| (c.scope.rank(), c.from_ms))
        .map_or(base, |c| c.rate_cents)
}

/// Rate changes, checked: each rate in bounds, at most [`MAX_RATE_CHANGES`], and no two of
/// one scope from the same instant. Returned in order of scope and instant.
pub fn rate_changes(mut changes: Vec<RateChange>) -> Result<Vec<RateChange>, DomainError> {
    if changes.len() > MAX_RATE_CHANGES {
        return Err(DomainError::field(
            "rates",
            "too_many",
            format!("a project keeps at most {MAX_RATE_CHANGES} rate changes"),
        ));
    }
    for c in &changes {
        super::tracking::rate(c.rate_cents)
            .map_err(|e| DomainError::field("rates", &e.0[0].code, e.0[0].message.clone()))?;
    }
    changes.sort_by_key(|c| (c.scope.rank(), scope_id(c.scope), c.from_ms));
    if changes
        .windows(2)
        .any(|w| w[0].scope == w[1].scope && w[0].from_ms == w[1].from_ms)
    {
        return Err(DomainError::field(
            "rates",
            "repeated",
            "two rate changes for the same thing start on the same day",
        ));
    }
    Ok(changes)
}

fn scope_id(s: RateScope) -> [u8; 16] {
    match s {
        RateScope::Project => [0; 16],
        RateScope::Member(u) => *u.as_bytes(),
        RateScope::Task(t) => *t.as_bytes(),
    }
}

/// A project's terms as reports need them: its client, rates, currency and rounding (the
/// instance's default where the project has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub client: Option<super::ClientId>,
    pub rate_cents: Option<i64>,
    pub currency: String,
    pub rates: Vec<RateChange>,
    pub rounding: Rounding,
}

impl Terms {
    /// A project's terms, with the instance's rounding where it has none.
    pub fn of(p: &super::tracking::Project, defaults: &Defaults) -> Terms {
        Terms {
            client: p.client_id,
            rate_cents: p.rate_cents,
            currency: p.currency.clone(),
            rates: p.rates.clone(),
            rounding: p.rounding.unwrap_or(defaults.rounding),
        }
    }

    /// The rate of `e`, an entry of this project.
    pub fn rate(&self, e: &Entry) -> Option<i64> {
        rate_of(e, self.rate_cents, &self.rates)
    }
}

/// What a budget limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "limit", rename_all = "snake_case")]
pub enum Limit {
    /// Tracked seconds.
    Seconds(i64),
    /// Billed amount in the project's currency, minor units.
    Cents(i64),
}

/// A project's budget and when it warns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    pub limit: Limit,
    /// Warn once this share of the limit is used, in percent.
    pub alert_percent: u8,
}

/// The largest hours budget: 100,000 hours.
pub const MAX_BUDGET_SECS: i64 = 100_000 * 3600;
/// The largest money budget: 10,000,000,000.00.
pub const MAX_BUDGET_CENTS: i64 = 1_000_000_000_000;

pub fn budget(b: Option<Budget>) -> Result<Option<Budget>, DomainError> {
    let Some(b) = b else { return Ok(None) };
    let (value, max, what) = match b.limit {
        Limit::Seconds(s) => (s, MAX_BUDGET_SECS, "100,000 hours"),
        Limit::Cents(c) => (c, MAX_BUDGET_CENTS, "10,000,000,000.00"),
    };
    if value <= 0 {
        return Err(DomainError::field(
            "budget",
            "not_positive",
            "a budget is more than zero; clear it to have none",
        ));
    }
    if value > max {
        return Err(DomainError::field(
            "budget",
            "too_large",
            format!("a budget is at most {what}"),
        ));
    }
    if !(1..=100).contains(&b.alert_percent) {
        return Err(DomainError::field(
            "budget_alert_percent",
            "out_of_range",
            "warn at 1 to 100 percent of the budget",
        ));
    }
    Ok(Some(b))
}

/// How much of a limit is used, in whole percent rounded down, and whether it warns or is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Use {
    pub used: i64,
    pub limit: i64,
    pub percent: i64,
    pub alert: bool,
    pub over: bool,
}

pub fn usage(used: i64, limit: i64, alert_percent: u8) -> Use {
    let percent = if limit > 0 {
        (i128::from(used) * 100 / i128::from(limit)) as i64
    } else {
        0
    };
    Use {
        used,
        limit,
        percent,
        alert: limit > 0 && i128::from(used) * 100 >= i128::from(limit) * i128::from(alert_percent),
        over: used > limit,
    }
}

#[cfg(test)]
#[path = "billing_tests.rs"]
mod tests;
