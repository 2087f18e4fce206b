//! Scheduled jobs as the services see them: their recorded runs, and the audit record of an
//! admin asking for a run. The scheduler itself lives in `crate::jobs`.

use serde_json::json;

use super::{Actor, Jobs, Result};
use crate::domain::jobs::{JobRun, Outcome};
use crate::domain::Permission;

impl Jobs<'_> {
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
