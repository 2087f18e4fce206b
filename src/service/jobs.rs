//! Scheduled jobs as the services see them: the list with schedules and recent runs, running
//! one now, the recorded runs, and the audit record of an admin asking for a run. The scheduler
//! itself lives in `crate::jobs` and is reached through [`Scheduling`], which it implements: the
//! composition root (`App`) attaches it, so transports ask the services and never the scheduler.

use crate::store::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Weak};

use serde_json::json;

use super::{Actor, Jobs, Result, ServiceError, Services};
use crate::domain::jobs::{JobRun, Outcome};
use crate::domain::Permission;

/// A job's schedule as the scheduler knows it.
#[derive(Debug, Clone)]
pub struct JobSchedule {
    pub name: &'static str,
    pub description: &'static str,
    /// The cron expression as configured; `None` when the job only runs on request.
    pub schedule: Option<String>,
    pub next_ms: Option<i64>,
    pub running: bool,
}

/// A job as the admin page and `ophiontt job list` show it: its schedule and latest runs.
#[derive(Debug, Clone)]
pub struct JobStatus {
    pub job: JobSchedule,
    pub runs: Vec<JobRun>,
}

/// A run that has been started (or, when waited for, has finished).
pub type Started<'a> = Pin<Box<dyn Future<Output = Result<JobRun>> + Send + 'a>>;

/// What the services need of the scheduler (implemented by `crate::jobs::Scheduler`).
pub trait Scheduling: Send + Sync {
    /// The zone schedules are read in, e.g. `Europe/Berlin`.
    fn time_zone(&self) -> String;
    /// Every job with its next time, in a fixed order.
    fn schedules(&self) -> Vec<JobSchedule>;
    /// Runs `name` now for `actor` (who has been checked); with `wait`, until it has finished.
    /// `job.not_found` for an unknown job, `job.running` while it runs already.
    fn start<'a>(&'a self, actor: &'a Actor, name: &'a str, wait: bool) -> Started<'a>;
}

impl Services {
    /// Attaches the scheduler (held weakly: it holds the services). Done once, by `App`.
    pub fn attach_scheduler(&self, s: Weak<dyn Scheduling>) {
        let _ = self.inner.scheduler.set(s);
    }

    fn scheduler(&self) -> Result<Arc<dyn Scheduling>> {
        self.inner
            .scheduler
            .get()
            .and_then(Weak::upgrade)
            .ok_or(ServiceError::Unavailable)
    }
}

impl Jobs<'_> {
    /// Every job with its schedule, next time and latest `runs` runs, and the zone schedules are
    /// read in. Roles: admin.
    pub fn list(&self, actor: &Actor, runs: usize) -> Result<(String, Vec<JobStatus>)> {
        actor.require(Permission::ManageSystem)?;
        let s = self.scheduler()?;
        let items = s
            .schedules()
            .into_iter()
            .map(|job| {
                Ok(JobStatus {
                    runs: self.runs(actor, job.name, runs)?,
                    job,
                })
            })
            .collect::<Result<_>>()?;
        Ok((s.time_zone(), items))
    }

    /// Every job's name, for `/metrics` (no actor: guarded by its own token).
    pub fn names(&self) -> Vec<&'static str> {
        self.scheduler()
            .map(|s| s.schedules().into_iter().map(|j| j.name).collect())
            .unwrap_or_default()
    }

    /// Runs `name` now, audited. With `wait`, answers the finished run; without, the run as it
    /// started (it goes on in the background). Roles: admin.
    pub async fn run_now(&self, actor: &Actor, name: &str, wait: bool) -> Result<JobRun> {
        actor.require(Permission::ManageSystem)?;
        let s = self.scheduler()?;
        s.start(actor, name, wait).await
    }

    /// A job's latest runs, newest first, for the scheduler and `/metrics` (no actor: the
    /// server's own bookkeeping; people read runs through `job_runs`).
    pub fn recent_runs(&self, job: &str, limit: usize) -> Result<Vec<JobRun>> {
        Ok(self.store().job_runs(job, limit)?)
    }

    /// Records a run (at its start and again at its end); durable on return.
    pub async fn record_run(&self, run: &JobRun) -> Result<()> {
        self.store().put_job_run(run).await?;
        Ok(())
    }

    /// A job's latest runs, newest first. Roles: admin.
    pub fn runs(&self, actor: &Actor, job: &str, limit: usize) -> Result<Vec<JobRun>> {
        actor.require(Permission::ManageSystem)?;
        Ok(self.store().job_runs(job, limit)?)
    }

    /// Marks runs left "running" by a previous process as failed: that process ended mid-run.
    pub async fn close_interrupted(&self, job: &str) -> Result<usize> {
        let mut closed = 0;
        for mut run in self.store().job_runs(job, 5)? {
            if run.outcome == Outcome::Running {
                run.outcome = Outcome::Failed;
                run.ended_ms = None;
                run.error = Some("the server stopped during this run".into());
                self.record_run(&run).await?;
                closed += 1;
            }
        }
        Ok(closed)
    }

    /// Audits an admin's request to run `job` now. Roles: admin.
    pub async fn audit_request(&self, actor: &Actor, job: &str) -> Result<()> {
        actor.require(Permission::ManageSystem)?;
        let ev = self.event(
            actor,
            "job.run_requested",
            Some(format!("job:{job}")),
            json!({ "job": job }),
        );
        self.commit(&ev, |_| Ok(())).await
    }
}
