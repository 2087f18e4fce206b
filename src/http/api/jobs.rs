//! Scheduled jobs: their schedules, next times and recent runs, and running one now.
//! Roles: admin.

use std::collections::BTreeMap;

use poem_openapi::param::Path;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::enums::{JobOutcome, JobTrigger};
use super::rules::OneOf;
use super::{ApiTags, HttpState};
use crate::domain::jobs::{JobRun, Outcome, Trigger};
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;
use crate::service::rfc3339;

pub struct JobsApi(pub HttpState);

/// One run of a job.
#[derive(Object)]
struct RunDto {
    id: String,
    /// `schedule`, `missed` (a time that passed while the server was down) or `manual`.
    trigger: OneOf<JobTrigger>,
    #[oai(nullable)]
    scheduled_for: Option<String>,
    started: String,
    #[oai(nullable)]
    ended: Option<String>,
    /// `running`, `ok`, `failed` or `skipped` (the previous run had not finished).
    outcome: OneOf<JobOutcome>,
    counts: BTreeMap<String, i64>,
    #[oai(nullable)]
    detail: Option<String>,
    #[oai(nullable)]
    error: Option<String>,
}

fn run_dto(r: JobRun) -> RunDto {
    RunDto {
        id: r.id.to_string(),
        trigger: match r.trigger {
            Trigger::Schedule => "schedule",
            Trigger::Missed => "missed",
            Trigger::Manual => "manual",
        }
        .into(),
        scheduled_for: r.scheduled_ms.map(rfc3339),
        started: rfc3339(r.started_ms),
        ended: r.ended_ms.map(rfc3339),
        outcome: match r.outcome {
            Outcome::Running => "running",
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
        }
        .into(),
        counts: r.counts,
        detail: r.detail,
        error: r.error,
    }
}

/// A scheduled job.
#[derive(Object)]
struct JobDto {
    name: String,
    description: String,
    /// The cron expression as configured (read in `time_zone`); null when the job only runs on
    /// request.
    #[oai(nullable)]
    schedule: Option<String>,
    #[oai(nullable)]
    next_run: Option<String>,
    running: bool,
    /// The latest runs, newest first.
    runs: Vec<RunDto>,
}

#[derive(Object)]
struct JobsDto {
    /// The zone schedules are read in (`jobs.time_zone`).
    time_zone: String,
    items: Vec<JobDto>,
}

#[derive(ApiResponse)]
enum Started {
    /// The run started; it continues in the background.
    #[oai(status = 202)]
    Accepted(Json<RunDto>),
}

#[OpenApi(prefix_path = "/jobs", tag = "ApiTags::System")]
impl JobsApi {
    /// Every job with its schedule, next run and latest 10 runs. Roles: admin.
    #[oai(path = "/", method = "get")]
    async fn list(&self, actor: SignedIn) -> Result<Json<JobsDto>, ApiError> {
        let (time_zone, jobs) = self.0.svc.jobs().list(&actor, 10)?;
        let items = jobs
            .into_iter()
            .map(|j| JobDto {
                name: j.job.name.into(),
                description: j.job.description.into(),
                schedule: j.job.schedule,
                next_run: j.job.next_ms.map(rfc3339),
                running: j.job.running,
                runs: j.runs.into_iter().map(run_dto).collect(),
            })
            .collect();
        Ok(Json(JobsDto { time_zone, items }))
    }

    /// Starts a job now (audited). `409 job.running` while it runs already. Roles: admin.
    #[oai(path = "/:name/run", method = "post")]
    async fn run(&self, actor: SignedIn, name: Path<String>) -> Result<Started, ApiError> {
        let run = self.0.svc.jobs().run_now(&actor, &name.0, false).await?;
        Ok(Started::Accepted(Json(run_dto(run))))
    }
}
