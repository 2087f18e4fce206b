//! Privacy requests (the register) and their deadlines — pure: dates in, dates out.
//!
//! GDPR (Art. 12(3)): answer within one calendar month of receipt; extendable once by two
//! further months, with the reason given to the person within the first month. A month is
//! counted to the same date of the next month, or its last day if it has none (Jan 31 → Feb
//! 28/29). CCPA/CPRA (Cal. Code Regs. tit. 11 §7021): acknowledge within 10 business days,
//! answer within 45 calendar days, extendable once by 45 days with notice within the first 45.
//! Business days are Monday to Friday; public holidays are not modelled (so the acknowledgement
//! date is never later than the law's).

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::{DomainError, PrivacyRequestId, UserId};

/// The law whose deadlines the register follows (config `privacy.law`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Law {
    Gdpr,
    Ccpa,
}

impl Law {
    pub fn parse(s: &str) -> Option<Law> {
        match s.trim() {
            "gdpr" => Some(Law::Gdpr),
            "ccpa" => Some(Law::Ccpa),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Law::Gdpr => "gdpr",
            Law::Ccpa => "ccpa",
        }
    }
}

/// What the person asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Access,
    Export,
    Correction,
    Erasure,
    Restriction,
    Objection,
}

impl RequestKind {
    pub const ALL: [RequestKind; 6] = [
        RequestKind::Access,
        RequestKind::Export,
        RequestKind::Correction,
        RequestKind::Erasure,
        RequestKind::Restriction,
        RequestKind::Objection,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Export => "export",
            RequestKind::Correction => "correction",
            RequestKind::Erasure => "erasure",
            RequestKind::Restriction => "restriction",
            RequestKind::Objection => "objection",
        }
    }
    pub fn parse(s: &str) -> Result<RequestKind, DomainError> {
        RequestKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                DomainError::field(
                    "kind",
                    "unknown_kind",
                    "use access, export, correction, erasure, restriction or objection",
                )
            })
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Open,
    /// Answered: what was asked was done.
    Done,
    /// Answered with a refusal (the reason is in the closing action).
    Refused,
    /// The person withdrew it.
    Withdrawn,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Done => "done",
            RequestStatus::Refused => "refused",
            RequestStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn parse_closing(s: &str) -> Result<RequestStatus, DomainError> {
        match s.trim() {
            "done" => Ok(RequestStatus::Done),
            "refused" => Ok(RequestStatus::Refused),
            "withdrawn" => Ok(RequestStatus::Withdrawn),
            _ => Err(DomainError::field(
                "status",
                "invalid_status",
                "use done, refused or withdrawn",
            )),
        }
    }
}

/// One thing done about a request (tools append these; so does closing it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestAction {
    pub at_ms: i64,
    /// The audit name of who did it (`user:<id>`, `cli:<name>`).
    pub by: String,
    /// A short code: `exported`, `corrected`, `erased`, `restricted`, `lifted`, `objected`,
    /// `extended`, `acknowledged`, `closed`, `noted`.
    pub what: String,
    pub detail: String,
}

/// The one extension a request may get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub on: NaiveDate,
    pub reason: String,
    pub previous_due_on: NaiveDate,
}

/// A privacy request in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyRequest {
    pub id: PrivacyRequestId,
    pub kind: RequestKind,
    /// Who the request is about, as the person gave it (a name or an email). Replaced by the
    /// erasure pseudonym when that person is erased.
    pub subject: String,
    /// The account it concerns, when there is one; the tools need it.
    pub user_id: Option<UserId>,
    pub law: Law,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    /// CCPA only: when the receipt must be acknowledged.
    #[serde(default)]
    pub ack_due_on: Option<NaiveDate>,
    #[serde(default)]
    pub acknowledged_on: Option<NaiveDate>,
    #[serde(default)]
    pub extension: Option<Extension>,
    pub status: RequestStatus,
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
    /// How the person's identity was verified.
    #[serde(default)]
    pub verification: String,
    /// What was asked, in the person's words (e.g. the correction wanted).
    #[serde(default)]
    pub details: String,
    /// Filed by the person themself on "My account".
    #[serde(default)]
    pub self_service: bool,
    #[serde(default)]
    pub actions: Vec<RequestAction>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// The dates a request must be answered (and, under CCPA, acknowledged) by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub due_on: NaiveDate,
    pub ack_due_on: Option<NaiveDate>,
}

/// `d` plus `n` calendar months, clamped to the last day of a shorter month.
pub fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    // chrono clamps to the month's last day; only dates near year 262143 can overflow.
    d.checked_add_months(Months::new(n))
        .unwrap_or(NaiveDate::MAX)
}

/// `d` plus `n` calendar days.
pub fn add_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(NaiveDate::MAX)
}

/// The `n`th business day (Mon–Fri) after `d`.
pub fn add_business_days(d: NaiveDate, n: u32) -> NaiveDate {
    let mut out = d;
    let mut left = n;
    while left > 0 {
        out = add_days(out, 1);
        if !matches!(out.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    out
}

/// The deadlines of a request received on `received` under `law`.
pub fn deadlines(law: Law, received: NaiveDate) -> Deadlines {
    match law {
        Law::Gdpr => Deadlines {
            due_on: add_months(received, 1),
            ack_due_on: None,
        },
        Law::Ccpa => Deadlines {
            due_on: add_days(received, 45),
            ack_due_on: Some(add_business_days(received, 10)),
        },
    }
}

/// The new due date if `req` may be extended on `today` with `reason`: once, with a reason,
/// within the first period (GDPR: the first month; CCPA: the first 45 days).
pub fn extended_due(
    req: &PrivacyRequest,
    today: NaiveDate,
    reason: &str,
) -> Result<NaiveDate, DomainError> {
    if reason.trim().is_empty() {
        return Err(DomainError::field(
            "reason",
            "required",
            "the law asks for the reason of an extension to be recorded",
        ));
    }
    if req.extension.is_some() {
        return Err(DomainError::field(
            "reason",
            "already_extended",
            "a request can be extended once",
        ));
    }
    let first = deadlines(req.law, req.received_on).due_on;
    if today > first {
        return Err(DomainError::field(
            "reason",
            "too_late",
            "an extension must be given within the first period",
        ));
    }
    Ok(match req.law {
        Law::Gdpr => add_months(req.received_on, 3),
        Law::Ccpa => add_days(req.received_on, 90),
    })
}

/// How urgent an open request is on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Past its due date (or, under CCPA, its acknowledgement date) and still open.
    Overdue,
    /// Due within `soon_days`.
    DueSoon,
    Ok,
    Closed,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Overdue => "overdue",
            Urgency::DueSoon => "due_soon",
            Urgency::Ok => "ok",
            Urgency::Closed => "closed",
        }
    }
}

pub fn urgency(req: &PrivacyRequest, today: NaiveDate, soon_days: u32) -> Urgency {
    if req.status != RequestStatus::Open {
        return Urgency::Closed;
    }
    let ack_late = req.acknowledged_on.is_none() && req.ack_due_on.is_some_and(|a| today > a);
    if today > req.due_on || ack_late {
        return Urgency::Overdue;
    }
    let soon = add_days(today, soon_days as u64);
    let ack_soon = req.acknowledged_on.is_none() && req.ack_due_on.is_some_and(|a| a <= soon);
    if req.due_on <= soon || ack_soon {
        Urgency::DueSoon
    } else {
        Urgency::Ok
    }
}

/// A free-text field: trimmed, at most `max` characters, no control characters but newlines.
pub fn text(field: &str, raw: &str, max: usize) -> Result<String, DomainError> {
    let s = raw.trim();
    if s.chars().count() > max {
        return Err(DomainError::field(
            field,
            "too_long",
            format!("use at most {max} characters"),
        ));
    }
    if s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(DomainError::field(
            field,
            "invalid",
            "control characters are not allowed",
        ));
    }
    Ok(s.to_owned())
}

/// What an erasure does with the person's time entries (config `privacy.erase_entries`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EraseEntries {
    /// Keep them (invoicing, working-time law) under a pseudonym of the person's own; notes
    /// and tags are cleared.
    Anonymise,
    Delete,
}

impl EraseEntries {
    pub fn as_str(self) -> &'static str {
        match self {
            EraseEntries::Anonymise => "anonymise",
            EraseEntries::Delete => "delete",
        }
    }
}

/// The only optional processing a person can object to today: being included in the
/// scheduled export of everyone's entries.
pub const OBJECTABLE_PURPOSES: &[&str] = &["scheduled_export"];

/// The instance's privacy policy, from the `privacy.*` configuration keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub law: Law,
    pub due_soon_days: u32,
    pub erase_entries: EraseEntries,
    pub purposes: Vec<String>,
    pub recipients: Vec<String>,
    pub contact: String,
    /// (category, how long it is kept), for the export's README.
    pub retention: Vec<(String, String)>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            law: Law::Gdpr,
            due_soon_days: 7,
            erase_entries: EraseEntries::Anonymise,
            purposes: Vec::new(),
            recipients: Vec::new(),
            contact: String::new(),
            retention: Vec::new(),
        }
    }
}

/// Processing of a user's data is restricted (kept, but only stored) until lifted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restriction {
    pub since_ms: i64,
    pub by: String,
    pub request_id: Option<PrivacyRequestId>,
}

/// An objection to (or withdrawal of consent for) one optional purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    pub purpose: String,
    pub at_ms: i64,
    pub request_id: Option<PrivacyRequestId>,
}

/// A user's privacy flags; the default is "none".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyFlags {
    #[serde(default)]
    pub restricted: Option<Restriction>,
    #[serde(default)]
    pub objections: Vec<Objection>,
}

impl PrivacyFlags {
    pub fn objects_to(&self, purpose: &str) -> bool {
        self.objections.iter().any(|o| o.purpose == purpose)
    }
    pub fn is_empty(&self) -> bool {
        self.restricted.is_none() && self.objections.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn req(law: Law, received: &str) -> PrivacyRequest {
        let r = d(received);
        let dl = deadlines(law, r);
        PrivacyRequest {
            id: PrivacyRequestId::new(0),
            kind: RequestKind::Access,
            subject: "x".into(),
            user_id: None,
            law,
            received_on: r,
            due_on: dl.due_on,
            ack_due_on: dl.ack_due_on,
            acknowledged_on: None,
            extension: None,
            status: RequestStatus::Open,
            closed_on: None,
            verification: String::new(),
            details: String::new(),
            self_service: false,
            actions: vec![],
            created_at_ms: 0,
            updated_at_ms: 0,
        }
    }

    #[test]
    fn gdpr_month_ends_clamp_to_the_shorter_month() {
        assert_eq!(
            deadlines(Law::Gdpr, d("2026-01-31")).due_on,
            d("2026-02-28")
        );
        assert_eq!(
            deadlines(Law::Gdpr, d("2028-01-31")).due_on,
            d("2028-02-29")
        );
        assert_eq!(
            deadlines(Law::Gdpr, d("2026-03-31")).due_on,
            d("2026-04-30")
        );
        assert_eq!(
            deadlines(Law::Gdpr, d("2026-12-15")).due_on,
            d("2027-01-15")
        );
        assert_eq!(deadlines(Law::Gdpr, d("2026-01-15")).ack_due_on, None);
    }

    #[test]
    fn business_days_skip_weekends() {
        // 2026-11-06 is a Friday.
        assert_eq!(add_business_days(d("2026-11-06"), 1), d("2026-11-09"));
        assert_eq!(add_business_days(d("2026-11-06"), 10), d("2026-11-20"));
        // From a Saturday, the first business day is Monday.
        assert_eq!(add_business_days(d("2026-11-07"), 1), d("2026-11-09"));
        assert_eq!(add_business_days(d("2026-11-09"), 0), d("2026-11-09"));
    }

    #[test]
    fn ccpa_acknowledges_in_ten_business_days_and_answers_in_45_days() {
        let dl = deadlines(Law::Ccpa, d("2026-11-06"));
        assert_eq!(dl.ack_due_on, Some(d("2026-11-20")));
        assert_eq!(dl.due_on, d("2026-12-21"));
    }

    #[test]
    fn gdpr_extends_once_within_the_first_month_with_a_reason() {
        let mut r = req(Law::Gdpr, "2026-01-31");
        assert_eq!(
            extended_due(&r, d("2026-02-10"), "").unwrap_err().0[0].code,
            "required"
        );
        assert_eq!(
            extended_due(&r, d("2026-03-01"), "complex").unwrap_err().0[0].code,
            "too_late"
        );
        // The last day of the first month is still within it.
        assert_eq!(
            extended_due(&r, d("2026-02-28"), "complex").unwrap(),
            d("2026-04-30")
        );
        r.extension = Some(Extension {
            on: d("2026-02-10"),
            reason: "complex".into(),
            previous_due_on: r.due_on,
        });
        assert_eq!(
            extended_due(&r, d("2026-02-11"), "again").unwrap_err().0[0].code,
            "already_extended"
        );
    }

    #[test]
    fn ccpa_extends_once_by_45_days_within_the_first_45() {
        let r = req(Law::Ccpa, "2026-11-06");
        assert_eq!(
            extended_due(&r, d("2026-12-21"), "volume").unwrap(),
            d("2027-02-04")
        );
        assert!(extended_due(&r, d("2026-12-22"), "volume").is_err());
    }

    #[test]
    fn urgency_flags_overdue_and_due_soon_requests() {
        let mut r = req(Law::Gdpr, "2026-01-10");
        assert_eq!(urgency(&r, d("2026-01-11"), 7), Urgency::Ok);
        assert_eq!(urgency(&r, d("2026-02-03"), 7), Urgency::DueSoon);
        assert_eq!(urgency(&r, d("2026-02-10"), 7), Urgency::DueSoon);
        assert_eq!(urgency(&r, d("2026-02-11"), 7), Urgency::Overdue);
        r.status = RequestStatus::Done;
        assert_eq!(urgency(&r, d("2026-02-11"), 7), Urgency::Closed);
        // CCPA: an unacknowledged request is overdue once the acknowledgement date passed.
        let mut c = req(Law::Ccpa, "2026-11-06");
        assert_eq!(urgency(&c, d("2026-11-23"), 0), Urgency::Overdue);
        c.acknowledged_on = Some(d("2026-11-10"));
        assert_eq!(urgency(&c, d("2026-11-23"), 0), Urgency::Ok);
    }
}
