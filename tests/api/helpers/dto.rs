//! The API's requests and answers as small serde structs, for the typed calls in `api.rs`.
//! Answers list the fields tests read (unknown ones are ignored); requests leave out what is
//! `None`, so a request struct with one field set is also a PATCH body that changes one field.

// The answers mirror the API; not every test reads every field.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

// ---- projects, clients, tags ----------------------------------------------------------------

/// `POST /api/v1/projects` and `PATCH /api/v1/projects/{id}`.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ProjectReq {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_cents: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

impl ProjectReq {
    /// A project called `name`, everything else by default.
    pub fn named(name: &str) -> ProjectReq {
        ProjectReq {
            name: Some(name.to_owned()),
            ..ProjectReq::default()
        }
    }
    /// With these members.
    pub fn members(mut self, ids: &[&str]) -> ProjectReq {
        self.member_ids = Some(ids.iter().map(|s| s.to_string()).collect());
        self
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    pub color: String,
    pub billable: bool,
    pub rate_cents: Option<i64>,
    pub currency: String,
    pub member_ids: Vec<String>,
    pub manager_ids: Vec<String>,
    pub archived: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ClientOrg {
    pub id: String,
    pub name: String,
    pub archived: bool,
}

/// A tag and how many entries carry it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct TagCount {
    pub name: String,
    pub entries: u64,
}

// ---- entries and the timer ------------------------------------------------------------------

/// `POST /api/v1/entries`, `PATCH /api/v1/entries/{id}` and `POST /api/v1/timer/start`.
#[derive(Debug, Default, Clone, Serialize)]
pub struct EntryReq {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billable: Option<bool>,
    /// Keep a start over a year ago or after tomorrow (tests use fixed dates, which the
    /// real clock moves away from).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirm: Option<bool>,
}

impl EntryReq {
    /// An entry on `project` from `start` to `end` (RFC 3339), its date confirmed.
    pub fn new(project: &str, start: &str, end: &str) -> EntryReq {
        EntryReq {
            project_id: Some(project.to_owned()),
            start: Some(start.to_owned()),
            end: Some(end.to_owned()),
            confirm: Some(true),
            ..EntryReq::default()
        }
    }
    /// A timer on `project` (no start or end: the server's clock decides).
    pub fn timer(project: &str) -> EntryReq {
        EntryReq {
            project_id: Some(project.to_owned()),
            ..EntryReq::default()
        }
    }
    pub fn note(mut self, note: &str) -> EntryReq {
        self.note = Some(note.to_owned());
        self
    }
    pub fn tags(mut self, tags: &[&str]) -> EntryReq {
        self.tags = Some(tags.iter().map(|s| s.to_string()).collect());
        self
    }
    pub fn task(mut self, task: &str) -> EntryReq {
        self.task_id = Some(task.to_owned());
        self
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    pub id: String,
    pub user_id: String,
    pub user_name: Option<String>,
    pub project_id: String,
    pub project_name: String,
    pub client_name: Option<String>,
    pub task_id: Option<String>,
    pub task_title: Option<String>,
    pub note: String,
    pub tags: Vec<String>,
    pub start: String,
    pub end: Option<String>,
    pub duration_seconds: i64,
    pub billable: bool,
    pub rate_cents: Option<i64>,
    pub currency: String,
}

/// `GET /api/v1/entries`.
#[derive(Debug, Clone, Deserialize)]
pub struct EntryPage {
    pub items: Vec<Entry>,
    pub next_cursor: Option<String>,
    pub total_seconds: i64,
}

impl EntryPage {
    /// The ids of the listed entries, in order.
    pub fn ids(&self) -> Vec<String> {
        self.items.iter().map(|e| e.id.clone()).collect()
    }
}

/// `POST /api/v1/entries/bulk`.
#[derive(Debug, Default, Clone, Serialize)]
pub struct BulkReq {
    pub ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub add_tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub remove_tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
}

/// A stopped timer's entry.
#[derive(Debug, Clone, Deserialize)]
pub struct Stopped {
    #[serde(flatten)]
    pub entry: Entry,
    pub capped: bool,
}

/// `POST /api/v1/timer/start`: the new timer and the one it stopped, if any.
#[derive(Debug, Clone, Deserialize)]
pub struct Started {
    pub started: Entry,
    pub stopped: Option<Stopped>,
}

// ---- tasks ----------------------------------------------------------------------------------

/// `POST /api/v1/projects/{id}/tasks` and `PATCH /api/v1/tasks/{id}`.
#[derive(Debug, Default, Clone, Serialize)]
pub struct TaskReq {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate_secs: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

impl TaskReq {
    pub fn titled(title: &str) -> TaskReq {
        TaskReq {
            title: Some(title.to_owned()),
            ..TaskReq::default()
        }
    }
    pub fn status(status: &str) -> TaskReq {
        TaskReq {
            status: Some(status.to_owned()),
            ..TaskReq::default()
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Comment {
    pub author_id: String,
    pub author_name: Option<String>,
    pub at: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Task {
    pub id: String,
    pub project_id: String,
    pub title: String,
    pub description: String,
    pub status: String,
    pub assignee_id: Option<String>,
    pub assignee_name: Option<String>,
    pub estimate_secs: Option<i64>,
    pub comments: Vec<Comment>,
    pub archived: bool,
}

// ---- the timesheet --------------------------------------------------------------------------

/// `PUT /api/v1/timesheet/cell`.
#[derive(Debug, Clone, Serialize)]
pub struct CellReq {
    pub project_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    pub date: String,
    pub seconds: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TimesheetRow {
    pub project_id: String,
    pub project_name: String,
    pub task_id: Option<String>,
    pub task_title: Option<String>,
    pub seconds: Vec<i64>,
    pub total: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Timesheet {
    pub week_start: String,
    pub days: Vec<String>,
    pub rows: Vec<TimesheetRow>,
    pub day_totals: Vec<i64>,
    pub total: i64,
}

// ---- users ----------------------------------------------------------------------------------

/// `POST /api/v1/users`.
#[derive(Debug, Clone, Serialize)]
pub struct UserReq {
    pub name: String,
    pub email: String,
    pub role: String,
    pub time_zone: String,
}

impl UserReq {
    pub fn new(name: &str, email: &str, role: &str, time_zone: &str) -> UserReq {
        UserReq {
            name: name.to_owned(),
            email: email.to_owned(),
            role: role.to_owned(),
            time_zone: time_zone.to_owned(),
        }
    }
}

/// `PATCH /api/v1/users/{id}`: fields left out stay unchanged.
#[derive(Debug, Default, Clone, Serialize)]
pub struct UserPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub time_zone: String,
    pub disabled: bool,
    pub last_login_at: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Link {
    pub url: String,
    pub expires_at: String,
}

/// `POST /api/v1/users`: the account and the link that sets its password.
#[derive(Debug, Clone, Deserialize)]
pub struct CreatedUser {
    pub user: User,
    pub reset_link: Link,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UserPage {
    pub items: Vec<User>,
    pub next_cursor: Option<String>,
}

impl UserPage {
    pub fn emails(&self) -> Vec<&str> {
        self.items.iter().map(|u| u.email.as_str()).collect()
    }
}

// ---- audit ----------------------------------------------------------------------------------

/// One audit record; `body` differs per action, so it stays JSON.
#[derive(Debug, Clone, Deserialize)]
pub struct AuditRecord {
    pub seq: u64,
    pub at: String,
    pub actor: String,
    pub actor_name: Option<String>,
    pub ip: Option<String>,
    pub action: String,
    pub target: Option<String>,
    /// Null once redacted.
    #[serde(default)]
    pub body: Value,
    pub redacted: bool,
}

/// `GET /api/v1/audit`.
#[derive(Debug, Clone, Deserialize)]
pub struct AuditPage {
    pub items: Vec<AuditRecord>,
    pub next_cursor: Option<String>,
}

/// `GET /api/v1/audit/verify`.
#[derive(Debug, Clone, Deserialize)]
pub struct AuditVerify {
    pub ok: bool,
    pub records: u64,
    pub first_bad_seq: Option<u64>,
    pub reason: Option<String>,
}

/// A user whose data was read; name and email are none once the account is gone.
#[derive(Debug, Clone, Deserialize)]
pub struct AccessSubject {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// One recorded read of other people's data (`GET /api/v1/audit/accessed`).
#[derive(Debug, Clone, Deserialize)]
pub struct Access {
    pub seq: u64,
    pub at: String,
    pub actor: String,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    /// What was read ("time entries", "account", …).
    pub what: String,
    pub everyone: bool,
    pub unknown_subjects: bool,
    pub subjects: Vec<AccessSubject>,
    pub count: Option<u64>,
    pub detail: Option<String>,
}

// ---- security events ------------------------------------------------------------------------

/// One security event; `detail` differs per kind, so it stays JSON.
#[derive(Debug, Clone, Deserialize)]
pub struct SecurityEvent {
    pub id: String,
    pub at: String,
    pub kind: String,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    /// The email typed at a failed sign-in when no account matched it.
    pub email: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub by: Option<String>,
    pub by_name: Option<String>,
    pub detail: Value,
}

/// `GET /api/v1/security-events`.
#[derive(Debug, Clone, Deserialize)]
pub struct SecurityEventPage {
    pub items: Vec<SecurityEvent>,
    pub next_cursor: Option<String>,
}

// ---- jobs -----------------------------------------------------------------------------------

/// One run of a job.
#[derive(Debug, Clone, Deserialize)]
pub struct JobRun {
    pub id: String,
    /// `schedule`, `missed` or `manual`.
    pub trigger: String,
    pub scheduled_for: Option<String>,
    pub started: String,
    pub ended: Option<String>,
    /// `running`, `ok`, `failed` or `skipped`.
    pub outcome: String,
    pub counts: BTreeMap<String, i64>,
    pub detail: Option<String>,
    pub error: Option<String>,
}

/// A scheduled job.
#[derive(Debug, Clone, Deserialize)]
pub struct Job {
    pub name: String,
    pub description: String,
    /// The cron expression; none when the job only runs on request.
    pub schedule: Option<String>,
    pub next_run: Option<String>,
    pub running: bool,
    /// The latest runs, newest first.
    pub runs: Vec<JobRun>,
}

/// `GET /api/v1/jobs`.
#[derive(Debug, Clone, Deserialize)]
pub struct JobList {
    /// The zone schedules are read in.
    pub time_zone: String,
    pub items: Vec<Job>,
}

// ---- retention and legal holds --------------------------------------------------------------

/// One category in a retention preview or run.
#[derive(Debug, Clone, Deserialize)]
pub struct RetentionCategory {
    pub category: String,
    pub label: String,
    /// `config` or `admin`.
    pub source: String,
    pub rule: String,
    pub description: String,
    pub cutoff: Option<String>,
    /// Removed, or in a preview or dry run, would be removed.
    pub expired: u64,
    /// Expired but kept under a legal hold.
    pub held: u64,
    pub note: Option<String>,
}

/// `GET /api/v1/retention`, `POST /api/v1/retention/run` and `PUT /api/v1/retention/rules/…`.
#[derive(Debug, Clone, Deserialize)]
pub struct RetentionReport {
    pub dry_run: bool,
    pub at: String,
    pub categories: Vec<RetentionCategory>,
    pub holds: Vec<String>,
}

impl RetentionReport {
    /// The category named `name`; panics (showing the report) when there is none.
    pub fn category(&self, name: &str) -> &RetentionCategory {
        self.categories
            .iter()
            .find(|c| c.category == name)
            .unwrap_or_else(|| panic!("no {name} in {self:?}"))
    }

    /// A category's (expired, held).
    pub fn counts(&self, name: &str) -> (u64, u64) {
        let c = self.category(name);
        (c.expired, c.held)
    }
}

/// `POST /api/v1/holds`.
#[derive(Debug, Clone, Serialize)]
pub struct HoldReq {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<String>,
}

impl HoldReq {
    /// A hold of `kind` (`instance`, `user`, `project`, `client`) on `target`, for `reason`.
    pub fn new(kind: &str, target: Option<&str>, reason: &str) -> HoldReq {
        HoldReq {
            kind: kind.to_owned(),
            target: target.map(str::to_owned),
            reason: reason.to_owned(),
            ends_at: None,
        }
    }
    /// Ending at `day` (YYYY-MM-DD) or an RFC 3339 instant.
    pub fn ends_at(mut self, day: &str) -> HoldReq {
        self.ends_at = Some(day.to_owned());
        self
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Hold {
    pub id: String,
    pub kind: String,
    pub target_id: Option<String>,
    /// What the hold covers, in words.
    pub covers: String,
    pub reason: String,
    pub placed_by: String,
    pub placed_by_name: Option<String>,
    pub placed_at: String,
    pub ends_at: Option<String>,
    /// `active`, `ended` or `released`.
    pub status: String,
    pub released_at: Option<String>,
    pub released_by: Option<String>,
    pub released_by_name: Option<String>,
}

// ---- privacy --------------------------------------------------------------------------------

/// `POST /api/v1/privacy/requests`.
#[derive(Debug, Default, Clone, Serialize)]
pub struct PrivacyRequestReq {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The account's id or email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
}

impl PrivacyRequestReq {
    /// A request of `kind` (access, export, correction, erasure, restriction, objection).
    pub fn kind(kind: &str) -> PrivacyRequestReq {
        PrivacyRequestReq {
            kind: kind.to_owned(),
            ..PrivacyRequestReq::default()
        }
    }
}

/// The one extension a request may get.
#[derive(Debug, Clone, Deserialize)]
pub struct Extension {
    pub on: String,
    pub reason: String,
    pub previous_due_on: String,
}

/// One thing done about a request.
#[derive(Debug, Clone, Deserialize)]
pub struct RequestAction {
    pub at: String,
    pub by: String,
    pub what: String,
    pub detail: String,
}

/// A privacy request in the register; dates are YYYY-MM-DD.
#[derive(Debug, Clone, Deserialize)]
pub struct PrivacyRequest {
    pub id: String,
    pub kind: String,
    pub subject: String,
    pub user_id: Option<String>,
    pub law: String,
    pub received_on: String,
    pub due_on: String,
    pub ack_due_on: Option<String>,
    pub acknowledged_on: Option<String>,
    pub extension: Option<Extension>,
    pub status: String,
    pub closed_on: Option<String>,
    pub verification: String,
    pub details: String,
    pub self_service: bool,
    pub actions: Vec<RequestAction>,
    pub created_at: String,
    pub updated_at: String,
    /// overdue, due_soon, ok or closed.
    pub urgency: String,
}

/// `POST /api/v1/privacy/users/{id}/correct`: the fields to change, and the request it is for.
#[derive(Debug, Default, Clone, Serialize)]
pub struct CorrectReq {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// A user as a correction left them.
#[derive(Debug, Clone, Deserialize)]
pub struct CorrectedUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub time_zone: String,
    pub disabled: bool,
}

/// What an erasure did.
#[derive(Debug, Clone, Deserialize)]
pub struct Erased {
    pub pseudonym: String,
    pub pseudonym_id: String,
    pub entries_anonymised: u64,
    pub entries_deleted: u64,
    pub entries_held: u64,
    pub held_reasons: Vec<String>,
    pub audit_redacted: u64,
    pub security_events_deleted: u64,
    pub ledger_file_written: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Restriction {
    pub since: String,
    pub by: String,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Objection {
    pub purpose: String,
    pub at: String,
    pub request_id: Option<String>,
}

/// A person's restriction and objections.
#[derive(Debug, Clone, Deserialize)]
pub struct PrivacyFlags {
    pub restricted: Option<Restriction>,
    pub objections: Vec<Objection>,
}

/// `POST /api/v1/privacy/scan`: where a person's data sits.
#[derive(Debug, Clone, Deserialize)]
pub struct ScanReport {
    /// Tree → records holding one of the texts.
    pub trees: BTreeMap<String, u64>,
    /// Category (as the export ZIP names its files) → records.
    pub categories: BTreeMap<String, u64>,
    pub needles: u64,
}

/// One category of personal data in the privacy notice.
#[derive(Debug, Clone, Deserialize)]
pub struct NoticeCategory {
    pub name: String,
    pub what: String,
    pub purpose: String,
    /// How long it is kept, in words.
    pub retention: String,
}

/// `GET /api/v1/privacy-notice`.
#[derive(Debug, Clone, Deserialize)]
pub struct PrivacyNotice {
    pub controller: Option<String>,
    pub contact: Option<String>,
    pub categories: Vec<NoticeCategory>,
    pub processors: Vec<String>,
    pub backups: String,
    pub last_updated: String,
    pub last_updated_on: String,
    pub content_hash: String,
}
