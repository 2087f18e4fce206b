//! The fixture records: one of every kind, fixed ids and instants, and how they are written
//! into a store (`check.rs` checks them when read back).

use crate::store::prelude::*;
use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::super::{
    ImportedRecord, NoticeStamp, OneTimeToken, Session, Store, TokenKind, UserRecord,
};
use super::{incidents, integrations, path, T0};
use crate::domain::approval::{Step, StepKind, Week, WeekState};
use crate::domain::audit::AuditEvent;
use crate::domain::hold::{Hold, HoldScope};
use crate::domain::jobs::{JobRun, Outcome, Trigger};
use crate::domain::privacy::{
    Extension, Law, Objection, PrivacyFlags, PrivacyRequest, RequestAction, RequestKind,
    RequestStatus, Restriction,
};
use crate::domain::security::{SecurityEvent, SecurityKind};
use crate::domain::token::ApiToken;
use crate::domain::tracking::{Client, Comment, Entry, Project, Task, TaskStatus};
use crate::domain::user::{DisplayName, Email, TimeZone, User};
use crate::domain::webhook::Webhook;
use crate::domain::{
    ClientId, EntryId, EventId, HoldId, PrivacyRequestId, ProjectId, Role, SessionKey, TaskId,
    UserId,
};

/// A fixed UUIDv7-shaped id: `01900000-0000-7000-8000-0000000000nn`.
pub(super) fn uuid(n: u8) -> uuid::Uuid {
    uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 | n as u128)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// One record of every kind, with optional fields both set and left out.
pub struct Fixtures {
    pub admin: UserRecord,
    pub member: UserRecord,
    pub session: Session,
    pub tokens: Vec<(SessionKey, TokenKind, Option<UserId>)>,
    pub client: Client,
    pub projects: Vec<Project>,
    pub task: Task,
    pub entry: Entry,
    pub running: Entry,
    pub job_run: JobRun,
    pub events: Vec<SecurityEvent>,
    pub holds: Vec<Hold>,
    pub request: PrivacyRequest,
    pub ledger: super::super::LedgerEntry,
    pub flags: PrivacyFlags,
    pub overrides: super::super::RuleOverrides,
    pub notice: NoticeStamp,
    /// Week approval records (none in stores older than the `weeks` tree: see
    /// [`Fixtures::before_weeks`]).
    pub weeks: Vec<Week>,
    /// Rows an import created (none in stores older than the `imported` tree).
    pub imported: Vec<([u8; 32], ImportedRecord)>,
    /// Personal API tokens and calendar subscriptions (none in stores older than the
    /// `api_tokens` tree).
    pub api_tokens: Vec<(SessionKey, ApiToken)>,
    /// Registered webhooks (none in stores older than the `webhooks` tree).
    pub webhooks: Vec<Webhook>,
    /// The breach register (none in stores older than the `incidents` tree).
    pub incidents: Vec<crate::domain::incident::Incident>,
    /// Read from `audit-events.jsonl`.
    pub audit: Vec<AuditEvent>,
}

fn user(n: u8, email: &str, name: &str, role: Role, zone: &str) -> User {
    User {
        id: UserId::from_bytes(*uuid(n).as_bytes()),
        email: Email::parse(email).unwrap(),
        name: DisplayName::parse(name).unwrap(),
        role,
        time_zone: TimeZone::parse(zone).unwrap(),
        disabled: false,
        created_at_ms: T0,
        updated_at_ms: T0 + 1_000,
        last_login_at_ms: None,
        disabled_at_ms: None,
        client_id: None,
    }
}

pub fn fixtures() -> Fixtures {
    // Id 1: `tests/api/golden.rs` gives the real admin's audit events this id.
    let mut admin = user(
        1,
        "ada@example.com",
        "Ada Admin",
        Role::Admin,
        "Europe/Berlin",
    );
    admin.last_login_at_ms = Some(T0 + 2_000);
    let mut member = user(2, "max@example.com", "Max Mitglied", Role::Member, "UTC");
    member.disabled = true;
    member.disabled_at_ms = Some(T0 + 3_000);
    let (a, m) = (admin.id, member.id);
    let client = Client {
        id: ClientId::from_bytes(*uuid(10).as_bytes()),
        name: "Acme".into(),
        notes: "since 2025".into(),
        archived: true,
        created_at_ms: T0 + 4_000,
    };
    let project = Project {
        id: ProjectId::from_bytes(*uuid(11).as_bytes()),
        name: "Backups".into(),
        client_id: Some(client.id),
        color: "#2f6fde".into(),
        billable: true,
        rate_cents: Some(9_500),
        currency: "EUR".into(),
        members: vec![m],
        managers: vec![a],
        archived: false,
        created_at_ms: T0 + 5_000,
        rates: Vec::new(),
        rounding: None,
        budget: None,
    };
    let internal = Project {
        id: ProjectId::from_bytes(*uuid(12).as_bytes()),
        name: "Internal".into(),
        client_id: None,
        color: "#00aa55".into(),
        billable: false,
        rate_cents: None,
        currency: "USD".into(),
        members: vec![],
        managers: vec![],
        archived: true,
        created_at_ms: T0 + 6_000,
        rates: Vec::new(),
        rounding: None,
        budget: None,
    };
    let task = Task {
        id: TaskId::from_bytes(*uuid(20).as_bytes()),
        project_id: project.id,
        title: "Rotate keys".into(),
        description: "every node".into(),
        status: TaskStatus::InProgress,
        assignee: Some(m),
        estimate_secs: Some(7_200),
        comments: vec![Comment {
            author: a,
            at_ms: T0 + 8_000,
            text: "done on node 1".into(),
        }],
        archived: false,
        created_at_ms: T0 + 7_000,
        updated_at_ms: T0 + 8_000,
    };
    let entry = Entry {
        id: EntryId::from_bytes(*uuid(30).as_bytes()),
        user_id: a,
        project_id: project.id,
        task_id: Some(task.id),
        tags: vec!["ops".into(), "Night".into()],
        note: "rotated the keys".into(),
        start_ms: T0 + 3_600_000,
        end_ms: Some(T0 + 9_000_000),
        billable: true,
        rate_cents: Some(9_500),
        currency: "EUR".into(),
        created_at_ms: T0 + 9_000_000,
        updated_at_ms: T0 + 9_100_000,
    };
    let running = Entry {
        id: EntryId::from_bytes(*uuid(31).as_bytes()),
        user_id: m,
        project_id: internal.id,
        task_id: None,
        tags: vec![],
        note: String::new(),
        start_ms: T0 + 10_000_000,
        end_ms: None,
        billable: false,
        rate_cents: None,
        currency: "USD".into(),
        created_at_ms: T0 + 10_000_000,
        updated_at_ms: T0 + 10_000_000,
    };
    let request = PrivacyRequest {
        id: PrivacyRequestId::from_bytes(*uuid(50).as_bytes()),
        kind: RequestKind::Correction,
        subject: "Max Mitglied".into(),
        user_id: Some(m),
        law: Law::Ccpa,
        received_on: day("2026-01-02"),
        due_on: day("2026-03-18"),
        ack_due_on: Some(day("2026-01-12")),
        acknowledged_on: Some(day("2026-01-03")),
        extension: Some(Extension {
            on: day("2026-01-20"),
            reason: "needs the payroll export".into(),
            previous_due_on: day("2026-02-16"),
        }),
        status: RequestStatus::Done,
        closed_on: Some(day("2026-01-21")),
        verification: "called back on the number on file".into(),
        details: "the name is misspelt".into(),
        self_service: true,
        actions: vec![RequestAction {
            at_ms: T0 + 20_000,
            by: format!("user:{a}"),
            what: "corrected".into(),
            detail: "name".into(),
        }],
        created_at_ms: T0 + 19_000,
        updated_at_ms: T0 + 20_000,
    };
    Fixtures {
        session: Session::new(
            SessionKey([0x5e; 32]),
            a,
            T0 + 2_000,
            T0 + 2_500,
            Some("192.0.2.7".into()),
            Some("Mozilla/5.0 (golden)".into()),
        ),
        tokens: vec![
            (SessionKey([0x70; 32]), TokenKind::Setup, None),
            (SessionKey([0x71; 32]), TokenKind::Reset, Some(m)),
        ],
        job_run: JobRun {
            id: uuid(40),
            job: "backup".into(),
            trigger: Trigger::Missed,
            scheduled_ms: Some(T0 + 11_000),
            started_ms: T0 + 12_000,
            ended_ms: Some(T0 + 13_000),
            outcome: Outcome::Ok,
            counts: BTreeMap::from([("bytes".into(), 5_000), ("entries".into(), 2)]),
            detail: Some("backups/ophiontt-20260101.backup.zst".into()),
            error: None,
        },
        events: vec![
            SecurityEvent {
                id: EventId::from_bytes(*uuid(41).as_bytes()),
                at_ms: T0 + 2_000,
                kind: SecurityKind::LoginSucceeded,
                user_id: Some(a),
                email: None,
                ip: Some("192.0.2.7".into()),
                user_agent: Some("Mozilla/5.0 (golden)".into()),
                by: None,
                detail: serde_json::Value::Null,
            },
            SecurityEvent {
                id: EventId::from_bytes(*uuid(42).as_bytes()),
                at_ms: T0 + 14_000,
                kind: SecurityKind::RoleChanged,
                user_id: Some(m),
                email: None,
                ip: None,
                user_agent: None,
                by: Some(format!("user:{a}")),
                detail: serde_json::json!({ "role": "member" }),
            },
            SecurityEvent {
                id: EventId::from_bytes(*uuid(43).as_bytes()),
                at_ms: T0 + 15_000,
                kind: SecurityKind::LoginFailed,
                user_id: None,
                email: Some("nobody@example.com".into()),
                ip: Some("198.51.100.9".into()),
                user_agent: None,
                by: None,
                detail: serde_json::Value::Null,
            },
        ],
        holds: vec![
            Hold {
                id: HoldId::from_bytes(*uuid(44).as_bytes()),
                scope: HoldScope::Project(project.id),
                reason: "litigation 2026-17".into(),
                placed_by: format!("user:{a}"),
                placed_at_ms: T0 + 16_000,
                ends_at_ms: Some(T0 + 86_400_000),
                released_at_ms: None,
                released_by: None,
            },
            Hold {
                id: HoldId::from_bytes(*uuid(45).as_bytes()),
                scope: HoldScope::Instance,
                reason: "audit".into(),
                placed_by: "cli:root".into(),
                placed_at_ms: T0 + 17_000,
                ends_at_ms: None,
                released_at_ms: Some(T0 + 18_000),
                released_by: Some("cli:root".into()),
            },
        ],
        request,
        ledger: super::super::LedgerEntry {
            id: uuid(51),
            user_id: UserId::from_bytes(*uuid(3).as_bytes()),
            pseudonym_id: UserId::from_bytes(*uuid(4).as_bytes()),
            pseudonym: "erased-0001".into(),
            entries: "anonymise".into(),
            at_ms: T0 + 21_000,
            request_id: None,
        },
        flags: PrivacyFlags {
            restricted: Some(Restriction {
                since_ms: T0 + 22_000,
                by: format!("user:{a}"),
                request_id: Some(PrivacyRequestId::from_bytes(*uuid(50).as_bytes())),
            }),
            objections: vec![Objection {
                purpose: "reports".into(),
                at_ms: T0 + 23_000,
                request_id: None,
            }],
        },
        overrides: BTreeMap::from([
            ("security_events".into(), "90 days".into()),
            ("time_entries".into(), "10 years".into()),
        ]),
        notice: NoticeStamp {
            hash: "9f".repeat(32),
            since_ms: T0 + 24_000,
        },
        audit: audit_events(),
        api_tokens: integrations::api_tokens(a),
        webhooks: integrations::webhooks(),
        incidents: incidents::incidents(m),
        imported: vec![(
            crate::store::source_key("toggl:4f2a"),
            ImportedRecord {
                entry_id: uuid(30),
                import_id: uuid(60),
                at_ms: T0 + 28_000,
            },
        )],
        weeks: vec![
            Week {
                user_id: a,
                monday: day("2025-12-29"),
                state: WeekState::Approved,
                steps: vec![
                    Step {
                        kind: StepKind::Submitted,
                        by: format!("user:{a}"),
                        at_ms: T0 + 25_000,
                        comment: Some("all there".into()),
                        total_secs: 5_400,
                    },
                    Step {
                        kind: StepKind::Approved,
                        by: "cli:root".into(),
                        at_ms: T0 + 26_000,
                        comment: None,
                        total_secs: 5_400,
                    },
                ],
                revision: 3,
            },
            Week {
                user_id: m,
                monday: day("2025-12-22"),
                state: WeekState::Locked,
                steps: vec![Step {
                    kind: StepKind::Locked,
                    by: "system".into(),
                    at_ms: T0 + 27_000,
                    comment: None,
                    total_secs: 0,
                }],
                revision: 0,
            },
        ],
        admin: UserRecord {
            user: admin,
            password_hash: Some(
                "$argon2id$v=19$m=19456,t=2,p=1$Z29sZGVuLXNhbHQ$Z29sZGVuLWhhc2gtbm90LWEtcmVhbC1vbmU"
                    .into(),
            ),
            mail_prefs: Default::default(),
        },
        member: UserRecord {
            user: member,
            password_hash: None,
            mail_prefs: Default::default(),
        },
        client,
        projects: vec![project, internal],
        task,
        entry,
        running,
    }
}

impl Fixtures {
    /// The fixtures as a store made before the `weeks` tree existed holds them: the same, with
    /// no week records (such a store or backup restores with none), and no imported rows (the
    /// `imported` tree came later still).
    pub fn before_weeks(mut self) -> Fixtures {
        self.weeks.clear();
        self.imported.clear();
        self.api_tokens.clear();
        self.webhooks.clear();
        self.incidents.clear();
        self
    }
}

/// The audit events of `audit-events.jsonl`, in chain order.
pub fn audit_events() -> Vec<AuditEvent> {
    let text = std::fs::read_to_string(path("audit-events.jsonl")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Writes `f` into `store` through the store's own write methods.
pub async fn populate(store: &Store, f: &Fixtures) {
    store
        .write(|tx| {
            tx.insert_user(&f.admin)?;
            // The member is written enabled, then disabled, as the service does it.
            let mut enabled = f.member.clone();
            enabled.user.disabled = false;
            enabled.user.disabled_at_ms = None;
            tx.insert_user(&enabled)?;
            tx.update_user(&enabled, &f.member)?;
            tx.put_session(&f.session)?;
            for (key, kind, user) in &f.tokens {
                let t = OneTimeToken {
                    kind: *kind,
                    user_id: *user,
                    created_at_ms: T0 + 1_000,
                    expires_at_ms: T0 + 86_400_000,
                    binding: None,
                };
                tx.put_token(key, &t)?;
            }
            tx.put_client(None, &f.client)?;
            for p in &f.projects {
                tx.put_project(None, p)?;
            }
            tx.put_task(None, &f.task)?;
            tx.insert_entry(&f.entry)?;
            tx.start_running(&f.running)?;
            for e in &f.events {
                tx.put_security_event(e)?;
            }
            for h in &f.holds {
                tx.put_hold(None, h)?;
            }
            tx.put_privacy_request(None, &f.request)?;
            tx.put_ledger_entry(&f.ledger)?;
            tx.put_privacy_flags(f.member.user.id, &PrivacyFlags::default(), &f.flags)?;
            tx.put_retention_overrides(&BTreeMap::new(), &f.overrides)?;
            tx.put_notice_stamp(&f.notice)?;
            for w in &f.weeks {
                tx.put_week(None, w)?;
            }
            for (k, r) in &f.imported {
                tx.put_imported(k, r)?;
            }
            for (k, t) in &f.api_tokens {
                tx.put_api_token(k, t)?;
            }
            for h in &f.webhooks {
                tx.put_webhook(None, h)?;
            }
            for i in &f.incidents {
                tx.put_incident(None, i)?;
            }
            for ev in &f.audit {
                tx.append_audit(ev)?;
            }
            Ok(())
        })
        .await
        .unwrap();
    store.put_job_run(&f.job_run).await.unwrap();
}
