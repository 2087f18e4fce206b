//! The scheduler: built-in jobs on cron schedules read in `jobs.time_zone`. A job never
//! overlaps itself (a run due while the last one still runs is recorded as skipped), every run
//! is recorded in the store (start, end, outcome, counts, error), a scheduled time that passed
//! while the server was down is run once at start, and an admin can run a job now.

mod backup;
mod checkpoint;
pub mod delivery;
mod export;

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};

use crate::config::Config;
use crate::domain::codes;
use crate::domain::jobs::{JobRun, Outcome, Trigger};
use crate::service::{Actor, JobSchedule, JobStarted, Scheduling, ServiceError, Services};

/// What a finished run reports.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub counts: BTreeMap<String, i64>,
    pub detail: Option<String>,
}

type JobFuture = Pin<Box<dyn Future<Output = Result<Report, String>> + Send>>;
type JobFn = Arc<dyn Fn(Services, Arc<Config>) -> JobFuture + Send + Sync>;

struct Job {
    name: &'static str,
    description: &'static str,
    schedule: Option<crate::config::Schedule>,
    busy: Arc<tokio::sync::Mutex<()>>,
    run: JobFn,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("there is no job named `{0}`")]
    Unknown(String),
    #[error("job `{0}` is running already; try again when it has finished")]
    Busy(String),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// How a transport answers a refused run: an unknown job is `job.not_found`, a busy one
/// `job.running`.
impl From<RunError> for ServiceError {
    fn from(e: RunError) -> Self {
        match e {
            RunError::Unknown(_) => ServiceError::NotFound {
                kind: "job",
                code: codes::JOB_NOT_FOUND,
            },
            RunError::Busy(_) => ServiceError::Conflict(codes::JOB_RUNNING),
            RunError::Service(s) => s,
        }
    }
}

/// The jobs of one server; cheap to clone.
#[derive(Clone)]
pub struct Scheduler {
    inner: Arc<Inner>,
}

struct Inner {
    svc: Services,
    config: Arc<Config>,
    tz: chrono_tz::Tz,
    jobs: Vec<Job>,
}

fn job(
    name: &'static str,
    description: &'static str,
    schedule: &Option<crate::config::Schedule>,
    run: JobFn,
) -> Job {
    Job {
        name,
        description,
        schedule: schedule.clone(),
        busy: Arc::new(tokio::sync::Mutex::new(())),
        run,
    }
}

impl Scheduler {
    pub fn new(svc: Services, config: Arc<Config>) -> Scheduler {
        let j = &config.jobs;
        let jobs = vec![
            job(
                "backup",
                "Back up the store into the backup folder, verify it, and rotate old backups",
                &j.backup,
                Arc::new(|svc, cfg| Box::pin(backup::run(svc, cfg))),
            ),
            job(
                "export",
                "Write the previous period's time entries to <data>/exports",
                &j.export,
                Arc::new(|svc, cfg| Box::pin(export::run(svc, cfg))),
            ),
            job(
                "expire_sessions",
                "Delete expired sessions and one-time links, idempotency keys older than eight days, API tokens a month after they stopped working and sent messages older than 30 days",
                &j.expire_sessions,
                Arc::new(|svc, _| Box::pin(expire_sessions(svc))),
            ),
            job(
                "retention",
                "Purge what the [retention] rules say has expired, leaving data under legal hold",
                &j.retention,
                Arc::new(|svc, _| Box::pin(retention(svc))),
            ),
            job(
                "audit_checkpoint",
                "Sign the audit chain's head and write the checkpoint to audit.checkpoint_dir and the log",
                &j.audit_checkpoint,
                Arc::new(|svc, _| Box::pin(checkpoint::run(svc))),
            ),
            job(
                "week_lock",
                "Lock every week older than approval.lock_after_days that is not approved (nothing when it is 0)",
                &j.week_lock,
                Arc::new(|svc, _| Box::pin(week_lock(svc))),
            ),
            job(
                "privacy_reminders",
                "Remind of privacy requests coming due or overdue (a privacy.request_due webhook event each; with [email], a digest e-mailed to admins)",
                &j.privacy_reminders,
                Arc::new(|svc, _| Box::pin(privacy_reminders(svc))),
            ),
        ];
        Scheduler {
            inner: Arc::new(Inner {
                tz: j.time_zone,
                svc,
                config,
                jobs,
            }),
        }
    }

    /// Closes runs a previous process left open, runs once each job whose scheduled time passed
    /// while the server was down, then keeps every scheduled job on its schedule.
    pub fn start(&self) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let mut loops = Vec::new();
            for (i, job) in this.inner.jobs.iter().enumerate() {
                if let Err(e) = this.inner.svc.jobs().close_interrupted(job.name).await {
                    tracing::warn!(job = job.name, error = %e, "cannot close interrupted runs");
                }
                if job.schedule.is_some() {
                    this.catch_up(i).await;
                    let this = this.clone();
                    loops.push(tokio::spawn(async move { this.keep_schedule(i).await }));
                }
            }
            for l in loops {
                let _ = l.await;
            }
        })
    }

    async fn catch_up(&self, i: usize) {
        let job = &self.inner.jobs[i];
        let Some(schedule) = &job.schedule else {
            return;
        };
        let last = match self.inner.svc.jobs().recent_runs(job.name, 50) {
            Ok(runs) => runs
                .into_iter()
                .filter(|r| r.trigger != Trigger::Manual)
                .find_map(|r| r.scheduled_ms),
            Err(e) => {
                tracing::warn!(job = job.name, error = %e, "cannot read past runs");
                return;
            }
        };
        // Never run: nothing was missed. Otherwise the latest time due since the last run.
        let Some(last) = last.and_then(|ms| Utc.timestamp_millis_opt(ms).single()) else {
            return;
        };
        let now = Utc::now();
        let missed = schedule
            .cron
            .after(&last.with_timezone(&self.inner.tz))
            .take_while(|t| t.with_timezone(&Utc) <= now)
            .last();
        if let Some(due) = missed {
            tracing::info!(job = job.name, due = %due, "running a scheduled run missed while the server was down");
            self.run(i, Trigger::Missed, Some(due.timestamp_millis()))
                .await;
        }
    }

    async fn keep_schedule(&self, i: usize) {
        let job = &self.inner.jobs[i];
        let Some(schedule) = &job.schedule else {
            return;
        };
        loop {
            let now = Utc::now().with_timezone(&self.inner.tz);
            let Some(next) = schedule.cron.after(&now).next() else {
                return;
            };
            let wait = (next.with_timezone(&Utc) - Utc::now())
                .to_std()
                .unwrap_or_default();
            tokio::time::sleep(wait).await;
            let this = self.clone();
            let due = next.timestamp_millis();
            // Its own task: a long run does not hold up the schedule (the next due time finds
            // the job busy and records a skip).
            tokio::spawn(async move { this.run(i, Trigger::Schedule, Some(due)).await });
        }
    }

    /// Runs job `i` unless it is running already (then records a skip) and records the run.
    async fn run(&self, i: usize, trigger: Trigger, scheduled_ms: Option<i64>) -> JobRun {
        let job = &self.inner.jobs[i];
        let guard = job.busy.clone().try_lock_owned();
        let mut run = JobRun {
            id: uuid::Uuid::now_v7(),
            job: job.name.to_owned(),
            trigger,
            scheduled_ms,
            started_ms: self.inner.svc.now_ms(),
            ended_ms: None,
            outcome: Outcome::Running,
            counts: BTreeMap::new(),
            detail: None,
            error: None,
        };
        let Ok(_guard) = guard else {
            run.outcome = Outcome::Skipped;
            run.ended_ms = Some(run.started_ms);
            run.error = Some("the previous run had not finished".into());
            self.record(&run).await;
            return run;
        };
        self.execute(i, run).await
    }

    /// Runs job `i` while its lock is held by the caller.
    async fn execute(&self, i: usize, mut run: JobRun) -> JobRun {
        let job = &self.inner.jobs[i];
        self.record(&run).await;
        let result = (job.run)(self.inner.svc.clone(), self.inner.config.clone()).await;
        run.ended_ms = Some(self.inner.svc.now_ms());
        match result {
            Ok(report) => {
                run.outcome = Outcome::Ok;
                run.counts = report.counts;
                run.detail = report.detail;
                tracing::info!(job = job.name, counts = ?run.counts, "job finished");
            }
            Err(e) => {
                run.outcome = Outcome::Failed;
                tracing::error!(job = job.name, error = %e, "job failed");
                if job.name == "backup" {
                    let data = serde_json::json!({ "job": job.name, "run": run.id.to_string(), "error": e });
                    if let Err(w) = self.inner.svc.webhooks().emit("backup.failed", data).await {
                        tracing::warn!(error = %w, "queuing the backup.failed webhook failed");
                    }
                    if let Err(w) = self.inner.svc.mail().backup_failed(&e).await {
                        tracing::warn!(error = %w, "queuing the backup failure e-mails failed");
                    }
                }
                run.error = Some(e);
            }
        }
        self.record(&run).await;
        run
    }

    async fn record(&self, run: &JobRun) {
        if let Err(e) = self.inner.svc.jobs().record_run(run).await {
            tracing::error!(job = %run.job, error = %e, "cannot record a job run");
        }
    }

    /// Runs `name` now for an admin, audited. With `wait`, returns the finished run; without,
    /// returns once it has started (the run continues in the background).
    pub async fn run_now(&self, actor: &Actor, name: &str, wait: bool) -> Result<JobRun, RunError> {
        let i = self
            .inner
            .jobs
            .iter()
            .position(|j| j.name == name)
            .ok_or_else(|| RunError::Unknown(name.to_owned()))?;
        actor.require(crate::domain::Permission::ManageSystem)?;
        let job = &self.inner.jobs[i];
        let guard = job
            .busy
            .clone()
            .try_lock_owned()
            .map_err(|_| RunError::Busy(name.to_owned()))?;
        self.inner.svc.jobs().audit_request(actor, name).await?;
        let run = JobRun {
            id: uuid::Uuid::now_v7(),
            job: name.to_owned(),
            trigger: Trigger::Manual,
            scheduled_ms: None,
            started_ms: self.inner.svc.now_ms(),
            ended_ms: None,
            outcome: Outcome::Running,
            counts: BTreeMap::new(),
            detail: None,
            error: None,
        };
        if wait {
            let done = self.execute(i, run).await;
            drop(guard);
            return Ok(done);
        }
        let this = self.clone();
        let started = run.clone();
        self.record(&run).await;
        tokio::spawn(async move {
            let _guard = guard;
            this.execute(i, run).await;
        });
        Ok(started)
    }

    /// Every job with its next time, in the order they are declared.
    pub fn schedules(&self) -> Vec<JobSchedule> {
        let now = Utc::now().with_timezone(&self.inner.tz);
        self.inner
            .jobs
            .iter()
            .map(|j| JobSchedule {
                name: j.name,
                description: j.description,
                schedule: j.schedule.as_ref().map(|s| s.expr.clone()),
                next_ms: j
                    .schedule
                    .as_ref()
                    .and_then(|s| s.cron.after(&now).next())
                    .map(|t: DateTime<chrono_tz::Tz>| t.timestamp_millis()),
                running: j.busy.try_lock().is_err(),
            })
            .collect()
    }
}

async fn expire_sessions(svc: Services) -> Result<Report, String> {
    let purged = svc
        .sessions()
        .purge_expired()
        .await
        .map_err(|e| e.to_string())?;
    let api_tokens = svc
        .tokens()
        .purge_stale()
        .await
        .map_err(|e| e.to_string())?;
    let messages = svc
        .outbox()
        .purge_older_than(30)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Report {
        counts: BTreeMap::from([
            ("api_tokens".to_owned(), api_tokens as i64),
            ("outbox_messages".to_owned(), messages as i64),
            ("sessions".to_owned(), purged.sessions as i64),
            ("one_time_links".to_owned(), purged.tokens as i64),
            ("idempotency_keys".to_owned(), purged.done_requests as i64),
        ]),
        detail: None,
    })
}

async fn privacy_reminders(svc: Services) -> Result<Report, String> {
    let n = svc
        .webhooks()
        .privacy_due()
        .await
        .map_err(|e| e.to_string())?;
    // The e-mail digest goes out even when no webhook wants the events.
    let emails = svc
        .mail()
        .privacy_deadlines()
        .await
        .map_err(|e| e.to_string())?;
    Ok(Report {
        counts: BTreeMap::from([
            ("requests".to_owned(), n as i64),
            ("emails".to_owned(), emails as i64),
        ]),
        detail: None,
    })
}

async fn retention(svc: Services) -> Result<Report, String> {
    let report = svc
        .retention()
        .run(&Actor::system(), false)
        .await
        .map_err(|e| e.explain())?;
    let mut counts = BTreeMap::new();
    for c in &report.categories {
        if c.expired > 0 {
            counts.insert(c.category.clone(), c.expired as i64);
        }
        if c.held > 0 {
            counts.insert(format!("{}_held", c.category), c.held as i64);
        }
    }
    Ok(Report {
        detail: Some(format!(
            "{} removed; {} legal hold(s) in force",
            report.total_expired(),
            report.holds.len()
        )),
        counts,
    })
}

async fn week_lock(svc: Services) -> Result<Report, String> {
    let run = svc
        .weeks()
        .lock_old(&Actor::system())
        .await
        .map_err(|e| e.explain())?;
    let days = svc.settings().approval.lock_after_days;
    Ok(Report {
        counts: BTreeMap::from([
            ("weeks".to_owned(), run.weeks as i64),
            ("people".to_owned(), run.people as i64),
            ("running".to_owned(), run.running as i64),
        ]),
        detail: Some(if days == 0 {
            "approval.lock_after_days is 0: nothing is locked".to_owned()
        } else {
            format!(
                "{} week(s) of {} people locked (older than {days} days); {} left open while a timer runs",
                run.weeks, run.people, run.running
            )
        }),
    })
}

/// The services reach the scheduler through this (attached by `App`).
impl Scheduling for Scheduler {
    fn time_zone(&self) -> String {
        self.inner.tz.to_string()
    }

    fn schedules(&self) -> Vec<JobSchedule> {
        Scheduler::schedules(self)
    }

    fn start<'a>(&'a self, actor: &'a Actor, name: &'a str, wait: bool) -> JobStarted<'a> {
        Box::pin(async move { Ok(self.run_now(actor, name, wait).await?) })
    }
}
