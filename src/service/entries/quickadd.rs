//! Quick-add: one typed line becomes one entry, or an error naming the token that is wrong.

use crate::domain::quickadd::{self, When};
use crate::domain::time::{local_date, local_instant};
use crate::domain::tracking::Entry;
use crate::domain::FieldError;
use crate::service::{Actor, Entries, EntryInput, Result, ServiceError};
use crate::store::prelude::*;

fn invalid(code: &str, message: String) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new("text", code, message)])
}

impl Entries<'_> {
    /// Parses `line` in the caller's time zone and records the entry. Nothing is created when
    /// any part of the line is wrong. Roles: admin, manager, member.
    pub async fn quick_add(&self, actor: &Actor, line: &str) -> Result<Entry> {
        actor.require(crate::domain::Permission::TrackTime)?;
        let q = quickadd::parse(line).map_err(|e| invalid(e.code, e.message))?;
        let (client, name) = q.project.clone().ok_or_else(|| {
            invalid(
                "quick.missing_project",
                "name the project as client/project or /project".into(),
            )
        })?;
        let typed = if client.is_empty() {
            format!("/{name}")
        } else {
            format!("{client}/{name}")
        };
        let matches: Vec<_> = self
            .projects()
            .list(actor, false)?
            .into_iter()
            .filter(|p| p.name.eq_ignore_ascii_case(&name))
            .filter(|p| {
                client.is_empty()
                    || self
                        .clients()
                        .name(p.client_id)
                        .is_some_and(|c| c.eq_ignore_ascii_case(&client))
            })
            .collect();
        let project = match matches.as_slice() {
            [one] => one.id,
            [] => {
                return Err(invalid(
                    "quick.unknown_project",
                    format!("`{typed}`: none of your projects has that name"),
                ))
            }
            _ => {
                return Err(invalid(
                    "quick.ambiguous_project",
                    format!("`{typed}`: several projects match; add the client"),
                ))
            }
        };
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let tz = self
            .store()
            .user(me)?
            .ok_or(ServiceError::Unauthenticated)?
            .user
            .time_zone
            .tz();
        let now = self.now();
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
        crate::domain::range::finished(start, end, now, &self.settings().tracking).map_err(
            |e| {
                let on_text = |f: FieldError| FieldError::new("text", &f.code, f.message);
                ServiceError::Invalid(e.0.into_iter().map(on_text).collect())
            },
        )?;
        let input = EntryInput {
            project_id: Some(project),
            task_id: None,
            start_ms: Some(start),
            end_ms: Some(end),
            note: Some(q.note),
            tags: Some(q.tags),
            billable: q.billable,
        };
        self.create(actor, input).await
    }
}
