//! Week approval over HTTP: people's weeks, submitting one's own, approving, rejecting and
//! reopening, the queue of submitted weeks and the weeks not submitted. With approval off
//! (`approval.enabled = false`) these answer 409 `approval.disabled` (reading weeks and
//! reopening them still work while `approval.lock_after_days` locks weeks).

use chrono::{Days, NaiveDate};
use poem_openapi::param::{Path, Query};
use poem_openapi::{payload::Json, Object, OpenApi};

use super::dto::opt_id;
use super::rules::{DateText, PlainNonBlank, PlainText, UuidText};
use super::timesheet::date;
use super::weeks_dto::{week_dto, WeekDto};
use super::{ApiTags, HttpState};
use crate::domain::codes;
use crate::domain::time::local_date;
use crate::domain::UserId;
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;
use crate::service::{Decision, ServiceError, Services, WeekView};

pub struct WeeksApi(pub HttpState);

#[derive(Object)]
struct WeeksDto {
    items: Vec<WeekDto>,
}

/// A week the person has not submitted.
#[derive(Object)]
struct MissingWeekDto {
    user_id: String,
    user_name: String,
    /// The Monday.
    week_start: String,
    /// `open` or `rejected`.
    state: String,
    /// Seconds tracked in it.
    total_seconds: i64,
}

#[derive(Object)]
struct MissingDto {
    from: String,
    to: String,
    items: Vec<MissingWeekDto>,
}

/// Submitting one's week.
#[derive(Object)]
struct SubmitReq {
    /// A note for whoever approves it (at most 2000 characters).
    comment: Option<PlainText<2000>>,
}

/// Approving a week.
#[derive(Object)]
struct ApproveReq {
    /// An optional comment kept in the week's history.
    comment: Option<PlainText<2000>>,
}

/// Rejecting a week.
#[derive(Object)]
struct RejectReq {
    /// What to correct: required, at most 2000 characters; the person sees it on their timesheet.
    comment: PlainNonBlank<2000>,
}

/// Reopening an approved or locked week.
#[derive(Object)]
struct ReopenReq {
    /// Why: required, at most 2000 characters; kept in the week's history.
    reason: PlainNonBlank<2000>,
}

fn user_id(id: &str) -> Result<UserId, ServiceError> {
    id.parse().map_err(|_| ServiceError::NotFound {
        kind: "user",
        code: codes::USER_NOT_FOUND,
    })
}

fn items(svc: &Services, views: Vec<WeekView>) -> Result<Vec<WeekDto>, ServiceError> {
    views.into_iter().map(|v| week_dto(svc, v)).collect()
}

/// `from` and `to` of a listing: given, or the eight weeks up to today in the caller's zone.
fn range(
    svc: &Services,
    actor: &SignedIn,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(NaiveDate, NaiveDate), ServiceError> {
    let today = local_date(svc.now_ms(), actor.user.time_zone.tz());
    let to = match to {
        Some(d) => date(svc, "to", d)?,
        None => today,
    };
    let from = match from {
        Some(d) => date(svc, "from", d)?,
        None => to.checked_sub_days(Days::new(7 * 7)).unwrap_or(to),
    };
    Ok((from, to))
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl WeeksApi {
    /// A person's weeks (default: the caller's) from the week of `from` to the week of `to`
    /// (default: the last eight weeks; at most 60), newest first, each with its state,
    /// history and total. Reading someone else's is recorded as a read of their data.
    /// Roles: admin, auditor, manager (the people on their projects), member (their own).
    #[oai(path = "/weeks", method = "get")]
    async fn list(
        &self,
        actor: SignedIn,
        user_id: Query<Option<UuidText>>,
        from: Query<Option<DateText>>,
        to: Query<Option<DateText>>,
    ) -> Result<Json<WeeksDto>, ApiError> {
        let svc = &self.0.svc;
        let user = opt_id("user_id", user_id.0.as_deref())?;
        let (from, to) = range(svc, &actor, from.0.as_deref(), to.0.as_deref())?;
        let views = svc.weeks().list(&actor, user, from, to).await?;
        Ok(Json(WeeksDto {
            items: items(svc, views)?,
        }))
    }

    /// Submits the caller's week containing `date` for approval. 409 `week.already_submitted`,
    /// `week.locked` (approved or locked), `week.not_started`, `week.timer_running`.
    /// Roles: admin, manager, member.
    #[oai(path = "/weeks/:date/submit", method = "post")]
    async fn submit(
        &self,
        actor: SignedIn,
        date: Path<DateText>,
        body: Json<SubmitReq>,
    ) -> Result<Json<WeekDto>, ApiError> {
        let svc = &self.0.svc;
        let day = super::timesheet::date(svc, "date", &date.0 .0)?;
        let comment = body.0.comment.map(|c| c.0);
        let v = svc.weeks().submit(&actor, day, comment.as_deref()).await?;
        Ok(Json(week_dto(svc, v)?))
    }

    /// Approves `user_id`'s submitted week containing `date`. 409 `week.not_submitted` when it
    /// is not waiting (another manager decided first, say), `week.timer_running`.
    /// Roles: admin, manager of a project with the person's time that week (not their own week).
    #[oai(path = "/weeks/:user_id/:date/approve", method = "post")]
    async fn approve(
        &self,
        actor: SignedIn,
        user_id: Path<UuidText>,
        date: Path<DateText>,
        body: Json<ApproveReq>,
    ) -> Result<Json<WeekDto>, ApiError> {
        let comment = body.0.comment.map(|c| c.0);
        self.decide(
            &actor,
            &user_id.0,
            &date.0 .0,
            Decision::Approve { comment },
        )
        .await
    }

    /// Rejects `user_id`'s submitted week containing `date`, saying what to correct.
    /// Roles: admin, manager of a project with the person's time that week (not their own week).
    #[oai(path = "/weeks/:user_id/:date/reject", method = "post")]
    async fn reject(
        &self,
        actor: SignedIn,
        user_id: Path<UuidText>,
        date: Path<DateText>,
        body: Json<RejectReq>,
    ) -> Result<Json<WeekDto>, ApiError> {
        let comment = body.0.comment.0;
        self.decide(&actor, &user_id.0, &date.0 .0, Decision::Reject { comment })
            .await
    }

    /// Reopens `user_id`'s approved or locked week containing `date`, for a reason; its entries
    /// can change again and the person may submit it again. 409 `week.not_locked`.
    /// Roles: admin, manager of a project with the person's time that week (not their own week).
    #[oai(path = "/weeks/:user_id/:date/reopen", method = "post")]
    async fn reopen(
        &self,
        actor: SignedIn,
        user_id: Path<UuidText>,
        date: Path<DateText>,
        body: Json<ReopenReq>,
    ) -> Result<Json<WeekDto>, ApiError> {
        let reason = body.0.reason.0;
        self.decide(&actor, &user_id.0, &date.0 .0, Decision::Reopen { reason })
            .await
    }

    /// Submitted weeks waiting for a decision the caller may take, oldest submission first,
    /// with the person, the week, its total and its projects (an auditor sees every one).
    /// Roles: admin, manager, auditor.
    #[oai(path = "/approvals", method = "get")]
    async fn queue(&self, actor: SignedIn) -> Result<Json<WeeksDto>, ApiError> {
        let svc = &self.0.svc;
        let views = svc.weeks().queue(&actor).await?;
        Ok(Json(WeeksDto {
            items: items(svc, views)?,
        }))
    }

    /// Weeks from the week of `from` to the week of `to` (default: the last eight weeks) that
    /// have ended and are not submitted, for the people the caller answers for (managers: the
    /// people on their projects; admins and auditors: everyone who tracks time). People whose
    /// processing is restricted are left out. Roles: admin, manager, auditor.
    #[oai(path = "/approvals/missing", method = "get")]
    async fn missing(
        &self,
        actor: SignedIn,
        from: Query<Option<DateText>>,
        to: Query<Option<DateText>>,
    ) -> Result<Json<MissingDto>, ApiError> {
        let svc = &self.0.svc;
        let (from, to) = range(svc, &actor, from.0.as_deref(), to.0.as_deref())?;
        let rows = svc.weeks().missing(&actor, from, to).await?;
        Ok(Json(MissingDto {
            from: from.to_string(),
            to: to.to_string(),
            items: rows
                .into_iter()
                .map(|m| MissingWeekDto {
                    user_id: m.user_id.to_string(),
                    user_name: m.user_name,
                    week_start: m.monday.to_string(),
                    state: m.state.as_str().to_owned(),
                    total_seconds: m.total_secs,
                })
                .collect(),
        }))
    }
}

impl WeeksApi {
    async fn decide(
        &self,
        actor: &SignedIn,
        user: &str,
        day: &str,
        decision: Decision,
    ) -> Result<Json<WeekDto>, ApiError> {
        let svc = &self.0.svc;
        let user = user_id(user)?;
        let day = date(svc, "date", day)?;
        let v = svc.weeks().decide(actor, user, day, decision).await?;
        Ok(Json(week_dto(svc, v)?))
    }
}
