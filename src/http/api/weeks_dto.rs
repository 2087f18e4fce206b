//! The week approval types of the API, shared by the weeks endpoints and the timesheet (which
//! carries the state of the week it shows).

use chrono::Days;
use poem_openapi::Object;

use crate::domain::approval::StepKind;
use crate::domain::UserId;
use crate::service::{rfc3339, ServiceError, Services, WeekView};

/// One step of a week's history.
#[derive(Object)]
pub(super) struct StepDto {
    /// `submitted`, `approved`, `rejected`, `reopened` or `locked`.
    step: String,
    /// Who took it, as the audit log names actors (`user:<id>`, `system`).
    by: String,
    /// Their name now (`Auto-lock` for the scheduled job; none for a removed account).
    #[oai(nullable)]
    by_name: Option<String>,
    at: String,
    /// The submitter's note, the rejection's comment, the reopening's reason.
    #[oai(nullable)]
    comment: Option<String>,
    /// Seconds the week held when the step was taken.
    total_seconds: i64,
}

/// Seconds of one project in the week.
#[derive(Object)]
pub(super) struct WeekProjectDto {
    project_id: String,
    name: String,
    color: String,
    seconds: i64,
}

/// What the caller may do with the week.
#[derive(Object)]
pub(super) struct WeekCanDto {
    submit: bool,
    approve: bool,
    reject: bool,
    reopen: bool,
}

/// One person's week (Monday to Sunday in their time zone) and where it stands.
#[derive(Object)]
pub(super) struct WeekDto {
    user_id: String,
    user_name: String,
    /// The Monday.
    week_start: String,
    /// The Sunday.
    week_end: String,
    /// `open`, `submitted`, `approved`, `rejected` or `locked`.
    state: String,
    /// Approved or locked: its entries cannot be created, changed, moved or deleted.
    locked: bool,
    /// Seconds of the person's time in the week now.
    total_seconds: i64,
    /// The latest step's comment (a rejection's reason, say), if it has one.
    #[oai(nullable)]
    comment: Option<String>,
    /// Every step, oldest first.
    history: Vec<StepDto>,
    /// Seconds per project, most first.
    projects: Vec<WeekProjectDto>,
    can: WeekCanDto,
}

/// Who took a step, for people.
fn by_name(svc: &Services, by: &str) -> Result<Option<String>, ServiceError> {
    if by == "system" {
        return Ok(Some("Auto-lock".into()));
    }
    if let Some(cli) = by.strip_prefix("cli:") {
        return Ok(Some(format!("{cli} (command line)")));
    }
    match by
        .strip_prefix("user:")
        .and_then(|id| id.parse::<UserId>().ok())
    {
        Some(id) => svc.labels().user_name(id),
        None => Ok(None),
    }
}

pub(super) fn week_dto(svc: &Services, v: WeekView) -> Result<WeekDto, ServiceError> {
    let mut names = svc.labels().cache();
    let projects = (v.projects.iter())
        .map(|(p, secs)| {
            let l = names.row(*p, None)?;
            Ok(WeekProjectDto {
                project_id: p.to_string(),
                name: l.project_name,
                color: l.project_color,
                seconds: *secs,
            })
        })
        .collect::<Result<_, ServiceError>>()?;
    let history = (v.week.steps.iter())
        .map(|s| {
            Ok(StepDto {
                step: s.kind.as_str().to_owned(),
                by: s.by.clone(),
                by_name: by_name(svc, &s.by)?,
                at: rfc3339(s.at_ms),
                comment: s.comment.clone(),
                total_seconds: s.total_secs,
            })
        })
        .collect::<Result<_, ServiceError>>()?;
    let w = &v.week;
    // The latest step's comment, but a reopening's reason only while the week stays open.
    let comment = w
        .last_step()
        .filter(|s| s.kind != StepKind::Locked)
        .and_then(|s| s.comment.clone());
    Ok(WeekDto {
        user_id: w.user_id.to_string(),
        user_name: v.user_name,
        week_start: w.monday.to_string(),
        week_end: (w.monday.checked_add_days(Days::new(6)).unwrap_or(w.monday)).to_string(),
        state: w.state.as_str().to_owned(),
        locked: w.state.is_locked(),
        total_seconds: v.total_secs,
        comment,
        history,
        projects,
        can: WeekCanDto {
            submit: v.can.submit,
            approve: v.can.decide,
            reject: v.can.decide,
            reopen: v.can.reopen,
        },
    })
}
