//! The detailed and the weekly report: the entries behind a summary, paged, and people × the
//! seven days of a week. Who sees what, the filters and the recording of reads of other people's
//! time are the summary's (`reports.rs`: [`Reports::visible_entries`]); seconds and money come
//! from `domain::report::summarize`, so a detailed report's rows add up to the summary of the
//! same filters and a weekly grid to that week's summary; overlaps from `domain::overlap`.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::audit::Read;
use super::reports::{range, SummaryQuery};
use super::{Actor, Reports, Result, ServiceError};
use crate::domain::billing::{Rounding, Terms};
use crate::domain::overlap::overlapping;
use crate::domain::report::{summarize, Dim, Report, Sums};
use crate::domain::time::{days_range, duration_secs, local_date, split_by_day, week_of};
use crate::domain::tracking::Entry;
use crate::domain::{DomainError, EntryId, Permission, ProjectId, UserId};

/// The largest page of the detailed report, as of the entries list.
pub const MAX_DETAILED_PAGE: usize = super::entries::MAX_PAGE;

/// One entry of the detailed report.
pub struct DetailedRow {
    pub entry: Entry,
    /// Its seconds and money inside the range (a running entry's up to now).
    pub sums: Sums,
    /// It overlaps another entry of the same person.
    pub overlaps: bool,
}

/// A page of the detailed report, newest first, with the totals of every entry it covers.
pub struct Detailed {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub time_zone: String,
    pub rows: Vec<DetailedRow>,
    /// Where the next page starts (the last row's start and id), if there is one.
    pub next: Option<(i64, EntryId)>,
    pub total: Sums,
    pub overlapping_entries: usize,
}

/// One person's week.
pub struct WeeklyRow {
    pub user_id: UserId,
    pub name: String,
    /// Seconds on Monday … Sunday.
    pub days: Vec<i64>,
    pub seconds: i64,
}

/// People × the seven days of one week.
pub struct Weekly {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub time_zone: String,
    pub rows: Vec<WeeklyRow>,
    /// Seconds of everyone shown on Monday … Sunday.
    pub days: Vec<i64>,
    pub seconds: i64,
}

impl Reports<'_> {
    /// The entries behind the summary of `q`, newest first, `limit` (1–2000) at a time after
    /// `before`. Roles: admin, manager, member, auditor.
    pub async fn detailed(
        &self,
        actor: &Actor,
        q: SummaryQuery,
        before: Option<(i64, EntryId)>,
        limit: usize,
    ) -> Result<Detailed> {
        actor.require(Permission::ReadProjects)?;
        let tz = self.zone_of(actor)?;
        let today = local_date(self.now(), tz);
        let (from, to) = range(q.from, q.to, today)?;
        let (fetched, terms) = self
            .fetch(actor, &q, (from, to), tz, "time entries (detailed report)")
            .await?;
        let now = self.now();
        let overlaps = self
            .overlap_set(actor, &q, &fetched, (from, to), tz)
            .await?;
        let span = Span::new((from, to), tz, now);
        let mut entries: Vec<Entry> = fetched.into_iter().filter(|e| span.holds(e)).collect();
        // The totals are billed as reports bill (rounding included); a row's amount is its own
        // time at its rate, since a rounding per day belongs to no single entry.
        let unrounded: HashMap<ProjectId, Terms> = (terms.iter())
            .map(|(p, t)| {
                (
                    *p,
                    Terms {
                        rounding: Rounding::None,
                        ..t.clone()
                    },
                )
            })
            .collect();
        let total = sums_of(&entries, (from, to), tz, now, &[], &terms).total;
        let overlapping_entries = entries.iter().filter(|e| overlaps.contains(&e.id)).count();
        entries.sort_by_key(|e| std::cmp::Reverse((e.start_ms, e.id)));
        let limit = limit.clamp(1, MAX_DETAILED_PAGE);
        let mut page: Vec<Entry> = (entries.into_iter())
            .filter(|e| before.is_none_or(|c| (e.start_ms, e.id) < c))
            .take(limit + 1)
            .collect();
        let more = page.len() > limit;
        page.truncate(limit);
        let next = more
            .then(|| page.last().map(|e| (e.start_ms, e.id)))
            .flatten();
        let rows = (page.into_iter())
            .map(|entry| DetailedRow {
                sums: sums_of([&entry], (from, to), tz, now, &[], &unrounded).total,
                overlaps: overlaps.contains(&entry.id),
                entry,
            })
            .collect();
        Ok(Detailed {
            from,
            to,
            time_zone: tz.name().to_owned(),
            rows,
            next,
            total,
            overlapping_entries,
        })
    }

    /// The people whose time `q` covers × the days of the week containing `week` (default:
    /// this week), in the caller's time zone. Roles: admin, manager, member, auditor.
    pub async fn weekly(
        &self,
        actor: &Actor,
        week: Option<NaiveDate>,
        q: SummaryQuery,
    ) -> Result<Weekly> {
        actor.require(Permission::ReadProjects)?;
        let tz = self.zone_of(actor)?;
        let day = week.unwrap_or_else(|| local_date(self.now(), tz));
        let (from, to) = week_of(day).ok_or_else(|| {
            ServiceError::from(DomainError::field(
                "week",
                "out_of_range",
                "no week of the calendar holds this date",
            ))
        })?;
        let (entries, _) = self
            .fetch(actor, &q, (from, to), tz, "time entries (weekly report)")
            .await?;
        let report = sums_of(
            &entries,
            (from, to),
            tz,
            self.now(),
            &[Dim::User, Dim::Day],
            &no_terms(),
        );
        let mut names = self.labels().cache();
        let dates: Vec<String> = from.iter_days().take(7).map(|d| d.to_string()).collect();
        let mut rows = Vec::new();
        for row in &report.rows {
            let Some(user_id) = row.key.id.as_deref().and_then(|id| id.parse().ok()) else {
                continue;
            };
            let days = (dates.iter())
                .map(|d| {
                    (row.rows.iter())
                        .find(|r| r.key.id.as_deref() == Some(d.as_str()))
                        .map_or(0, |r| r.sums.seconds)
                })
                .collect();
            rows.push(WeeklyRow {
                user_id,
                name: names
                    .user_name(user_id)?
                    .unwrap_or_else(|| "(erased)".into()),
                days,
                seconds: row.sums.seconds,
            });
        }
        rows.sort_by_key(|r| (r.name.to_lowercase(), r.user_id));
        Ok(Weekly {
            from,
            to,
            time_zone: tz.name().to_owned(),
            rows,
            days: report.days.iter().map(|(_, s)| *s).collect(),
            seconds: report.total.seconds,
        })
    }

    /// How many of `entries` (what `q` keeps of `range`) have time in the range and overlap
    /// another entry of the same person: any entry of theirs `actor` may see, also one that
    /// `q`'s narrowing filters (project, client, tag, billable, text) leave out.
    pub(super) async fn overlapping_in_range(
        &self,
        actor: &Actor,
        q: &SummaryQuery,
        entries: &[Entry],
        range: (NaiveDate, NaiveDate),
        tz: Tz,
    ) -> Result<usize> {
        let overlaps = self.overlap_set(actor, q, entries, range, tz).await?;
        let span = Span::new(range, tz, self.now());
        Ok((entries.iter())
            .filter(|e| overlaps.contains(&e.id) && span.holds(e))
            .count())
    }

    /// The ids of the entries that overlap another entry of the same person that `actor` may
    /// see ([`Self::overlapping_in_range`]); `entries` is what `q` keeps of `range`.
    async fn overlap_set(
        &self,
        actor: &Actor,
        q: &SummaryQuery,
        entries: &[Entry],
        (from, to): (NaiveDate, NaiveDate),
        tz: Tz,
    ) -> Result<HashSet<EntryId>> {
        let now = self.now();
        let narrowed = !q.projects.is_empty()
            || !q.clients.is_empty()
            || !q.tags.is_empty()
            || q.billable.is_some()
            || q.text.is_some()
            || !q.tickets.is_empty();
        if !narrowed {
            return Ok(overlapping(entries, now));
        }
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let wide = SummaryQuery {
            users: q.users.clone(),
            ..SummaryQuery::default()
        };
        let a2 = actor.clone();
        let (all, _) = self
            .off_runtime(move |s| s.reports().visible_entries(&a2, me, (from, to), tz, &wide))
            .await?;
        Ok(overlapping(&all, now))
    }

    /// The entries `actor` may see that `q` keeps and that may have time in `from..=to`
    /// (those only reaching up to the range included: they may overlap one inside it); a read
    /// of other people's time is recorded as `what`. With them, every project's terms (client,
    /// rates, rounding).
    pub(super) async fn fetch(
        &self,
        actor: &Actor,
        q: &SummaryQuery,
        (from, to): (NaiveDate, NaiveDate),
        tz: Tz,
        what: &'static str,
    ) -> Result<(Vec<Entry>, HashMap<ProjectId, Terms>)> {
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let (a2, q2) = (actor.clone(), q.clone());
        let (entries, terms) = self
            .off_runtime(move |s| s.reports().visible_entries(&a2, me, (from, to), tz, &q2))
            .await?;
        let span = Span::new((from, to), tz, self.now());
        let shown: Vec<&Entry> = entries.iter().filter(|e| span.holds(e)).collect();
        let others: BTreeSet<UserId> = (shown.iter())
            .map(|e| e.user_id)
            .filter(|u| *u != me)
            .collect();
        if !others.is_empty() {
            let read = Read {
                what,
                subjects: others.into_iter().collect(),
                count: shown.len(),
                from_ms: Some(span.from_ms),
                to_ms: Some(span.to_ms),
            };
            self.audit().record_access(actor, read).await?;
        }
        Ok((entries, terms))
    }
}

/// `entries` summed over `from..=to` of `tz` by `dims`: the one rule of every report. Money
/// (rates in force, rounding) by `terms`; where only seconds count, no terms are needed.
pub(super) fn sums_of<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    (from, to): (NaiveDate, NaiveDate),
    tz: Tz,
    now_ms: i64,
    dims: &[Dim],
    terms: &HashMap<ProjectId, Terms>,
) -> Report {
    summarize(entries, from, to, tz, now_ms, dims, terms)
}

/// Seconds only: no money is read from these sums.
pub(super) fn no_terms() -> HashMap<ProjectId, Terms> {
    HashMap::new()
}

/// The local days `from..=to` of `tz` at `now`: which entries have time in them.
pub(super) struct Span {
    from: NaiveDate,
    to: NaiveDate,
    from_ms: i64,
    to_ms: i64,
    tz: Tz,
    now: i64,
}

impl Span {
    pub(super) fn new((from, to): (NaiveDate, NaiveDate), tz: Tz, now: i64) -> Self {
        let (from_ms, to_ms) = days_range(from, to, tz);
        Self {
            from,
            to,
            from_ms,
            to_ms,
            tz,
            now,
        }
    }

    /// Whether `e` has a second inside the days (as [`summarize`] counts them; a running entry
    /// lasts until now).
    pub(super) fn holds(&self, e: &Entry) -> bool {
        let end = e.end_ms.unwrap_or(self.now);
        if e.start_ms >= self.from_ms && end <= self.to_ms {
            return duration_secs(e.start_ms, end) > 0;
        }
        (split_by_day(e.start_ms, end, self.tz).into_iter())
            .any(|(d, secs)| secs > 0 && d >= self.from && d <= self.to)
    }
}
