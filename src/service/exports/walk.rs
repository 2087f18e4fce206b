//! The walk behind an export: whose entries, which of them, and each one as an [`ExportRow`]
//! with its names, rate and week state. Person by person (by name), each oldest first, a page of
//! entries at a time: memory stays flat however many entries go out.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use chrono::{Datelike, Days, NaiveDate};
use chrono_tz::Tz;

use super::{ExportQuery, Prepared};
use crate::domain::billing::{Defaults, Terms};
use crate::domain::report::amount;
use crate::domain::time::{duration_secs, local_date};
use crate::domain::tracking::{Entry, Project};
use crate::domain::{ClientId, Permission, ProjectId, TaskId, UserId};
use crate::export::ExportRow;
use crate::service::{Actor, Result, ServiceError, Services, Who};
use crate::store::prelude::*;

/// Entries read from the store at a time.
const PAGE: usize = 2000;

/// What went out.
#[derive(Debug, Default)]
pub struct Written {
    pub entries: usize,
    /// The people whose entries went out, with how many of theirs.
    pub subjects: std::collections::BTreeMap<UserId, usize>,
}

struct Person {
    id: UserId,
    name: String,
    email: String,
    tz: Tz,
}

/// Who and what an export covers, with the names its rows need.
pub(super) struct Plan {
    /// The caller, when a person (their own entries are never "others'").
    me: Option<UserId>,
    reads_all: bool,
    managed: BTreeSet<ProjectId>,
    people: Vec<Person>,
    projects: HashMap<ProjectId, Project>,
    terms: HashMap<ProjectId, Terms>,
    clients: HashMap<ClientId, String>,
    tasks: HashMap<TaskId, String>,
    /// `tickets.patterns`, for each row's tickets.
    tickets: crate::domain::tickets::Patterns,
    approvals: bool,
    tags: Vec<String>,
    text: Option<String>,
    q: ExportQuery,
}

impl Plan {
    pub(super) fn new(svc: &Services, actor: &Actor, q: &ExportQuery) -> Result<Plan> {
        let store = svc.store();
        let me = actor.user_id();
        if me.is_none() && !matches!(actor.who, Who::Cli(_) | Who::System) {
            return Err(ServiceError::Unauthenticated);
        }
        let reads_all = me.is_none() || actor.allows(Permission::ReadAllTime);
        let team = actor.allows(Permission::ReadTeamTime);
        let projects: HashMap<ProjectId, Project> =
            store.projects()?.into_iter().map(|p| (p.id, p)).collect();
        let managed: BTreeSet<ProjectId> = match me {
            Some(me) if team => (projects.values())
                .filter(|p| p.is_managed_by(me))
                .map(|p| p.id)
                .collect(),
            _ => BTreeSet::new(),
        };
        let flags = store.all_privacy_flags()?;
        let scheduled = matches!(actor.who, Who::System);
        let mut people = Vec::new();
        for u in store.all_users()? {
            let mine = Some(u.id) == me;
            if !(mine || reads_all || !managed.is_empty())
                || (!q.users.is_empty() && !q.users.contains(&u.id))
            {
                continue;
            }
            let f = flags.get(&u.id);
            if !mine && f.is_some_and(|f| f.restricted.is_some()) {
                continue;
            }
            if scheduled && f.is_some_and(|f| f.objects_to("scheduled_export")) {
                continue;
            }
            people.push(Person {
                id: u.id,
                name: u.name.as_str().to_owned(),
                email: u.email.as_str().to_owned(),
                tz: u.time_zone.tz(),
            });
        }
        people.sort_by_key(|p| (p.name.to_lowercase(), p.id));
        let defaults: Defaults = svc.settings().billing;
        let terms = (projects.values())
            .map(|p| (p.id, Terms::of(p, &defaults)))
            .collect();
        let clients = (store.clients()?.into_iter())
            .map(|c| (c.id, c.name))
            .collect();
        let tasks = (store.all_tasks()?.into_iter())
            .map(|t| (t.id, t.title))
            .collect();
        Ok(Plan {
            me,
            reads_all,
            managed,
            people,
            projects,
            terms,
            clients,
            tasks,
            tickets: svc.settings().tickets.clone(),
            approvals: svc.weeks().enabled(),
            tags: q.tags.iter().map(|t| t.to_lowercase()).collect(),
            text: q.text.as_ref().map(|t| t.to_lowercase()),
            q: q.clone(),
        })
    }

    /// Whether `e` goes out: finished, visible to the caller, and kept by every filter.
    fn keeps(&self, e: &Entry) -> bool {
        let q = &self.q;
        e.end_ms.is_some()
            && (Some(e.user_id) == self.me
                || self.reads_all
                || self.managed.contains(&e.project_id))
            && (q.projects.is_empty() || q.projects.contains(&e.project_id))
            && (q.clients.is_empty()
                || (self.projects.get(&e.project_id))
                    .and_then(|p| p.client_id)
                    .is_some_and(|c| q.clients.contains(&c)))
            && (q.tasks.is_empty() || e.task_id.is_some_and(|t| q.tasks.contains(&t)))
            && (self.tags.is_empty()
                || e.tags.iter().any(|t| self.tags.contains(&t.to_lowercase())))
            && q.billable.is_none_or(|b| e.billable == b)
            && (self.text.as_ref()).is_none_or(|t| e.note.to_lowercase().contains(t.as_str()))
            && (q.tickets.is_empty() || {
                let title = e
                    .task_id
                    .and_then(|t| self.tasks.get(&t))
                    .map(String::as_str);
                (self
                    .tickets
                    .ids([e.note.as_str()].into_iter().chain(title))
                    .iter())
                .any(|id| q.tickets.iter().any(|t| t.eq_ignore_ascii_case(id)))
            })
    }

    /// How many entries go out, counting up to `cap`.
    pub(super) fn count(
        &self,
        svc: &Services,
        from_ms: i64,
        to_ms: i64,
        cap: usize,
    ) -> Result<usize> {
        let mut n = 0;
        for p in &self.people {
            let mut after = None;
            loop {
                let (page, next) =
                    svc.store()
                        .user_entries_forward(p.id, from_ms, to_ms, after, PAGE, |e| {
                            self.keeps(e)
                        })?;
                n += page.len();
                if n >= cap {
                    return Ok(n);
                }
                match next {
                    Some(pos) => after = Some(pos),
                    None => break,
                }
            }
        }
        Ok(n)
    }

    pub(super) fn write(
        &self,
        svc: &Services,
        p: &Prepared,
        out: Box<dyn Write + Send + '_>,
        written: &mut Written,
    ) -> Result<()> {
        let io = |e: std::io::Error| ServiceError::Internal(anyhow::anyhow!("export: {e}"));
        let mut sink =
            crate::export::sink(p.query.format, p.query.csv, &p.info, out).map_err(io)?;
        for person in &self.people {
            let weeks = self.week_states(svc, person, p)?;
            let mut after = None;
            loop {
                let (page, next) = svc.store().user_entries_forward(
                    person.id,
                    p.from_ms,
                    p.to_ms,
                    after,
                    PAGE,
                    |e| self.keeps(e),
                )?;
                for e in &page {
                    sink.row(&self.row(e, person, p.tz, &weeks)).map_err(io)?;
                }
                if !page.is_empty() {
                    written.entries += page.len();
                    *written.subjects.entry(person.id).or_default() += page.len();
                }
                match next {
                    Some(pos) => after = Some(pos),
                    None => break,
                }
            }
        }
        sink.finish().map_err(io)
    }

    /// The state of each of `person`'s weeks the export may touch (Monday → state), when week
    /// approval is on.
    fn week_states(
        &self,
        svc: &Services,
        person: &Person,
        p: &Prepared,
    ) -> Result<Option<HashMap<NaiveDate, &'static str>>> {
        if !self.approvals {
            return Ok(None);
        }
        let first = local_date(p.from_ms, person.tz) - Days::new(7);
        let last = local_date(p.to_ms, person.tz) + Days::new(7);
        Ok(Some(
            (svc.store().weeks_of(person.id, first, last)?.into_iter())
                .map(|w| (w.monday, w.state.as_str()))
                .collect(),
        ))
    }

    fn row(
        &self,
        e: &Entry,
        person: &Person,
        tz: Tz,
        weeks: &Option<HashMap<NaiveDate, &'static str>>,
    ) -> ExportRow {
        let end_ms = e.end_ms.unwrap_or(e.start_ms);
        let at = |ms: i64| {
            chrono::DateTime::from_timestamp_millis(ms)
                .unwrap_or_default()
                .with_timezone(&tz)
                .fixed_offset()
        };
        let project = self.projects.get(&e.project_id);
        let terms = self.terms.get(&e.project_id);
        let seconds = duration_secs(e.start_ms, end_ms);
        let rate = terms.and_then(|t| t.rate(e));
        let week_state = weeks.as_ref().map(|w| {
            let day = local_date(e.start_ms, person.tz);
            let monday = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
            w.get(&monday).copied().unwrap_or("open")
        });
        ExportRow {
            entry_id: e.id.to_string(),
            user_id: person.id.to_string(),
            user_email: person.email.clone(),
            user_name: person.name.clone(),
            client: (project.and_then(|p| p.client_id))
                .and_then(|c| self.clients.get(&c))
                .cloned()
                .unwrap_or_default(),
            project: project.map(|p| p.name.clone()).unwrap_or_default(),
            task: (e.task_id.and_then(|t| self.tasks.get(&t)))
                .cloned()
                .unwrap_or_default(),
            tags: e.tags.clone(),
            note: e.note.clone(),
            start: at(e.start_ms),
            end: at(end_ms),
            duration_seconds: seconds,
            billable: e.billable,
            rate_cents: rate,
            amount_cents: rate.filter(|_| e.billable).map(|r| amount(seconds, r)),
            currency: (terms.map(|t| t.currency.clone())).unwrap_or_else(|| e.currency.clone()),
            week_state,
            tickets: self.tickets.tickets(
                [e.note.as_str()].into_iter().chain(
                    e.task_id
                        .and_then(|t| self.tasks.get(&t))
                        .map(String::as_str),
                ),
            ),
        }
    }

    /// "Timesheet — Ada Lovelace" for one person, "Report — Acme" for one client, else
    /// "Time entries".
    pub(super) fn title(&self, q: &ExportQuery) -> String {
        if let [u] = q.users.as_slice() {
            if let Some(p) = self.people.iter().find(|p| p.id == *u) {
                return format!("Timesheet — {}", p.name);
            }
        }
        if let [c] = q.clients.as_slice() {
            if let Some(name) = self.clients.get(c) {
                return format!("Report — {name}");
            }
        }
        if let [p] = q.projects.as_slice() {
            if let Some(p) = self.projects.get(p) {
                return format!("Report — {}", p.name);
            }
        }
        if self.people.len() == 1 && !self.reads_all && self.managed.is_empty() {
            return format!("Timesheet — {}", self.people[0].name);
        }
        "Time entries".to_owned()
    }

    /// The filters of `q`, by name, one line each.
    pub(super) fn filter_lines(&self, q: &ExportQuery) -> Vec<String> {
        let mut out = Vec::new();
        let names = |what: &str, list: Vec<String>| {
            (!list.is_empty()).then(|| format!("{what}: {}", list.join(", ")))
        };
        out.extend(names(
            "People",
            (q.users.iter())
                .filter_map(|u| self.people.iter().find(|p| p.id == *u))
                .map(|p| p.name.clone())
                .collect(),
        ));
        out.extend(names(
            "Clients",
            q.clients
                .iter()
                .filter_map(|c| self.clients.get(c).cloned())
                .collect(),
        ));
        out.extend(names(
            "Projects",
            (q.projects.iter())
                .filter_map(|p| self.projects.get(p).map(|p| p.name.clone()))
                .collect(),
        ));
        out.extend(names(
            "Tasks",
            q.tasks
                .iter()
                .filter_map(|t| self.tasks.get(t).cloned())
                .collect(),
        ));
        out.extend(names("Tags", q.tags.clone()));
        out.extend(names("Tickets", q.tickets.clone()));
        if let Some(b) = q.billable {
            out.push(
                if b {
                    "Billable only"
                } else {
                    "Non-billable only"
                }
                .to_owned(),
            );
        }
        if let Some(t) = &q.text {
            out.push(format!("Note contains: {t}"));
        }
        out
    }
}
