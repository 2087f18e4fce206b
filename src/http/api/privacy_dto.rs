//! Response shapes of the privacy API (`/privacy/...`, `/me/privacy/...`), converted from the
//! domain, store and service types. Their JSON is the one those types had when serde wrote it
//! straight out (the web UI and API clients read it): snake_case names, every field present,
//! `null` for an absent value, dates as `YYYY-MM-DD` and instants as Unix milliseconds.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use poem_openapi::Object;

use super::dto::RoleDto;
use super::enums::{Law, PrivacyKind, RequestStatus, Urgency};
use super::rules::OneOf;
use crate::domain::privacy::{Extension, RequestAction};
use crate::domain::privacy::{Objection, PrivacyFlags, Restriction};
use crate::domain::user::User;
use crate::service::privacy::{Erased, RequestView, ScanReport};
use crate::service::rfc3339;

/// A privacy request in the register, with how urgent it is today.
#[derive(Debug, Clone, Object)]
pub struct PrivacyRequestDto {
    pub id: String,
    /// access, export, correction, erasure, restriction or objection.
    pub kind: OneOf<PrivacyKind>,
    /// Who the request is about, as the person gave it (a name or an email); the erasure
    /// pseudonym once that person is erased.
    pub subject: String,
    /// The account it concerns, when there is one.
    #[oai(nullable)]
    pub user_id: Option<String>,
    /// The law whose deadlines apply: gdpr or ccpa.
    pub law: OneOf<Law>,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    /// CCPA only: when the receipt must be acknowledged.
    #[oai(nullable)]
    pub ack_due_on: Option<NaiveDate>,
    #[oai(nullable)]
    pub acknowledged_on: Option<NaiveDate>,
    /// The one extension a request may get.
    #[oai(nullable)]
    pub extension: Option<ExtensionDto>,
    /// open, done, refused or withdrawn.
    pub status: OneOf<RequestStatus>,
    #[oai(nullable)]
    pub closed_on: Option<NaiveDate>,
    /// How the person's identity was verified.
    pub verification: String,
    /// What was asked, in the person's words.
    pub details: String,
    /// Filed by the person themself on "My account".
    pub self_service: bool,
    /// What was done about it, oldest first.
    pub actions: Vec<RequestActionDto>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// overdue, due_soon, ok or closed, as of today (UTC).
    pub urgency: OneOf<Urgency>,
}

impl From<RequestView> for PrivacyRequestDto {
    fn from(v: RequestView) -> Self {
        let r = v.request;
        Self {
            id: r.id.to_string(),
            kind: r.kind.as_str().into(),
            subject: r.subject,
            user_id: r.user_id.map(|u| u.to_string()),
            law: r.law.as_str().into(),
            received_on: r.received_on,
            due_on: r.due_on,
            ack_due_on: r.ack_due_on,
            acknowledged_on: r.acknowledged_on,
            extension: r.extension.map(Into::into),
            status: r.status.as_str().into(),
            closed_on: r.closed_on,
            verification: r.verification,
            details: r.details,
            self_service: r.self_service,
            actions: r.actions.into_iter().map(Into::into).collect(),
            created_at: rfc3339(r.created_at_ms),
            updated_at: rfc3339(r.updated_at_ms),
            urgency: v.urgency.as_str().into(),
        }
    }
}

/// An extension of a request's deadline.
#[derive(Debug, Clone, Object)]
pub struct ExtensionDto {
    /// When it was extended.
    pub on: NaiveDate,
    pub reason: String,
    /// The due date before the extension.
    pub previous_due_on: NaiveDate,
}

impl From<Extension> for ExtensionDto {
    fn from(e: Extension) -> Self {
        Self {
            on: e.on,
            reason: e.reason,
            previous_due_on: e.previous_due_on,
        }
    }
}

/// One thing done about a request.
#[derive(Debug, Clone, Object)]
pub struct RequestActionDto {
    /// RFC 3339, UTC.
    pub at: String,
    /// The audit name of who did it (`user:<id>`, `cli:<name>`).
    pub by: String,
    /// exported, corrected, erased, restricted, lifted, objected, extended, acknowledged,
    /// closed or noted.
    pub what: String,
    pub detail: String,
}

impl From<RequestAction> for RequestActionDto {
    fn from(a: RequestAction) -> Self {
        Self {
            at: rfc3339(a.at_ms),
            by: a.by,
            what: a.what,
            detail: a.detail,
        }
    }
}

/// The register.
#[derive(Debug, Clone, Object)]
pub struct PrivacyRequestListDto {
    /// Newest first.
    pub items: Vec<PrivacyRequestDto>,
    /// The law the register follows (config `privacy.law`): gdpr or ccpa.
    pub law: String,
    /// Today's date (UTC), which the urgencies are computed for.
    pub today: NaiveDate,
}

/// A person's own privacy requests.
#[derive(Debug, Clone, Object)]
pub struct MyPrivacyRequestListDto {
    /// Newest first.
    pub items: Vec<PrivacyRequestDto>,
}

/// What an erasure did.
#[derive(Debug, Clone, Object)]
pub struct ErasedDto {
    /// The label the person's kept entries now carry (`erased-…`).
    pub pseudonym: String,
    /// The id the person's kept entries now carry.
    pub pseudonym_id: String,
    pub entries_anonymised: usize,
    pub entries_deleted: usize,
    /// Entries kept unchanged because a legal hold covers them.
    pub entries_held: usize,
    /// The reasons of those holds.
    pub held_reasons: Vec<String>,
    pub audit_redacted: usize,
    pub security_events_deleted: usize,
    /// Whether the erasure ledger file (which `restore` re-applies) was written.
    pub ledger_file_written: bool,
}

impl From<Erased> for ErasedDto {
    fn from(e: Erased) -> Self {
        Self {
            pseudonym: e.pseudonym,
            pseudonym_id: e.pseudonym_id.to_string(),
            entries_anonymised: e.entries_anonymised,
            entries_deleted: e.entries_deleted,
            entries_held: e.entries_held,
            held_reasons: e.held_reasons,
            audit_redacted: e.audit_redacted,
            security_events_deleted: e.security_events_deleted,
            ledger_file_written: e.ledger_file_written,
        }
    }
}

/// A user as a correction left them: the account's stored fields, instants in milliseconds
/// (unlike `UserDto`, whose instants are RFC 3339).
#[derive(Debug, Clone, Object)]
pub struct CorrectedUserDto {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: RoleDto,
    /// IANA time zone name.
    pub time_zone: String,
    pub disabled: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// RFC 3339, UTC.
    #[oai(nullable)]
    pub last_login_at: Option<String>,
    /// When the account was last disabled (RFC 3339, UTC).
    #[oai(nullable)]
    pub disabled_at: Option<String>,
}

impl From<User> for CorrectedUserDto {
    fn from(u: User) -> Self {
        Self {
            id: u.id.to_string(),
            email: u.email.as_str().to_owned(),
            name: u.name.as_str().to_owned(),
            role: u.role.into(),
            time_zone: u.time_zone.as_str().to_owned(),
            disabled: u.disabled,
            created_at: rfc3339(u.created_at_ms),
            updated_at: rfc3339(u.updated_at_ms),
            last_login_at: u.last_login_at_ms.map(rfc3339),
            disabled_at: u.disabled_at_ms.map(rfc3339),
        }
    }
}

/// A person's restriction and objections.
#[derive(Debug, Clone, Object)]
pub struct PrivacyFlagsDto {
    /// Processing is restricted (kept, but only stored) until lifted; null when not.
    #[oai(nullable)]
    pub restricted: Option<RestrictionDto>,
    pub objections: Vec<ObjectionDto>,
}

impl From<PrivacyFlags> for PrivacyFlagsDto {
    fn from(f: PrivacyFlags) -> Self {
        Self {
            restricted: f.restricted.map(Into::into),
            objections: f.objections.into_iter().map(Into::into).collect(),
        }
    }
}

/// A restriction of processing.
#[derive(Debug, Clone, Object)]
pub struct RestrictionDto {
    /// RFC 3339, UTC.
    pub since: String,
    /// The audit name of who restricted it.
    pub by: String,
    /// The register entry it was done for, if any.
    #[oai(nullable)]
    pub request_id: Option<String>,
}

impl From<Restriction> for RestrictionDto {
    fn from(r: Restriction) -> Self {
        Self {
            since: rfc3339(r.since_ms),
            by: r.by,
            request_id: r.request_id.map(|i| i.to_string()),
        }
    }
}

/// An objection to (or withdrawal of consent for) one optional purpose.
#[derive(Debug, Clone, Object)]
pub struct ObjectionDto {
    /// Today: scheduled_export.
    pub purpose: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// The register entry it was recorded for, if any.
    #[oai(nullable)]
    pub request_id: Option<String>,
}

impl From<Objection> for ObjectionDto {
    fn from(o: Objection) -> Self {
        Self {
            purpose: o.purpose,
            at: rfc3339(o.at_ms),
            request_id: o.request_id.map(|i| i.to_string()),
        }
    }
}

/// Where a person's data sits.
#[derive(Debug, Clone, Object)]
pub struct ScanReportDto {
    /// Tree → number of records (keys) holding one of the texts looked for.
    pub trees: BTreeMap<String, usize>,
    /// Category (as the export ZIP names its files) → number of records.
    pub categories: BTreeMap<String, usize>,
    /// How many texts were looked for.
    pub needles: usize,
}

impl From<ScanReport> for ScanReportDto {
    fn from(r: ScanReport) -> Self {
        Self {
            trees: r.trees,
            categories: r.categories,
            needles: r.needles,
        }
    }
}
