//! The week timesheet: one's own week, or (for managers, admins and auditors) the week of someone
//! whose time they may read, which managers and admins may correct.

use chrono::{Days, NaiveDate};
use poem_openapi::param::Query;
use poem_openapi::{payload::Json, Object, OpenApi};

use super::dto::{opt_id, Text};
use super::rules::{Bounded, DateText, UuidText};
use super::{ApiTags, HttpState};
use crate::domain::codes;
use crate::domain::range;
use crate::domain::time::local_date;
use crate::domain::{ProjectId, Role, UserId};
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;
use crate::service::{ServiceError, Services, Timesheet};

pub struct TimesheetApi(pub HttpState);

#[derive(Object)]
struct TimesheetRowDto {
    project_id: String,
    project_name: String,
    project_color: String,
    /// `null` for time on the project without a task.
    #[oai(nullable)]
    task_id: Option<String>,
    #[oai(nullable)]
    task_title: Option<String>,
    /// Seconds per day, Monday first.
    seconds: Vec<i64>,
    total: i64,
}

/// A week of the caller's time: projects × days, Monday first, in the caller's time zone.
/// An entry that crosses midnight counts on both days.
#[derive(Object)]
struct TimesheetDto {
    /// Whose week it is, and their name.
    user_id: String,
    user_name: String,
    /// Whether the caller may change its cells: their own week, or as a manager or admin
    /// correcting someone's (a manager sees and changes the rows of the projects they manage).
    can_edit: bool,
    week_start: String,
    days: Vec<String>,
    rows: Vec<TimesheetRowDto>,
    day_totals: Vec<i64>,
    total: i64,
    /// The week's approval: its state (a locked week's cells cannot change), history, and
    /// whether the caller may submit it.
    approval: super::weeks_dto::WeekDto,
    /// Whether weeks are submitted for approval here (`approval.enabled`).
    approval_enabled: bool,
}

/// Sets the caller's total for one project (or one task of it) on one day.
#[derive(Object)]
struct CellReq {
    project_id: Text,
    /// The row's task; absent or `null` for the project's row without a task.
    #[oai(nullable)]
    task_id: Option<UuidText>,
    /// `YYYY-MM-DD`.
    date: DateText,
    /// 0 to 86400.
    seconds: Bounded<0, 86400>,
    /// Whose week: absent for the caller's own; a manager of the project or an admin correcting
    /// someone's.
    #[oai(deserialize_with = "super::rules::no_null")]
    user_id: Option<UuidText>,
}

fn user_id(raw: Option<&UuidText>) -> Result<Option<UserId>, ServiceError> {
    raw.map(|t| {
        t.0.parse().map_err(|_| ServiceError::NotFound {
            kind: "user",
            code: codes::USER_NOT_FOUND,
        })
    })
    .transpose()
}

fn dto(svc: &Services, actor: &SignedIn, t: Timesheet) -> Result<TimesheetDto, ServiceError> {
    let own = actor.user_id() == Some(t.user);
    let week = if own {
        svc.weeks().own_week(actor, t.week_start)?
    } else {
        svc.weeks().person_week(actor, t.user, t.week_start)?
    };
    let can_edit = own || matches!(actor.role, Some(Role::Admin | Role::Manager));
    let user_name = (svc.labels().cache().user_name(t.user)?).unwrap_or_default();
    let mut day_totals = vec![0i64; 7];
    let mut names = svc.labels().cache();
    let mut rows: Vec<TimesheetRowDto> = t
        .rows
        .into_iter()
        .map(|r| {
            for (i, s) in r.seconds.iter().enumerate() {
                day_totals[i] += s;
            }
            let labels = names.row(r.project, r.task)?;
            Ok(TimesheetRowDto {
                task_id: r.task.map(|t| t.to_string()),
                task_title: labels.task_title,
                project_id: r.project.to_string(),
                project_name: labels.project_name,
                project_color: labels.project_color,
                total: r.seconds.iter().sum(),
                seconds: r.seconds.to_vec(),
            })
        })
        .collect::<Result<_, ServiceError>>()?;
    rows.sort_by_key(|r| {
        (
            r.project_name.to_lowercase(),
            r.project_id.clone(),
            r.task_title.as_ref().map(|t| t.to_lowercase()),
        )
    });
    Ok(TimesheetDto {
        user_id: t.user.to_string(),
        user_name,
        can_edit,
        week_start: t.week_start.to_string(),
        days: (0..7)
            .filter_map(|i| t.week_start.checked_add_days(Days::new(i)))
            .map(|d| d.to_string())
            .collect(),
        total: day_totals.iter().sum(),
        day_totals,
        rows,
        approval: super::weeks_dto::week_dto(svc, week)?,
        approval_enabled: svc.weeks().enabled(),
    })
}

/// A date by the range rule (`domain::range::date`): 422, never a panic, outside its window.
pub(super) fn date(svc: &Services, field: &str, d: &str) -> Result<NaiveDate, ServiceError> {
    Ok(range::date(
        field,
        d,
        svc.now_ms(),
        &svc.settings().tracking,
    )?)
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl TimesheetApi {
    /// The week containing `week` (any date in it; default: this week) of the caller, or of
    /// `user_id`: someone on a project the caller manages (admins and auditors: anyone), in
    /// that person's time zone; reading it is recorded as `data.accessed`.
    /// Roles: admin, manager, member (their own), auditor (others').
    #[oai(path = "/timesheet", method = "get")]
    async fn get(
        &self,
        actor: SignedIn,
        week: Query<Option<DateText>>,
        user_id: Query<Option<UuidText>>,
    ) -> Result<Json<TimesheetDto>, ApiError> {
        let svc = &self.0.svc;
        let me = actor.user.clone();
        let day = match week.0.as_deref() {
            Some(d) => date(svc, "week", d)?,
            None => local_date(svc.now_ms(), me.time_zone.tz()),
        };
        let user = self::user_id(user_id.0.as_ref())?;
        let sheet = svc.timesheet().week(&actor, day, user).await?;
        Ok(Json(dto(svc, &actor, sheet)?))
    }

    /// Makes the caller's time on a project on a day add up to `seconds`: creates an entry at
    /// 09:00 when the cell is empty, otherwise lengthens or shortens that day's latest entry;
    /// `409 timesheet.cell_ambiguous` when that cannot be done without losing an entry.
    /// Answers the updated week. Roles: admin, manager, member.
    #[oai(path = "/timesheet/cell", method = "put")]
    async fn set_cell(
        &self,
        actor: SignedIn,
        body: Json<CellReq>,
    ) -> Result<Json<TimesheetDto>, ApiError> {
        let svc = &self.0.svc;
        let project: ProjectId =
            body.0
                .project_id
                .0
                .parse()
                .map_err(|_| ServiceError::NotFound {
                    kind: "project",
                    code: codes::PROJECT_NOT_FOUND,
                })?;
        let task = opt_id("task_id", body.0.task_id.as_ref().map(|t| t.0.as_str()))?;
        let day = date(svc, "date", &body.0.date.0)?;
        let user = user_id(body.0.user_id.as_ref())?;
        svc.timesheet()
            .set_cell(&actor, user, project, task, day, body.0.seconds.0)
            .await?;
        let sheet = svc.timesheet().week(&actor, day, user).await?;
        Ok(Json(dto(svc, &actor, sheet)?))
    }
}
