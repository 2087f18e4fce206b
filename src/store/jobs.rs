//! Runs of scheduled jobs (`job_runs`): job name ‖ 0 ‖ run id, newest last. Only the latest
//! runs of each job are kept.

use super::stored::StoredJobRun;
use super::{codec, Store, StoreError, TreeId};
use crate::domain::jobs::JobRun;

/// Runs kept per job; older ones are dropped when a run is recorded.
pub const RUNS_KEPT: usize = 100;

fn prefix(job: &str) -> Vec<u8> {
    let mut k = job.as_bytes().to_vec();
    k.push(0);
    k
}

fn key(run: &JobRun) -> Vec<u8> {
    let mut k = prefix(&run.job);
    k.extend_from_slice(run.id.as_bytes());
    k
}

impl Store {
    /// Records (or updates) a run and drops the job's runs beyond [`RUNS_KEPT`]; durable on return.
    pub async fn put_job_run(&self, run: &JobRun) -> Result<(), StoreError> {
        let stale: Vec<sled::IVec> = self
            .tree(TreeId::JobRuns)
            .scan_prefix(prefix(&run.job))
            .keys()
            .rev()
            .skip(RUNS_KEPT)
            .collect::<Result<_, _>>()?;
        let (k, v) = (key(run), codec::encode(&StoredJobRun::from(run)));
        self.write(|tx| {
            let t = tx.t(TreeId::JobRuns);
            t.insert(k.as_slice(), v.as_slice())?;
            for old in &stale {
                t.remove(old)?;
            }
            Ok(())
        })
        .await
    }
}

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait JobsStore {
    /// A job's latest runs, newest first.
    fn job_runs(&self, job: &str, limit: usize) -> Result<Vec<JobRun>, StoreError>;
}

impl JobsStore for Store {
    fn job_runs(&self, job: &str, limit: usize) -> Result<Vec<JobRun>, StoreError> {
        self.tree(TreeId::JobRuns)
            .scan_prefix(prefix(job))
            .rev()
            .take(limit)
            .map(|item| {
                let (k, v) = item?;
                codec::decode::<StoredJobRun>(TreeId::JobRuns, &k, &v).map(JobRun::from)
            })
            .collect()
    }
}
