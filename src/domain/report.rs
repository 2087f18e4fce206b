//! Reports: the time of many entries summed by up to two groupings, in one person's time zone.
//!
//! One rule, shared with the timesheet: an entry counts with the seconds that fall inside the
//! range, cut at local midnights by [`split_by_day`] (whose pieces add up to the entry's
//! duration), so a report's days add up to its total and a week's report equals that week's
//! timesheet. Money is each piece's billed seconds (rounded where the project's rounding says:
//! `billing`) at the rate in force for the entry, rounded half up to the minor unit, summed per
//! currency (never across currencies). An entry with two tags counts under
//! both in a grouping by tag; totals count it once. The same holds for tickets (the ids its note
//! and task title refer to, `domain::tickets`), which the caller finds and passes in.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use super::billing::{Per, Terms};
use super::time::{split_by_day, week_of};
use super::tracking::Entry;
use super::{ClientId, EntryId, ProjectId, TaskId, UserId};

/// What rows are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dim {
    Client,
    Project,
    Task,
    User,
    Tag,
    Ticket,
    Day,
    Week,
    Month,
}

impl Dim {
    pub const ALL: [Dim; 9] = [
        Dim::Client,
        Dim::Project,
        Dim::Task,
        Dim::User,
        Dim::Tag,
        Dim::Ticket,
        Dim::Day,
        Dim::Week,
        Dim::Month,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dim::Client => "client",
            Dim::Project => "project",
            Dim::Task => "task",
            Dim::User => "user",
            Dim::Tag => "tag",
            Dim::Ticket => "ticket",
            Dim::Day => "day",
            Dim::Week => "week",
            Dim::Month => "month",
        }
    }

    pub fn parse(s: &str) -> Option<Dim> {
        Dim::ALL.into_iter().find(|d| d.name() == s)
    }

    /// Rows of days, weeks and months are in calendar order; others by time, largest first.
    pub fn is_time(self) -> bool {
        matches!(self, Dim::Day | Dim::Week | Dim::Month)
    }
}

/// A row's key: its grouping and the id of what it stands for (a uuid, a date, `2026-11`, a
/// lower-cased tag, a ticket id), `None` for "no client", "no task", "no tag" or "no ticket".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub dim: Dim,
    pub id: Option<String>,
}

/// Sums of one row, or of the whole report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sums {
    pub seconds: i64,
    pub billable_seconds: i64,
    /// The seconds as billed: rounded where a rounding applies, else the seconds.
    pub rounded_seconds: i64,
    /// Minor units per currency, of the rounded seconds at each entry's rate.
    pub amounts: BTreeMap<String, i64>,
    /// The entries with time in the row.
    pub entries: usize,
}

/// A row, with the rows of the second grouping inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: Key,
    pub sums: Sums,
    pub rows: Vec<Row>,
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub total: Sums,
    pub rows: Vec<Row>,
    /// Seconds per local day of the range, every day included.
    pub days: Vec<(NaiveDate, i64)>,
}

/// `seconds` at `rate_cents` an hour, in minor units, rounded half up.
pub fn amount(seconds: i64, rate_cents: i64) -> i64 {
    let exact = i128::from(seconds) * i128::from(rate_cents);
    ((exact + 1800) / 3600).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// One entry's time on one local day, as tracked and as billed, and the entry's rate.
struct Piece<'a> {
    e: &'a Entry,
    date: NaiveDate,
    secs: i64,
    billed: i64,
    rate: Option<i64>,
}

/// A row's key while summing: the id as it is (no text made per entry), made a [`Key`] once
/// per row at the end.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Slot {
    None,
    Client(ClientId),
    Project(ProjectId),
    Task(TaskId),
    User(UserId),
    Tag(String),
    Ticket(String),
    /// A day, or a week's Monday.
    Date(NaiveDate),
    Month(i32, u32),
}

impl Slot {
    fn key(self, dim: Dim) -> Key {
        let id = match self {
            Slot::None => None,
            Slot::Client(c) => Some(c.to_string()),
            Slot::Project(p) => Some(p.to_string()),
            Slot::Task(t) => Some(t.to_string()),
            Slot::User(u) => Some(u.to_string()),
            Slot::Tag(t) | Slot::Ticket(t) => Some(t),
            Slot::Date(d) => Some(d.to_string()),
            Slot::Month(y, m) => Some(format!("{y:04}-{m:02}")),
        };
        Key { dim, id }
    }
}

#[derive(Default)]
struct Acc {
    sums: Sums,
    /// The entry whose piece was added last: an entry's pieces come one after another, so a
    /// row counts an entry once however many of its days it holds.
    last: Option<EntryId>,
    inner: HashMap<Slot, Acc>,
}

impl Acc {
    fn add(&mut self, p: &Piece<'_>, money: Option<(&str, i64)>) {
        self.sums.seconds += p.secs;
        self.sums.rounded_seconds += p.billed;
        if p.e.billable {
            self.sums.billable_seconds += p.secs;
        }
        if let Some((currency, cents)) = money {
            match self.sums.amounts.get_mut(currency) {
                Some(sum) => *sum += cents,
                None => {
                    self.sums.amounts.insert(currency.to_owned(), cents);
                }
            }
        }
        if self.last != Some(p.e.id) {
            self.last = Some(p.e.id);
            self.sums.entries += 1;
        }
    }

    /// The rows of `inner`, whose grouping is `dims[0]`.
    fn rows(self, dims: &[Dim]) -> Vec<Row> {
        let Some((dim, rest)) = dims.split_first() else {
            return Vec::new();
        };
        let mut rows: Vec<Row> = (self.inner.into_iter())
            .map(|(slot, acc)| {
                let Acc { sums, inner, .. } = acc;
                Row {
                    key: slot.key(*dim),
                    sums,
                    rows: inner_rows(inner, rest),
                }
            })
            .collect();
        sort(&mut rows);
        rows
    }
}

/// The rows of a row's inner grouping (`dims[0]`), if it has one.
fn inner_rows(inner: HashMap<Slot, Acc>, dims: &[Dim]) -> Vec<Row> {
    if inner.is_empty() {
        Vec::new()
    } else {
        Acc {
            inner,
            ..Acc::default()
        }
        .rows(dims)
    }
}

fn sort(rows: &mut [Row]) {
    rows.sort_by(|a, b| {
        if a.key.dim.is_time() {
            a.key.id.cmp(&b.key.id)
        } else {
            (b.sums.seconds, &a.key.id).cmp(&(a.sums.seconds, &b.key.id))
        }
    });
}

/// The slots of `p` in grouping `dim`, into `out` (one, or one per tag or ticket).
fn slots(
    p: &Piece<'_>,
    dim: Dim,
    client_of: &impl Fn(ProjectId) -> Option<ClientId>,
    tickets: &Tickets,
    out: &mut Vec<Slot>,
) {
    out.clear();
    match dim {
        Dim::Client => out.push(client_of(p.e.project_id).map_or(Slot::None, Slot::Client)),
        Dim::Project => out.push(Slot::Project(p.e.project_id)),
        Dim::Task => out.push(p.e.task_id.map_or(Slot::None, Slot::Task)),
        Dim::User => out.push(Slot::User(p.e.user_id)),
        Dim::Tag if p.e.tags.is_empty() => out.push(Slot::None),
        Dim::Tag => {
            let mut tags: Vec<String> = p.e.tags.iter().map(|t| t.to_lowercase()).collect();
            tags.sort();
            tags.dedup();
            out.extend(tags.into_iter().map(Slot::Tag));
        }
        Dim::Ticket => match tickets.get(&p.e.id).filter(|t| !t.is_empty()) {
            Some(ids) => out.extend(ids.iter().cloned().map(Slot::Ticket)),
            None => out.push(Slot::None),
        },
        Dim::Day => out.push(Slot::Date(p.date)),
        Dim::Week => out.push(week_of(p.date).map_or(Slot::None, |(monday, _)| Slot::Date(monday))),
        Dim::Month => out.push(Slot::Month(p.date.year(), p.date.month())),
    }
}

/// Each entry's ticket ids, each once (an entry not in it refers to none).
pub type Tickets = HashMap<EntryId, Vec<String>>;

/// Sums `entries` over the local days `from..=to` of `tz` by `dims` (at most two are used).
/// A running entry counts up to `now_ms`. `terms` gives each project's client, rates and
/// rounding; an entry of a project not in it keeps the rate it was recorded with, unrounded.
pub fn summarize<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    from: NaiveDate,
    to: NaiveDate,
    tz: Tz,
    now_ms: i64,
    dims: &[Dim],
    terms: &HashMap<ProjectId, Terms>,
) -> Report {
    let none = Tickets::new();
    summarize_with(entries, from, to, tz, now_ms, dims, terms, &none)
}

/// [`summarize`], with each entry's tickets for a grouping by ticket.
#[allow(clippy::too_many_arguments)]
pub fn summarize_with<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    from: NaiveDate,
    to: NaiveDate,
    tz: Tz,
    now_ms: i64,
    dims: &[Dim],
    terms: &HashMap<ProjectId, Terms>,
    tickets: &Tickets,
) -> Report {
    let dims = &dims[..dims.len().min(2)];
    let mut days: BTreeMap<NaiveDate, i64> = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|d| (d, 0))
        .collect();
    let mut pieces = Vec::new();
    for e in entries {
        let t = terms.get(&e.project_id);
        let rate = t.map_or(e.rate_cents, |t| t.rate(e));
        for (date, secs) in split_by_day(e.start_ms, e.end_ms.unwrap_or(now_ms), tz) {
            if date < from || date > to || secs == 0 {
                continue;
            }
            *days.entry(date).or_default() += secs;
            pieces.push(Piece {
                e,
                date,
                secs,
                billed: secs,
                rate,
            });
        }
    }
    round(&mut pieces, terms);
    let client_of = |p: ProjectId| terms.get(&p).and_then(|t| t.client);
    let mut top = Acc::default();
    let (mut outer, mut inner) = (Vec::new(), Vec::new());
    for p in &pieces {
        let currency = terms
            .get(&p.e.project_id)
            .map_or(p.e.currency.as_str(), |t| t.currency.as_str());
        let money = (p.rate)
            .filter(|_| p.e.billable)
            .map(|rate| (currency, amount(p.billed, rate)));
        top.add(p, money);
        let Some((first, rest)) = dims.split_first() else {
            continue;
        };
        slots(p, *first, &client_of, tickets, &mut outer);
        if let Some(second) = rest.first() {
            slots(p, *second, &client_of, tickets, &mut inner);
        }
        for k1 in outer.drain(..) {
            let row = top.inner.entry(k1).or_default();
            row.add(p, money);
            for k2 in inner.iter() {
                match row.inner.get_mut(k2) {
                    Some(acc) => acc.add(p, money),
                    None => {
                        let mut acc = Acc::default();
                        acc.add(p, money);
                        row.inner.insert(k2.clone(), acc);
                    }
                }
            }
        }
        inner.clear();
    }
    let total = top.sums.clone();
    Report {
        total,
        rows: top.rows(dims),
        days: days.into_iter().collect(),
    }
}

/// Sets each piece's billed seconds by its project's rounding: per entry, an entry's time in
/// the report is rounded once; per day, a person's time on one day, project, task and rate.
/// The difference goes to the group's first piece, so the rounded total is the sum of groups.
fn round(pieces: &mut [Piece<'_>], terms: &HashMap<ProjectId, Terms>) {
    type Group = (
        UserId,
        ProjectId,
        Option<TaskId>,
        bool,
        Option<i64>,
        Option<NaiveDate>,
        Option<EntryId>,
    );
    let mut groups: HashMap<Group, (i64, usize)> = HashMap::new();
    let mut order = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        let Some(per) = terms.get(&p.e.project_id).and_then(|t| t.rounding.per()) else {
            continue;
        };
        let (date, entry) = match per {
            Per::Entry => (None, Some(p.e.id)),
            Per::Day => (Some(p.date), None),
        };
        let key = (
            p.e.user_id,
            p.e.project_id,
            p.e.task_id,
            p.e.billable,
            p.rate,
            date,
            entry,
        );
        let g = groups.entry(key).or_insert_with(|| {
            order.push(key);
            (0, i)
        });
        g.0 += p.secs;
    }
    for key in order {
        let (secs, first) = groups[&key];
        let rounding = terms[&key.1].rounding;
        pieces[first].billed += rounding.apply(secs) - secs;
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
