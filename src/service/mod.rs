//! Use cases. Each public function takes the acting [`Actor`] first, checks permission, validates,
//! then writes through the store — the record, its indexes and its audit record in one
//! transaction. HTTP handlers, the admin socket and the offline CLI all call these same functions.

mod account;
mod actor;
pub mod admin;
mod audit;
pub mod backups;
mod calendar;
mod clients;
mod dashboard;
mod entries;
mod error;
mod exports;
mod holds;
pub mod imports;
pub mod incidents;
mod jobs;
mod labels;
mod mail;
mod notice;
mod offload;
pub mod outbox;
mod passwords;
mod people;
pub mod portal;
pub mod privacy;
mod project_billing;
mod projects;
mod report_views;
mod reports;
mod retention;
mod security;
mod seed;
mod sessions;
mod setup;
mod system;
mod tags;
mod tasks;
mod team;
mod throttle;
mod timesheet;
mod tokens;
mod users;
pub mod webhooks;
mod weeks;

use crate::store::prelude::*;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub use actor::{Actor, Who};
pub use audit::AuditPage;
pub use audit::CheckpointMade;
pub use audit::{read_checkpoint_files, AccessView, SubjectView};
pub use backups::{BackupPolicy, BackupRun, Created as BackupMade, Encrypt};
pub use calendar::{FeedBody, NewFeed};
pub use clients::{ClientInput, ClientPermissions};
pub use dashboard::{DashboardView, TeamMember, TeamWeek, TopProject};
pub use entries::{BulkChange, Once, MAX_BULK};
pub use entries::{EntryFilter, EntryInput, EntryPage, EntryPermissions, EntryView};
pub use error::{Result, ServiceError};
pub use exports::{ExportQuery, Prepared as PreparedExport, Written as ExportWritten};
pub use holds::{coverage, HoldInput};
pub use jobs::{JobSchedule, JobStatus, Scheduling, Started as JobStarted};
pub use labels::{EntryLabels, RowLabels};
pub use mail::PrefsPatch as MailPrefsPatch;
pub use notice::PrivacyNotice;
pub use people::Person;
pub use project_billing::{BudgetStatus, RateInput, RateView, TaskUse};
pub use projects::{BudgetInput, ProjectInput, ProjectPermissions};
pub use report_views::{Detailed, DetailedRow, Weekly, WeeklyRow, MAX_DETAILED_PAGE};
pub use reports::{RowLabel, Summary, SummaryQuery};
pub use retention::{CategoryReport, RetentionReport};
pub use security::MAX_EVENTS_PAGE;
pub use seed::SeedPlan;
pub use sessions::Purged;
pub use sessions::SessionStart;
pub use system::StoreStatus;
pub use tags::TagPermissions;
pub use tasks::{TaskInput, TaskPermissions};
pub use timesheet::{Timesheet, TimesheetRow};
pub use tokens::{NewToken, TokenView};
pub use users::{Link, NewUser, UserPatch};
pub use weeks::{Decision, LockRun, MissingWeek, WeekPermissions, WeekView};

use crate::clock::Clock;
use crate::domain::audit::AuditEvent;
use crate::domain::SessionKey;
use crate::store::Store;

/// Settings the use cases need (a slice of the configuration).
#[derive(Debug, Clone)]
pub struct Settings {
    pub min_password_length: usize,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub reset_link_ttl: Duration,
    pub setup_link_ttl: Duration,
    /// Login attempts allowed per minute for one (client, email) pair.
    pub login_attempts_per_minute: u32,
    /// `auth.token_max_days`: the longest expiry a personal API token may get.
    pub token_max_days: u32,
    /// How long an e-mailed sign-in link works; `None`: sign-in links are off.
    pub sign_in_link_ttl: Option<Duration>,
    /// Base URL for links, e.g. `http://127.0.0.1:8080`.
    pub base_url: String,
    /// The audit checkpoint signing key (`<data>/keys/audit-checkpoint.ed25519`).
    pub checkpoint_key: std::path::PathBuf,
    /// Where signed checkpoints are written (`audit.checkpoint_dir`).
    pub checkpoint_dir: std::path::PathBuf,
    /// What the privacy notice is generated from.
    pub notice: crate::domain::notice::NoticeInputs,
    /// How long each category of data is kept.
    pub retention: crate::domain::retention::Rules,
    /// The data folder (exports and logs live under it) and the backup folder.
    pub data_dir: std::path::PathBuf,
    pub backup_dir: std::path::PathBuf,
    /// The `privacy.*` policy (deadlines, erasure, the export README).
    pub privacy: crate::domain::privacy::Policy,
    /// Where erasures are also appended, beside the backups (see `privacy::ledger`).
    pub ledger_file: Option<std::path::PathBuf>,
    /// The range rule's limits for every entry (`tracking.*`).
    pub tracking: crate::domain::range::Limits,
    /// `tracking.min_timer_seconds`: the web UI asks before keeping a shorter timer.
    pub min_timer_seconds: u32,
    /// `[billing]`: the instance's rounding and budget warning, where a project has none.
    pub billing: crate::domain::billing::Defaults,
    /// `portal.show_rates`: whether client accounts see rates and amounts.
    pub portal_shows_rates: bool,
    /// `[approval]`: week submission and approval, and the auto-lock.
    pub approval: crate::domain::approval::Policy,
    /// `tickets.patterns`: ticket ids in notes and task titles, and their links.
    pub tickets: crate::domain::tickets::Patterns,
    /// How outbox messages are retried (`webhooks.retry_base`, `webhooks.max_attempts`).
    pub outbox_retry: crate::domain::outbox::RetryPolicy,
    /// `webhooks.allowed_hosts`: where webhooks may be registered to.
    pub webhook_hosts: Vec<String>,
    /// `[email]`: the SMTP server, when the instance sends e-mail.
    pub mail: Option<crate::domain::mail::MailServer>,
}

impl Settings {
    /// When a session stops being valid: the idle limit after its last use or the absolute
    /// limit after sign-in, whichever comes first. Sign-in checks, the expiry purge and the
    /// `sessions` retention rule all count from here.
    pub fn session_ends_at(&self, s: &crate::store::Session) -> i64 {
        let idle = self.session_idle.as_millis() as i64;
        let life = self.session_absolute.as_millis() as i64;
        (s.last_seen_at_ms + idle).min(s.created_at_ms + life)
    }
}

/// Every use case, sharing one store and clock. Cheap to clone.
#[derive(Clone)]
pub struct Services {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    settings: Settings,
    passwords: passwords::Passwords,
    login_throttle: throttle::LoginThrottle,
    /// Serialises changes that must keep at least one enabled admin (a scan cannot run inside
    /// a sled transaction).
    admin_guard: tokio::sync::Mutex<()>,
    /// Set once an enabled admin exists (see `setup_needed`).
    setup_done: std::sync::atomic::AtomicBool,
    /// When each distinct view (actor, action, target, filter) was last recorded.
    recent_views: std::sync::Mutex<std::collections::HashMap<String, i64>>,
    /// The scheduler, once `App` has attached it (see `jobs::Scheduling`).
    scheduler: std::sync::OnceLock<std::sync::Weak<dyn jobs::Scheduling>>,
}

/// How many times a read-modify-write use case is tried before it answers `write.contended`.
const ATTEMPTS: u32 = 16;

/// The same view by the same person within this window is recorded once.
const VIEW_WINDOW_MS: i64 = 10 * 60 * 1000;

impl Services {
    pub fn new(store: Store, clock: Arc<dyn Clock>, settings: Settings) -> Self {
        let login_throttle = throttle::LoginThrottle::new(settings.login_attempts_per_minute);
        Self {
            inner: Arc::new(Inner {
                store,
                clock,
                settings,
                passwords: passwords::Passwords::new(),
                login_throttle,
                admin_guard: tokio::sync::Mutex::new(()),
                setup_done: Default::default(),
                recent_views: Default::default(),
                scheduler: Default::default(),
            }),
        }
    }

    /// The store is private to the service layer: transports, jobs and mechanisms reach it
    /// only through use cases.
    pub(in crate::service) fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The signed-in caller's time zone (their account's), in which they read and type times.
    pub(in crate::service) fn zone_of(&self, actor: &Actor) -> Result<chrono_tz::Tz> {
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        Ok(self
            .store()
            .user(me)?
            .ok_or(ServiceError::Unauthenticated)?
            .user
            .time_zone
            .tz())
    }

    /// The service clock's "now" (UTC milliseconds), e.g. for a running timer's duration.
    pub fn now_ms(&self) -> i64 {
        self.now()
    }

    fn now(&self) -> i64 {
        self.inner.clock.now_ms()
    }

    /// Records that `actor` read personal data (UI.md: such views are recorded). A repeat of the
    /// same view within ten minutes is not recorded again: it would add nothing to "who saw what,
    /// when" and would drown the log, since pages reload their lists after every change.
    async fn record_view(
        &self,
        actor: &Actor,
        action: &str,
        target: Option<String>,
        body: serde_json::Value,
    ) -> Result<()> {
        let same = body.clone();
        self.record_view_as(actor, action, target, body, &same)
            .await
    }

    /// [`Self::record_view`], with `same` standing for the body when deciding whether two views
    /// are the same (e.g. without a count that changes as the viewed data grows).
    async fn record_view_as(
        &self,
        actor: &Actor,
        action: &str,
        target: Option<String>,
        body: serde_json::Value,
        same: &serde_json::Value,
    ) -> Result<()> {
        let ev = self.event(actor, action, target, body);
        let key = format!("{}|{}|{:?}|{}", ev.actor, ev.action, ev.target, same);
        {
            let mut recent = self
                .inner
                .recent_views
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if recent
                .get(&key)
                .is_some_and(|at| ev.at_ms - at < VIEW_WINDOW_MS)
            {
                return Ok(());
            }
            if recent.len() > 10_000 {
                recent.retain(|_, at| ev.at_ms - *at < VIEW_WINDOW_MS);
            }
            recent.insert(key, ev.at_ms);
        }
        self.store()
            .write(|tx| tx.append_audit(&ev).map(|_| ()))
            .await?;
        Ok(())
    }

    /// Runs a read-modify-write use case until the records it read are still as it read them
    /// when its transaction writes (the store's `Tx` methods check that and abort with
    /// [`ServiceError::Stale`] otherwise). Each attempt reads afresh, so permissions, holds and
    /// restrictions are checked again against the current state. After [`ATTEMPTS`] lost races
    /// it answers `write.contended` (409): nothing was written.
    pub(crate) async fn retrying<T, F, Fut>(&self, attempt: F) -> Result<T>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let mut lost = 0;
        loop {
            match attempt().await {
                Err(ServiceError::Stale) if lost + 1 < ATTEMPTS => {
                    lost += 1;
                    // A short random pause so two writers that keep colliding fall out of step.
                    let pause = rand::random_range(0..=lost * 2);
                    tokio::time::sleep(Duration::from_millis(pause as u64)).await;
                }
                other => return other,
            }
        }
    }

    /// Writes one change and its audit record in one durable transaction.
    async fn commit<F>(&self, ev: &AuditEvent, change: F) -> Result<()>
    where
        F: Fn(&crate::store::Tx<'_>) -> std::result::Result<(), crate::store::Abort>,
    {
        self.store()
            .write(|tx| {
                change(tx)?;
                tx.append_audit(ev)?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// [`Self::commit`] through the store's commit queue (`Store::write_queued`), for the
    /// frequent writes: `change` owns what it writes.
    async fn commit_queued<F>(&self, ev: AuditEvent, change: F) -> Result<()>
    where
        F: Fn(&crate::store::Tx<'_>) -> std::result::Result<(), crate::store::Abort>
            + Send
            + 'static,
    {
        self.store()
            .write_queued(move |tx| {
                change(tx)?;
                tx.append_audit(&ev)?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    fn event(
        &self,
        actor: &Actor,
        action: &str,
        target: Option<String>,
        body: serde_json::Value,
    ) -> AuditEvent {
        debug_assert!(
            crate::domain::audit::ACTIONS.contains(&action),
            "audit action {action:?} is not registered in domain::audit::ACTIONS"
        );
        AuditEvent {
            at_ms: self.now(),
            actor: actor.audit_name(),
            ip: actor.ip.clone(),
            action: action.to_owned(),
            target,
            body,
        }
    }
}

/// One handle per area: `svc.entries().create(…)` lives in `src/service/entries.rs`, and so on
/// for every area below (the file each area's use cases live in is named after it). A handle is
/// a borrowed view of [`Services`]; inside an area, the shared plumbing (`store`, `event`,
/// `commit`, `retrying`, the clock) is reached through it.
macro_rules! areas {
    ($($(#[$doc:meta])* $area:ident => $ty:ident;)*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy)]
            pub struct $ty<'a>(&'a Services);

            impl std::ops::Deref for $ty<'_> {
                type Target = Services;
                fn deref(&self) -> &Services {
                    self.0
                }
            }
        )*

        impl Services {
            $(
                $(#[$doc])*
                pub fn $area(&self) -> $ty<'_> {
                    $ty(self)
                }
            )*
        }
    };
}

areas! {
    /// The admin command set of the CLI and the admin socket (`admin/`).
    admin => Admin;
    /// First-run setup: the setup link and the first admin (`setup.rs`).
    setup => Setup;
    /// Sign-in, sign-out, resolving a session, and purging expired ones (`sessions.rs`).
    sessions => Sessions;
    /// One's own account: profile, password, reset (`account.rs`).
    account => Account;
    /// Personal API tokens and calendar subscriptions' secrets (`tokens.rs`).
    tokens => Tokens;
    /// Calendar subscriptions: private iCalendar feed URLs (`calendar.rs`).
    calendar => Calendars;
    /// Messages out: the outbox, its delivery and its log (`outbox/`).
    outbox => Outboxes;
    /// E-mail: what is e-mailed to whom, and each person's notifications (`mail/`).
    mail => Mails;
    /// Webhooks: registered URLs, and the events queued for them (`webhooks/`).
    webhooks => Webhooks;
    /// User administration (`users.rs`).
    users => Users;
    /// The audit log, reads of personal data and signed checkpoints (`audit/`).
    audit => Audit;
    /// Time entries, the timer, quick-add and bulk changes (`entries/`).
    entries => Entries;
    /// Names and colours that make records readable in answers (`labels.rs`).
    labels => Labels;
    /// The week timesheet (`timesheet.rs`).
    timesheet => Timesheets;
    /// Reports: time summed and grouped over a range (`reports.rs`), the detailed and the
    /// weekly report (`report_views.rs`).
    reports => Reports;
    /// The client portal: a client account's read-only view of its client (`portal.rs`).
    portal => Portal;
    /// The first page after sign-in: one's week, the running timer, the team's week
    /// (`dashboard.rs`).
    dashboard => Dashboards;
    /// Projects (`projects.rs`).
    projects => Projects;
    /// Clients (`clients.rs`).
    clients => Clients;
    /// Tags (`tags.rs`).
    tags => Tags;
    /// Tasks and the task board (`tasks.rs`).
    tasks => Tasks;
    /// Scheduled job runs (`jobs.rs`).
    jobs => Jobs;
    /// Backups: writing, scheduling, auditing (`backups.rs`).
    backups => Backups;
    /// The state of the server and its store (`system.rs`).
    system => System;
    /// Exports of entries in any format: downloads, the CLI, the export job (`exports/`).
    exports => Exports;
    /// Imports from other time trackers and our own JSON export (`imports/`).
    imports => Imports;
    /// Legal holds (`holds.rs`).
    holds => Holds;
    /// Retention rules and runs (`retention/`).
    retention => Retention;
    /// Privacy requests and the tools that answer them (`privacy/`).
    privacy => Privacy;
    /// The breach register: incidents, the people affected, their notification (`incidents/`).
    incidents => Incidents;
    /// The privacy notice (`notice.rs`).
    notice => Notice;
    /// The security event log (`security.rs`).
    security => Security;
    /// Demo and benchmark data (`seed.rs`).
    seed => Seed;
    /// Week submission, approval and locking (`weeks/`).
    weeks => Weeks;
}

/// A fresh random secret (256 bits, base64url) and the key it is stored under.
pub fn new_secret() -> (String, SessionKey) {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let key = secret_key(&token);
    (token, key)
}

/// The store key of a secret the client presents.
pub fn secret_key(token: &str) -> SessionKey {
    SessionKey(Sha256::digest(token.as_bytes()).into())
}

pub use crate::domain::time::rfc3339;
