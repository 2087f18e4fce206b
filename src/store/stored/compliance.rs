//! Stored layouts of legal holds, privacy flags, security events and job runs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::hold::{Hold, HoldScope};
use crate::domain::jobs::{JobRun, Outcome, Trigger};
use crate::domain::privacy::{Objection, PrivacyFlags, Restriction};
use crate::domain::security::{SecurityEvent, SecurityKind};

/// What a hold covers, as stored: `{"kind": "project", "id": "…"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum StoredHoldScope {
    Instance,
    User(Uuid),
    Project(Uuid),
    Client(Uuid),
}

/// The `holds` tree's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredHold {
    pub id: Uuid,
    pub scope: StoredHoldScope,
    pub reason: String,
    pub placed_by: String,
    pub placed_at_ms: i64,
    #[serde(default)]
    pub ends_at_ms: Option<i64>,
    #[serde(default)]
    pub released_at_ms: Option<i64>,
    #[serde(default)]
    pub released_by: Option<String>,
}

impl From<&Hold> for StoredHold {
    fn from(h: &Hold) -> Self {
        Self {
            id: h.id.into(),
            scope: match h.scope {
                HoldScope::Instance => StoredHoldScope::Instance,
                HoldScope::User(id) => StoredHoldScope::User(id.into()),
                HoldScope::Project(id) => StoredHoldScope::Project(id.into()),
                HoldScope::Client(id) => StoredHoldScope::Client(id.into()),
            },
            reason: h.reason.clone(),
            placed_by: h.placed_by.clone(),
            placed_at_ms: h.placed_at_ms,
            ends_at_ms: h.ends_at_ms,
            released_at_ms: h.released_at_ms,
            released_by: h.released_by.clone(),
        }
    }
}

impl From<StoredHold> for Hold {
    fn from(s: StoredHold) -> Self {
        Self {
            id: s.id.into(),
            scope: match s.scope {
                StoredHoldScope::Instance => HoldScope::Instance,
                StoredHoldScope::User(id) => HoldScope::User(id.into()),
                StoredHoldScope::Project(id) => HoldScope::Project(id.into()),
                StoredHoldScope::Client(id) => HoldScope::Client(id.into()),
            },
            reason: s.reason,
            placed_by: s.placed_by,
            placed_at_ms: s.placed_at_ms,
            ends_at_ms: s.ends_at_ms,
            released_at_ms: s.released_at_ms,
            released_by: s.released_by,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRestriction {
    pub since_ms: i64,
    pub by: String,
    pub request_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredObjection {
    pub purpose: String,
    pub at_ms: i64,
    pub request_id: Option<Uuid>,
}

/// The `privacy_flags` tree's value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPrivacyFlags {
    #[serde(default)]
    pub restricted: Option<StoredRestriction>,
    #[serde(default)]
    pub objections: Vec<StoredObjection>,
}

impl From<&PrivacyFlags> for StoredPrivacyFlags {
    fn from(f: &PrivacyFlags) -> Self {
        Self {
            restricted: f.restricted.as_ref().map(|r| StoredRestriction {
                since_ms: r.since_ms,
                by: r.by.clone(),
                request_id: r.request_id.map(Into::into),
            }),
            objections: f
                .objections
                .iter()
                .map(|o| StoredObjection {
                    purpose: o.purpose.clone(),
                    at_ms: o.at_ms,
                    request_id: o.request_id.map(Into::into),
                })
                .collect(),
        }
    }
}

impl From<StoredPrivacyFlags> for PrivacyFlags {
    fn from(s: StoredPrivacyFlags) -> Self {
        Self {
            restricted: s.restricted.map(|r| Restriction {
                since_ms: r.since_ms,
                by: r.by,
                request_id: r.request_id.map(Into::into),
            }),
            objections: s
                .objections
                .into_iter()
                .map(|o| Objection {
                    purpose: o.purpose,
                    at_ms: o.at_ms,
                    request_id: o.request_id.map(Into::into),
                })
                .collect(),
        }
    }
}

twin!(SecurityKind <=> StoredSecurityKind {
    LoginSucceeded,
    LoginFailed,
    LoginLockedOut,
    LoginRefused,
    Logout,
    PasswordChanged,
    LinkIssued,
    LinkUsed,
    RoleChanged,
    AccountDisabled,
    AccountEnabled,
    AdminCommand,
    TokenUsed,
    TokenCreated,
    TokenRevoked,
});

/// The `security_events` tree's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSecurityEvent {
    pub id: Uuid,
    pub at_ms: i64,
    pub kind: StoredSecurityKind,
    pub user_id: Option<Uuid>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub ip: Option<String>,
    #[serde(default)]
    pub user_agent: Option<String>,
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub detail: serde_json::Value,
}

impl From<&SecurityEvent> for StoredSecurityEvent {
    fn from(e: &SecurityEvent) -> Self {
        Self {
            id: e.id.into(),
            at_ms: e.at_ms,
            kind: e.kind.into(),
            user_id: e.user_id.map(Into::into),
            email: e.email.clone(),
            ip: e.ip.clone(),
            user_agent: e.user_agent.clone(),
            by: e.by.clone(),
            detail: e.detail.clone(),
        }
    }
}

impl From<StoredSecurityEvent> for SecurityEvent {
    fn from(s: StoredSecurityEvent) -> Self {
        Self {
            id: s.id.into(),
            at_ms: s.at_ms,
            kind: s.kind.into(),
            user_id: s.user_id.map(Into::into),
            email: s.email,
            ip: s.ip,
            user_agent: s.user_agent,
            by: s.by,
            detail: s.detail,
        }
    }
}

twin!(Trigger <=> StoredTrigger { Schedule, Missed, Manual });
twin!(Outcome <=> StoredOutcome { Running, Ok, Failed, Skipped });

/// The `job_runs` tree's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredJobRun {
    pub id: Uuid,
    pub job: String,
    pub trigger: StoredTrigger,
    pub scheduled_ms: Option<i64>,
    pub started_ms: i64,
    pub ended_ms: Option<i64>,
    pub outcome: StoredOutcome,
    #[serde(default)]
    pub counts: BTreeMap<String, i64>,
    #[serde(default)]
    pub detail: Option<String>,
    pub error: Option<String>,
}

impl From<&JobRun> for StoredJobRun {
    fn from(r: &JobRun) -> Self {
        Self {
            id: r.id,
            job: r.job.clone(),
            trigger: r.trigger.into(),
            scheduled_ms: r.scheduled_ms,
            started_ms: r.started_ms,
            ended_ms: r.ended_ms,
            outcome: r.outcome.into(),
            counts: r.counts.clone(),
            detail: r.detail.clone(),
            error: r.error.clone(),
        }
    }
}

impl From<StoredJobRun> for JobRun {
    fn from(s: StoredJobRun) -> Self {
        Self {
            id: s.id,
            job: s.job,
            trigger: s.trigger.into(),
            scheduled_ms: s.scheduled_ms,
            started_ms: s.started_ms,
            ended_ms: s.ended_ms,
            outcome: s.outcome.into(),
            counts: s.counts,
            detail: s.detail,
            error: s.error,
        }
    }
}
