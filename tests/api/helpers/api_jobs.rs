//! Typed calls for the scheduler (`/api/v1/jobs…`).

use super::dto::*;
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
}
