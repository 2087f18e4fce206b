//! The client portal: what an account with the `client` role sees of the one client it is
//! linked to, read-only. Its projects (archived ones too), their tasks with status and
//! estimates, their budgets, and the hours on them by period, with people by display name only.
//! Never another client's anything, never a note, never an email or an id of a person, and
//! money (rates, amounts, money budgets) only where the instance shows rates to clients
//! (`portal.show_rates`). Time of people restricted from processing is left out, as in reports;
//! where the instance uses approval (`approval.enabled`), only time in approved weeks counts.
//! Each read of people's time is recorded as `data.accessed`.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::audit::Read;
use super::project_billing::BudgetStatus;
use super::reports::{check_group, range};
use super::{Actor, Portal, Result, ServiceError};
use crate::domain::approval::{weeks_of_entry, WeekState};
use crate::domain::billing::{Limit, Terms};
use crate::domain::codes;
use crate::domain::report::{summarize, Dim, Report};
use crate::domain::time::{days_range, local_date};
use crate::domain::tracking::{Client, Entry, Project};
use crate::domain::{Permission, ProjectId, UserId};
use crate::store::prelude::*;

/// The portal's first page: the client, its projects and whether money is shown.
pub struct Overview {
    pub client: Client,
    pub show_rates: bool,
    /// Each of the client's projects with all of its time against its budget and estimates.
    pub projects: Vec<BudgetStatus>,
}

/// Hours on the client's projects over a range, grouped; row labels by key.
pub struct Hours {
    pub client: Client,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub time_zone: String,
    pub group: Vec<Dim>,
    pub show_rates: bool,
    pub report: Report,
    pub labels: HashMap<(Dim, Option<String>), String>,
}

/// The groupings a client may ask for: never by tag (tags are the team's own words).
const CLIENT_DIMS: [Dim; 6] = [
    Dim::Project,
    Dim::Task,
    Dim::User,
    Dim::Day,
    Dim::Week,
    Dim::Month,
];

impl Portal<'_> {
    /// The client `actor` is linked to. Roles: client (linked).
    fn linked_client(&self, actor: &Actor) -> Result<(UserId, Client)> {
        actor.require(Permission::ReadPortal)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let rec = self
            .store()
            .user(me)?
            .ok_or(ServiceError::Unauthenticated)?;
        let id = (rec.user.client_id).ok_or(ServiceError::Conflict(codes::PORTAL_NOT_LINKED))?;
        let client =
            (self.store().client(id)?).ok_or(ServiceError::Conflict(codes::PORTAL_NOT_LINKED))?;
        Ok((me, client))
    }

    fn projects_of(&self, client: &Client) -> Result<Vec<Project>> {
        let mut ps: Vec<Project> = (self.store().projects()?.into_iter())
            .filter(|p| p.client_id == Some(client.id))
            .collect();
        ps.sort_by_key(|p| (p.archived, p.name.to_lowercase()));
        Ok(ps)
    }

    /// The client, its projects with their budgets and tasks. Roles: client.
    pub async fn overview(&self, actor: &Actor) -> Result<Overview> {
        let (_, client) = self.linked_client(actor)?;
        let show_rates = self.settings().portal_shows_rates;
        let mut projects = Vec::new();
        for p in self.projects_of(&client)? {
            let (entries, tasks) = self.client_time(p.id).await?;
            let mut status = self.projects().status_of(&p, &entries, tasks, actor)?;
            if !show_rates {
                hide_money(&mut status);
            }
            projects.push(status);
        }
        Ok(Overview {
            client,
            show_rates,
            projects,
        })
    }

    /// Hours on the client's projects in `from..=to` (the caller's zone), grouped by up to two
    /// of project, task, user, day, week, month. Roles: client.
    pub async fn hours(
        &self,
        actor: &Actor,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        group: &[Dim],
    ) -> Result<Hours> {
        let (me, client) = self.linked_client(actor)?;
        let tz = self.zone_of(actor)?;
        let today = local_date(self.now(), tz);
        let (from, to) = range(from, to, today)?;
        let group = check_group(group)?;
        if let Some(d) = group.iter().find(|d| !CLIENT_DIMS.contains(d)) {
            return Err(crate::domain::DomainError::field(
                "group",
                "invalid",
                format!(
                    "the portal groups by project, task, user, day, week or month, not {}",
                    d.name()
                ),
            )
            .into());
        }
        let defaults = self.settings().billing;
        let projects = self.projects_of(&client)?;
        let terms: HashMap<ProjectId, Terms> = (projects.iter())
            .map(|p| (p.id, Terms::of(p, &defaults)))
            .collect();
        let (from_ms, to_ms) = days_range(from, to, tz);
        let reach = self.settings().tracking.max_entry_ms;
        let mut entries: Vec<Entry> = Vec::new();
        for p in &projects {
            let (mine, _) = self.client_time(p.id).await?;
            entries.extend(
                mine.into_iter()
                    .filter(|e| e.start_ms < to_ms && e.start_ms >= from_ms.saturating_sub(reach)),
            );
        }
        let mut report = summarize(&entries, from, to, tz, self.now(), &group, &terms);
        let show_rates = self.settings().portal_shows_rates;
        if !show_rates {
            strip_amounts(&mut report);
        }
        let people: BTreeSet<UserId> = (entries.iter())
            .filter(|e| e.user_id != me)
            .map(|e| e.user_id)
            .collect();
        if !people.is_empty() {
            let read = Read {
                what: "time entries (client portal)",
                subjects: people.into_iter().collect(),
                count: report.total.entries,
                from_ms: Some(from_ms),
                to_ms: Some(to_ms),
            };
            self.audit().record_access(actor, read).await?;
        }
        let labels = self.labels_of(&report)?;
        Ok(Hours {
            client,
            from,
            to,
            time_zone: tz.name().to_owned(),
            group,
            show_rates,
            report,
            labels,
        })
    }

    /// The client's timesheet for `from..=to` (the caller's zone) as a PDF: each entry of the
    /// hours above (those starting in the range) with its day, times, person by display name,
    /// project and task, per-week and total hours, and amounts only where the instance shows
    /// rates; never a note, an e-mail address or an id. Returns the file's name and bytes.
    /// Roles: client.
    pub async fn timesheet_pdf(
        &self,
        actor: &Actor,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<(String, Vec<u8>)> {
        use crate::export::{ExportInfo, ExportRow, Format, MAX_PDF_ROWS};
        let (me, client) = self.linked_client(actor)?;
        let tz = self.zone_of(actor)?;
        let today = local_date(self.now(), tz);
        let (from, to) = range(from, to, today)?;
        let (from_ms, to_ms) = days_range(from, to, tz);
        let show_rates = self.settings().portal_shows_rates;
        let defaults = self.settings().billing;
        let projects = self.projects_of(&client)?;
        let tasks: HashMap<_, _> = (self.store().all_tasks()?.into_iter())
            .map(|t| (t.id, t.title))
            .collect();
        let mut names = self.labels().cache();
        let at = |ms: i64| {
            chrono::DateTime::from_timestamp_millis(ms)
                .unwrap_or_default()
                .with_timezone(&tz)
                .fixed_offset()
        };
        let mut rows: Vec<ExportRow> = Vec::new();
        for p in &projects {
            let terms = Terms::of(p, &defaults);
            let (mine, _) = self.client_time(p.id).await?;
            for e in mine
                .into_iter()
                .filter(|e| e.start_ms >= from_ms && e.start_ms < to_ms)
            {
                let Some(end_ms) = e.end_ms else { continue };
                let seconds = crate::domain::time::duration_secs(e.start_ms, end_ms);
                let rate = terms.rate(&e).filter(|_| show_rates);
                rows.push(ExportRow {
                    entry_id: String::new(),
                    user_id: e.user_id.to_string(),
                    user_email: String::new(),
                    user_name: names
                        .user_name(e.user_id)?
                        .unwrap_or_else(|| "(erased)".into()),
                    client: client.name.clone(),
                    project: p.name.clone(),
                    task: (e.task_id.and_then(|t| tasks.get(&t)).cloned()).unwrap_or_default(),
                    tags: Vec::new(),
                    note: String::new(),
                    start: at(e.start_ms),
                    end: at(end_ms),
                    duration_seconds: seconds,
                    billable: e.billable,
                    rate_cents: rate,
                    amount_cents: rate
                        .filter(|_| e.billable)
                        .map(|r| crate::domain::report::amount(seconds, r)),
                    currency: p.currency.clone(),
                    week_state: None,
                    // Clients see no notes; the PDF has no ticket column.
                    tickets: Vec::new(),
                });
            }
        }
        if rows.len() > MAX_PDF_ROWS {
            return Err(crate::domain::DomainError::field(
                "to",
                "too_many_rows",
                "a PDF holds at most 10,000 entries: choose a shorter period",
            )
            .into());
        }
        // Person by person (by name), each oldest first, as every export.
        rows.sort_by(|a, b| {
            (a.user_name.to_lowercase(), &a.user_id, a.start).cmp(&(
                b.user_name.to_lowercase(),
                &b.user_id,
                b.start,
            ))
        });
        let people: BTreeSet<UserId> = (rows.iter())
            .filter_map(|r| r.user_id.parse().ok())
            .filter(|u| *u != me)
            .collect();
        if !people.is_empty() {
            let read = Read {
                what: "time entries (client portal)",
                subjects: people.into_iter().collect(),
                count: rows.len(),
                from_ms: Some(from_ms),
                to_ms: Some(to_ms),
            };
            self.audit().record_access(actor, read).await?;
        }
        let info = ExportInfo {
            title: format!("Timesheet — {}", client.name),
            from,
            to,
            time_zone: tz.name().to_owned(),
            generated_at: at(self.now()),
            generated_by: names.user_name(me)?.unwrap_or_default(),
            filters: Vec::new(),
        };
        let mut out = Vec::new();
        let mut sink =
            crate::export::sink(Format::Pdf, Default::default(), &info, Box::new(&mut out))
                .map_err(|e| ServiceError::Internal(e.into()))?;
        for r in &rows {
            sink.row(r).map_err(|e| ServiceError::Internal(e.into()))?;
        }
        sink.finish()
            .map_err(|e| ServiceError::Internal(e.into()))?;
        Ok((format!("timesheet-{from}_{to}.pdf"), out))
    }

    /// A project's entries the portal counts and its tasks. Left out: time of people
    /// restricted from processing, and, where the instance uses approval, time in any week
    /// (its person's week, in their time zone) that is not approved.
    async fn client_time(
        &self,
        project: ProjectId,
    ) -> Result<(Vec<Entry>, Vec<crate::domain::tracking::Task>)> {
        let approved_only = self.settings().approval.enabled;
        self.off_runtime(move |s| {
            // Per person: their time zone, or `None` while restricted.
            let mut people: HashMap<UserId, Option<chrono_tz::Tz>> = HashMap::new();
            let mut approved: HashMap<(UserId, NaiveDate), bool> = HashMap::new();
            let mut kept = Vec::new();
            for e in s.store().project_entries(project, |_| true)? {
                let tz = match people.get(&e.user_id) {
                    Some(t) => *t,
                    None => {
                        let t = if s.privacy().is_restricted(e.user_id)? {
                            None
                        } else {
                            // An erased person's entries have no account: their weeks in UTC.
                            let user = s.store().user(e.user_id)?;
                            Some(user.map_or(chrono_tz::UTC, |r| r.user.time_zone.tz()))
                        };
                        people.insert(e.user_id, t);
                        t
                    }
                };
                let Some(tz) = tz else { continue };
                if approved_only {
                    let mut all = true;
                    for monday in weeks_of_entry(e.start_ms, e.end_ms, tz) {
                        let ok = match approved.get(&(e.user_id, monday)) {
                            Some(ok) => *ok,
                            None => {
                                let ok = (s.store().week(e.user_id, monday)?)
                                    .is_some_and(|w| w.state == WeekState::Approved);
                                approved.insert((e.user_id, monday), ok);
                                ok
                            }
                        };
                        all &= ok;
                    }
                    if !all {
                        continue;
                    }
                }
                kept.push(e);
            }
            Ok((kept, s.store().tasks_of(project)?))
        })
        .await
    }

    /// Row labels as the Reports page has them (names of projects and tasks, people's display
    /// names, dates as they are), without colours.
    fn labels_of(&self, report: &Report) -> Result<HashMap<(Dim, Option<String>), String>> {
        Ok((self.reports().labels_of(&report.rows)?.into_iter())
            .map(|(k, v)| (k, v.label))
            .collect())
    }
}

/// Money out of a project's status: the amount, and a money budget (the hours stay).
fn hide_money(s: &mut BudgetStatus) {
    s.amount_cents = 0;
    if s.project
        .budget
        .is_some_and(|b| matches!(b.limit, Limit::Cents(_)))
    {
        s.project.budget = None;
        s.usage = None;
    }
    s.project.rate_cents = None;
    s.project.rates.clear();
}

fn strip_amounts(r: &mut Report) {
    r.total.amounts.clear();
    let mut stack: Vec<&mut crate::domain::report::Row> = r.rows.iter_mut().collect();
    while let Some(row) = stack.pop() {
        row.sums.amounts.clear();
        stack.extend(row.rows.iter_mut());
    }
}
