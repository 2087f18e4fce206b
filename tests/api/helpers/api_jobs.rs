//! Typed calls for the scheduler (`/api/v1/jobs…`).

use std::time::Duration;

use super::dto::*;
use super::wait::poll_for;
use super::Client;

impl Client {
    /// `GET /api/v1/jobs` → 200: every job with its schedule and latest runs.
    pub async fn jobs(&self) -> JobList {
        self.get("/api/v1/jobs").await.expect(200)
    }

    /// `POST /api/v1/jobs/{name}/run` → 202: the run started, which goes on in the background.
    pub async fn run_job(&self, name: &str) -> JobRun {
        self.post_empty(&format!("/api/v1/jobs/{name}/run"))
            .await
            .expect(202)
    }

    /// Runs job `name` and waits (at most 10 s) until its run has ended; asserts it ended `ok`.
    pub async fn run_job_to_the_end(&self, name: &str) -> JobRun {
        self.run_job(name).await;
        let run = poll_for(Duration::from_secs(10), || async {
            let jobs = self.jobs().await;
            let job = jobs.items.iter().find(|j| j.name == name).unwrap();
            let run = job.runs[0].clone();
            (run.outcome != "running").then_some(run)
        })
        .await
        .unwrap_or_else(|| panic!("job {name} did not finish"));
        assert_eq!(run.outcome, "ok", "{run:?}");
        run
    }
}
