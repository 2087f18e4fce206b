//! Personal-data breaches (the incident register, GDPR Art. 33(5)) — pure: the record, its
//! rules and its 72-hour deadline. The notification text lives in `incident_text`.
//!
//! Art. 33(1): the authority is told "without undue delay and, where feasible, not later than
//! 72 hours after having become aware of it"; a later notification gives the reasons for the
//! delay. Art. 33(3) lists what the notification contains (see [`REQUIRED`]). Art. 34: the
//! people affected are told when the breach is likely to result in a high risk to them.

use serde::{Deserialize, Serialize};

use super::{DomainError, IncidentId, UserId};

/// Hours from discovery to the authority's deadline (Art. 33(1)).
pub const AUTHORITY_HOURS: i64 = 72;

const HOUR_MS: i64 = 3_600_000;

/// Where an incident stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    Open,
    Closed,
}

impl IncidentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Open => "open",
            IncidentStatus::Closed => "closed",
        }
    }
}

/// The Art. 33(3) description of the breach; empty text and `None` mean "not known yet".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// (a) The nature of the breach (confidentiality, integrity, availability; how).
    pub nature: String,
    /// (a) Categories of people concerned (staff, clients' contacts…).
    pub people_categories: String,
    /// (a) Approximate number of people concerned.
    pub people_count: Option<u64>,
    /// (a) Categories of personal data records concerned.
    pub record_categories: String,
    /// (a) Approximate number of records concerned.
    pub record_count: Option<u64>,
    /// (c) Likely consequences.
    pub consequences: String,
    /// (d) Measures taken or proposed, including to mitigate its effects.
    pub measures: String,
    /// (b) Name and contact details of the data protection officer or other contact point.
    pub contact: String,
}

/// The Art. 33(3) fields, in the order the form and the report show them.
pub const REQUIRED: [&str; 8] = [
    "nature",
    "people_categories",
    "people_count",
    "record_categories",
    "record_count",
    "consequences",
    "measures",
    "contact",
];

impl Assessment {
    /// The required fields still empty, in [`REQUIRED`] order.
    pub fn missing(&self) -> Vec<&'static str> {
        let blank = |s: &str| s.trim().is_empty();
        REQUIRED
            .into_iter()
            .filter(|f| match *f {
                "nature" => blank(&self.nature),
                "people_categories" => blank(&self.people_categories),
                "people_count" => self.people_count.is_none(),
                "record_categories" => blank(&self.record_categories),
                "record_count" => self.record_count.is_none(),
                "consequences" => blank(&self.consequences),
                "measures" => blank(&self.measures),
                _ => blank(&self.contact),
            })
            .collect()
    }
}

/// The notification of the supervisory authority (Art. 33(1)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityNotice {
    pub at_ms: i64,
    /// The authority's case number or the submission's reference.
    pub reference: String,
    /// Why it came later than 72 hours after discovery (required then).
    pub delay_reason: String,
    /// The audit name of who recorded it.
    pub by: String,
}

/// A person confirmed as affected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affected {
    pub user_id: UserId,
    /// `proposed` (found in the record of reads) or `added` (chosen by hand).
    pub source: String,
    pub at_ms: i64,
    pub by: String,
}

/// A notification text sent to the affected people (Art. 34), with `{name}` where each
/// person's name went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentNotice {
    pub at_ms: i64,
    pub by: String,
    pub subject: String,
    pub body: String,
    pub recipients: u32,
}

/// One person told (Art. 34): the message queued in the outbox for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub user_id: UserId,
    pub outbox_id: uuid::Uuid,
    pub at_ms: i64,
    pub by: String,
}

/// A breach in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub id: IncidentId,
    /// Raised by every change; a change names the version it was made from.
    pub version: u64,
    /// What happened, in one line.
    pub title: String,
    /// What happened, in more words.
    pub description: String,
    /// When the organisation became aware of it: the 72 hours count from here.
    pub discovered_at_ms: i64,
    /// The period the breach covers; no end: until now.
    pub occurred_from_ms: i64,
    pub occurred_to_ms: Option<i64>,
    pub opened_at_ms: i64,
    pub opened_by: String,
    pub assessment: Assessment,
    pub authority: Option<AuthorityNotice>,
    pub status: IncidentStatus,
    pub closed_at_ms: Option<i64>,
    pub closing_note: String,
    pub affected: Vec<Affected>,
    pub notices: Vec<SentNotice>,
    pub notifications: Vec<Notification>,
    pub updated_at_ms: i64,
}

impl Incident {
    /// When the authority must have been told: discovery plus 72 hours.
    pub fn authority_due_at_ms(&self) -> i64 {
        self.discovered_at_ms + AUTHORITY_HOURS * HOUR_MS
    }

    /// The end of the breach's window as of `now_ms`.
    pub fn window_end_ms(&self, now_ms: i64) -> i64 {
        self.occurred_to_ms.unwrap_or(now_ms)
    }

    /// Whether `user` was notified already.
    pub fn notified(&self, user: UserId) -> bool {
        self.notifications.iter().any(|n| n.user_id == user)
    }

    /// Whether `user` is named as affected or notified.
    pub fn names(&self, user: UserId) -> bool {
        self.affected.iter().any(|a| a.user_id == user)
            || self.notifications.iter().any(|n| n.user_id == user)
    }

    /// Names `pseudonym` wherever `user` was named (an erasure: the record stays, the person
    /// is no longer identifiable from it).
    pub fn pseudonymise(&mut self, user: UserId, pseudonym: UserId) {
        for a in self.affected.iter_mut().filter(|a| a.user_id == user) {
            a.user_id = pseudonym;
        }
        for n in self.notifications.iter_mut().filter(|n| n.user_id == user) {
            n.user_id = pseudonym;
        }
    }

    /// Where the authority deadline stands at `now_ms`.
    pub fn deadline(&self, now_ms: i64) -> Deadline {
        let due = self.authority_due_at_ms();
        match &self.authority {
            Some(a) if a.at_ms > due => Deadline::NotifiedLate,
            Some(_) => Deadline::Notified,
            None if self.status == IncidentStatus::Closed => Deadline::ClosedUnnotified,
            None if now_ms > due => Deadline::Overdue,
            None => Deadline::Running,
        }
    }
}

/// Where the authority deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// Not notified, due in the future.
    Running,
    /// Not notified, past due.
    Overdue,
    Notified,
    /// Notified after the 72 hours (with a reason for the delay).
    NotifiedLate,
    /// Closed without notifying the authority (the closing note says why).
    ClosedUnnotified,
}

impl Deadline {
    pub fn as_str(self) -> &'static str {
        match self {
            Deadline::Running => "running",
            Deadline::Overdue => "overdue",
            Deadline::Notified => "notified",
            Deadline::NotifiedLate => "notified_late",
            Deadline::ClosedUnnotified => "closed_unnotified",
        }
    }
}

/// The instants of a new incident, checked together: discovery not in the future, the window
/// starting no later than discovery and ending after it starts.
pub fn check_times(
    now_ms: i64,
    discovered: i64,
    from: i64,
    to: Option<i64>,
) -> Result<(), DomainError> {
    let mut errs = Vec::new();
    if discovered > now_ms {
        errs.push(super::FieldError::new(
            "discovered_at",
            "in_future",
            "the breach cannot be discovered after now",
        ));
    }
    if from > discovered {
        errs.push(super::FieldError::new(
            "occurred_from",
            "after_discovery",
            "the breach began before it was discovered",
        ));
    }
    if to.is_some_and(|t| t <= from) {
        errs.push(super::FieldError::new(
            "occurred_to",
            "end_before_start",
            "the end of the breach comes after its start",
        ));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(DomainError(errs))
    }
}

/// Checks a notification of the authority at `at_ms` (recorded at `now_ms`): not before
/// discovery, not in the future, and with the reasons for the delay when after the 72 hours.
pub fn check_authority(
    inc: &Incident,
    now_ms: i64,
    at_ms: i64,
    delay_reason: &str,
) -> Result<(), DomainError> {
    if at_ms > now_ms {
        return Err(DomainError::field(
            "notified_at",
            "in_future",
            "record a notification once it is made",
        ));
    }
    if at_ms < inc.discovered_at_ms {
        return Err(DomainError::field(
            "notified_at",
            "before_discovery",
            "the authority was notified after the breach was discovered",
        ));
    }
    if at_ms > inc.authority_due_at_ms() && delay_reason.trim().is_empty() {
        return Err(DomainError::field(
            "delay_reason",
            "required",
            "a notification after 72 hours gives the reasons for the delay (Art. 33(1))",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = HOUR_MS;

    fn incident(discovered: i64) -> Incident {
        Incident {
            id: IncidentId::new(0),
            version: 1,
            title: "Laptop stolen".into(),
            description: String::new(),
            discovered_at_ms: discovered,
            occurred_from_ms: discovered - 10 * H,
            occurred_to_ms: None,
            opened_at_ms: discovered,
            opened_by: "user:x".into(),
            assessment: Assessment::default(),
            authority: None,
            status: IncidentStatus::Open,
            closed_at_ms: None,
            closing_note: String::new(),
            affected: vec![],
            notices: vec![],
            notifications: vec![],
            updated_at_ms: discovered,
        }
    }

    #[test]
    fn the_authority_is_due_72_hours_after_discovery() {
        let mut i = incident(1_000 * H);
        assert_eq!(i.authority_due_at_ms(), 1_072 * H);
        assert_eq!(i.deadline(1_072 * H), Deadline::Running);
        assert_eq!(i.deadline(1_072 * H + 1), Deadline::Overdue);
        i.authority = Some(AuthorityNotice {
            at_ms: 1_073 * H,
            reference: "X-1".into(),
            delay_reason: "weekend".into(),
            by: "user:x".into(),
        });
        assert_eq!(i.deadline(1_100 * H), Deadline::NotifiedLate);
        i.authority.as_mut().unwrap().at_ms = 1_071 * H;
        assert_eq!(i.deadline(1_100 * H), Deadline::Notified);
    }

    #[test]
    fn a_late_notification_needs_the_reasons_for_the_delay() {
        let i = incident(1_000 * H);
        let late = 1_080 * H;
        let e = check_authority(&i, 1_100 * H, late, " ").unwrap_err();
        assert_eq!(e.0[0].code, "required");
        assert!(check_authority(&i, 1_100 * H, late, "the processor told us late").is_ok());
        assert!(check_authority(&i, 1_100 * H, 1_010 * H, "").is_ok());
        let e = check_authority(&i, 1_100 * H, 999 * H, "").unwrap_err();
        assert_eq!(e.0[0].code, "before_discovery");
        let e = check_authority(&i, 1_100 * H, 1_101 * H, "").unwrap_err();
        assert_eq!(e.0[0].code, "in_future");
    }

    #[test]
    fn missing_lists_the_empty_art_33_fields_in_order() {
        let mut a = Assessment::default();
        assert_eq!(a.missing(), REQUIRED.to_vec());
        a.nature = "stolen laptop".into();
        a.people_count = Some(0);
        a.contact = " ".into();
        assert!(!a.missing().contains(&"nature"));
        assert!(!a.missing().contains(&"people_count"));
        assert!(a.missing().contains(&"contact"));
    }

    #[test]
    fn times_are_checked_together() {
        assert!(check_times(10, 5, 1, Some(8)).is_ok());
        assert!(check_times(10, 5, 5, None).is_ok());
        let codes = |r: Result<(), DomainError>| -> Vec<String> {
            r.unwrap_err().0.into_iter().map(|e| e.code).collect()
        };
        assert_eq!(codes(check_times(10, 11, 1, None)), ["in_future"]);
        assert_eq!(
            codes(check_times(10, 5, 6, Some(6))),
            ["after_discovery", "end_before_start"]
        );
    }
}
