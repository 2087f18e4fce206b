//! The dashboard: the caller's week at a glance, and their team's. Roles: admin, manager,
//! member, auditor.

use poem_openapi::{payload::Json, Object, OpenApi};

use super::entries_dto::{entry_dto, EntryDto};
use super::report_views::DateSecondsDto;
use super::{ApiTags, HttpState};
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;
use crate::service::{DashboardView, TeamMember};

pub struct DashboardApi(pub HttpState);

/// A project among the caller's most tracked this week.
#[derive(Object)]
struct TopProjectDto {
    project_id: String,
    name: String,
    color: String,
    seconds: i64,
}

/// One person's week.
#[derive(Object)]
struct TeamMemberDto {
    user_id: String,
    name: String,
    seconds: i64,
    /// Seconds on Monday … Sunday.
    days: Vec<i64>,
}

/// The week of the people whose time the caller reads.
#[derive(Object)]
struct TeamWeekDto {
    /// Everyone, by name (no time: 0).
    people: Vec<TeamMemberDto>,
    /// Those who have tracked nothing yet this week.
    not_tracked: Vec<TeamMemberDto>,
}

/// The caller's dashboard, in their time zone.
#[derive(Object)]
struct DashboardDto {
    time_zone: String,
    today: String,
    /// This week's Monday.
    week_from: String,
    /// This week's Sunday.
    week_to: String,
    this_week_seconds: i64,
    /// The whole of last week.
    last_week_seconds: i64,
    /// Last week up to the same weekday and time as now: what this week compares with.
    last_week_to_date_seconds: i64,
    /// Monday … Sunday of this week.
    days: Vec<DateSecondsDto>,
    /// Up to five, most time first.
    top_projects: Vec<TopProjectDto>,
    /// The running timer; null when none runs (always for those who do not track time).
    #[oai(nullable)]
    running: Option<EntryDto>,
    /// Managers (the people of the projects they manage, their time on them), admins and
    /// auditors (everyone who tracks time); null for members.
    #[oai(nullable)]
    team: Option<TeamWeekDto>,
}

fn member(m: TeamMember) -> TeamMemberDto {
    TeamMemberDto {
        user_id: m.id.to_string(),
        name: m.name,
        seconds: m.seconds,
        days: m.days,
    }
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl DashboardApi {
    /// The caller's week at a glance: this week's seconds and last week's (whole, and up to
    /// the same weekday and time), seconds per day this week, the top five projects and the
    /// running timer; for managers, admins and auditors also the team's week and who has not
    /// tracked anything yet (a read of other people's time, recorded as the reports record
    /// theirs). Roles: admin, manager, member, auditor.
    #[oai(path = "/dashboard", method = "get")]
    async fn dashboard(&self, actor: SignedIn) -> Result<Json<DashboardDto>, ApiError> {
        let svc = &self.0.svc;
        let d: DashboardView = svc.dashboard().view(&actor).await?;
        let running = d.running.map(|e| entry_dto(svc, &actor, e)).transpose()?;
        Ok(Json(DashboardDto {
            time_zone: d.time_zone,
            today: d.today.to_string(),
            week_from: d.week.0.to_string(),
            week_to: d.week.1.to_string(),
            this_week_seconds: d.this_week,
            last_week_seconds: d.last_week,
            last_week_to_date_seconds: d.last_week_to_date,
            days: (d.week.0.iter_days().zip(d.days))
                .map(|(date, seconds)| DateSecondsDto {
                    date: date.to_string(),
                    seconds,
                })
                .collect(),
            top_projects: (d.top_projects.into_iter())
                .map(|p| TopProjectDto {
                    project_id: p.id.to_string(),
                    name: p.name,
                    color: p.color,
                    seconds: p.seconds,
                })
                .collect(),
            running,
            team: d.team.map(|t| TeamWeekDto {
                people: t.people.into_iter().map(member).collect(),
                not_tracked: t.not_tracked.into_iter().map(member).collect(),
            }),
        }))
    }
}
