//! Scheduled jobs: what one run of a job did.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Why a run started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// At its scheduled time.
    Schedule,
    /// At start-up, for a scheduled time that passed while the server was down.
    Missed,
    /// Asked for by an admin (web, API or CLI).
    Manual,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Running,
    Ok,
    Failed,
    /// Not run because the previous run of the same job had not finished.
    Skipped,
}

/// One run of a job, kept in the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRun {
    pub id: uuid::Uuid,
    pub job: String,
    pub trigger: Trigger,
    /// The scheduled time this run stands for (none for manual runs).
    pub scheduled_ms: Option<i64>,
    pub started_ms: i64,
    pub ended_ms: Option<i64>,
    pub outcome: Outcome,
    /// What the run did, e.g. `{"entries": 1234}` or `{"bytes": 5000000}`.
    #[serde(default)]
    pub counts: BTreeMap<String, i64>,
    /// A one-line description of the output, e.g. the file written.
    #[serde(default)]
    pub detail: Option<String>,
    pub error: Option<String>,
}
