//! Stored layout of a week's approval record (`weeks`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::approval::{Step, StepKind, Week, WeekState};

twin!(WeekState <=> StoredWeekState { Open, Submitted, Approved, Rejected, Locked });
twin!(StepKind <=> StoredStepKind { Submitted, Approved, Rejected, Reopened, Locked });

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredStep {
    pub kind: StoredStepKind,
    pub by: String,
    pub at_ms: i64,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub total_secs: i64,
}

/// The `weeks` tree's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredWeek {
    pub user_id: Uuid,
    pub monday: NaiveDate,
    pub state: StoredWeekState,
    #[serde(default)]
    pub steps: Vec<StoredStep>,
    #[serde(default)]
    pub revision: u64,
}

impl From<&Week> for StoredWeek {
    fn from(w: &Week) -> Self {
        Self {
            user_id: w.user_id.into(),
            monday: w.monday,
            state: w.state.into(),
            steps: w
                .steps
                .iter()
                .map(|s| StoredStep {
                    kind: s.kind.into(),
                    by: s.by.clone(),
                    at_ms: s.at_ms,
                    comment: s.comment.clone(),
                    total_secs: s.total_secs,
                })
                .collect(),
            revision: w.revision,
        }
    }
}

impl From<StoredWeek> for Week {
    fn from(s: StoredWeek) -> Self {
        Self {
            user_id: s.user_id.into(),
            monday: s.monday,
            state: s.state.into(),
            steps: s
                .steps
                .into_iter()
                .map(|s| Step {
                    kind: s.kind.into(),
                    by: s.by,
                    at_ms: s.at_ms,
                    comment: s.comment,
                    total_secs: s.total_secs,
                })
                .collect(),
            revision: s.revision,
        }
    }
}
