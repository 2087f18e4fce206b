//! Quick-add: one typed line becomes one entry (or starts a timer), or an error naming the
//! token that is wrong.

use std::collections::HashMap;

use super::once::{Attempt, Once};
use crate::domain::quickadd::{self, ProjectName, When};
use crate::domain::time::{local_date, local_instant};
use crate::domain::tracking::Entry;
use crate::domain::ProjectId;
use crate::domain::{codes, range, FieldError};
use crate::service::{Actor, Entries, EntryInput, Result, ServiceError};
use crate::store::DoneOutcome;

fn invalid(code: &str, message: String) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new("text", code, message)])
}

impl Entries<'_> {
    /// Parses `line` in the caller's time zone and records the entry. Nothing is created when
    /// any part of the line is wrong. A day over a year ago or after tomorrow needs `confirmed`
    /// (`entry.needs_confirmation`, reported on the line). Roles: admin, manager, member.
    pub async fn quick_add(&self, actor: &Actor, line: &str, confirmed: bool) -> Result<Entry> {
        self.quick_add_at(actor, line, confirmed, None, None).await
    }

    /// [`Self::quick_add`] as typed at `at` (a line sent later by a device that was offline:
    /// `range::acted_at`): a duration ends then, and `today` is that day. Done once per `once`
    /// key.
    pub async fn quick_add_at(
        &self,
        actor: &Actor,
        line: &str,
        confirmed: bool,
        at: Option<i64>,
        once: Option<&Once>,
    ) -> Result<Entry> {
        actor.require(crate::domain::Permission::TrackTime)?;
        let typed_at = range::acted_at(at, self.now())?;
        let replay = |o| match o {
            DoneOutcome::Created { entry } => self.made(actor, entry),
            _ => Err(ServiceError::Unprocessable(codes::REQUEST_KEY_REUSED)),
        };
        let request = format!("entries.quick|{line}|{confirmed}|{at:?}");
        let claim = match self.attempt(actor, once, &request, replay)? {
            Attempt::Done(done) => return Ok(done),
            Attempt::Do(claim) => claim,
        };
        let (ids, names): (Vec<ProjectId>, Vec<ProjectName>) =
            self.named_projects(actor)?.into_iter().unzip();
        let q = quickadd::parse(line, &names).map_err(|e| invalid(e.code, e.message))?;
        let project = ids[q.project];
        let tz = self.zone_of(actor)?;
        let now = typed_at;
        let today = local_date(now, tz);
        let date = q.day.resolve(today);
        let (start, end) = match q.when {
            When::Duration(secs) if date == today => (now - secs * 1000, now),
            When::Duration(secs) => {
                let nine = chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("09:00 exists");
                let start = local_instant(date, nine, tz);
                (start, start + secs * 1000)
            }
            When::Range(a, b) => (local_instant(date, a, tz), local_instant(date, b, tz)),
        };
        // The range rule, reported on the line itself (where the UI shows quick-add errors).
        range::finished(start, end, self.now(), &self.settings().tracking).map_err(|e| {
            let on_text = |f: FieldError| FieldError::new("text", &f.code, f.message);
            ServiceError::Invalid(e.0.into_iter().map(on_text).collect())
        })?;
        let input = EntryInput {
            project_id: Some(project),
            task_id: None,
            start_ms: Some(start),
            end_ms: Some(end),
            note: Some(q.note),
            tags: Some(q.tags),
            billable: q.billable,
        };
        let made = self.create_claimed(actor, input, confirmed, claim.clone());
        let made = match made.await {
            Err(err) => self.lost_claim(&claim, err, replay),
            ok => ok,
        };
        made.map_err(|e| match e {
            // Reported on the line itself, where the UI shows quick-add errors.
            ServiceError::Unconfirmed(fields) => ServiceError::Unconfirmed(
                (fields.into_iter())
                    .map(|f| FieldError::new("text", &f.code, f.message))
                    .collect(),
            ),
            e => e,
        })
    }

    /// Starts a timer from a typed line without a when (`acme/backups #ops rotating keys`,
    /// [`quickadd::parse_timer`]): as [`Self::start_timer_at`] with the project, tags, billable
    /// flag and note the line names. A line that does not parse is refused on field `text`
    /// with its `quick.*` code, and nothing starts. Roles: admin, manager, member.
    pub async fn start_timer_text(
        &self,
        actor: &Actor,
        line: &str,
        at: Option<i64>,
        once: Option<&Once>,
    ) -> Result<(Entry, Option<Entry>)> {
        actor.require(crate::domain::Permission::TrackTime)?;
        let (ids, names): (Vec<ProjectId>, Vec<ProjectName>) =
            self.named_projects(actor)?.into_iter().unzip();
        let t = quickadd::parse_timer(line, &names).map_err(|e| invalid(e.code, e.message))?;
        let input = EntryInput {
            project_id: Some(ids[t.project]),
            note: Some(t.note),
            tags: Some(t.tags),
            billable: t.billable,
            ..Default::default()
        };
        self.start_timer_at(actor, input, at, once).await
    }

    /// The projects a line may name: those the caller lists, not archived and not of an
    /// archived client (neither takes new time), with their clients' names.
    fn named_projects(&self, actor: &Actor) -> Result<Vec<(ProjectId, ProjectName)>> {
        let clients: HashMap<_, _> = self
            .clients()
            .list(actor, true)?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        Ok(self
            .projects()
            .list(actor, false)?
            .into_iter()
            .filter_map(|p| {
                let client = p.client_id.and_then(|id| clients.get(&id));
                if client.is_some_and(|c| c.archived) {
                    return None;
                }
                let name = ProjectName {
                    client: client.map(|c| c.name.clone()),
                    project: p.name,
                };
                Some((p.id, name))
            })
            .collect())
    }
}
