//! The closed sets of values request and response fields take, as poem-openapi enums, so that
//! the spec lists them. Request fields use them through [`OneOf`](super::rules::OneOf): the
//! service layer still answers an unknown value with its own 422 field code.

use poem_openapi::Enum;

/// The kind of a privacy request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum PrivacyKind {
    Access,
    Export,
    Correction,
    Erasure,
    Restriction,
    Objection,
}

/// What a person may ask for themself on "My account".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum MyPrivacyKind {
    Correction,
    Erasure,
    Restriction,
    Objection,
}

/// How a privacy request is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum CloseStatus {
    Done,
    Refused,
    Withdrawn,
}

/// The state of a privacy request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum RequestStatus {
    Open,
    Done,
    Refused,
    Withdrawn,
}

/// How urgent an open privacy request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Urgency {
    Overdue,
    DueSoon,
    Ok,
    Closed,
}

/// The law whose deadlines apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Law {
    Gdpr,
    Ccpa,
}

/// An optional purpose a person may object to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Purpose {
    ScheduledExport,
}

/// What a legal hold is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum HoldKind {
    Instance,
    User,
    Project,
    Client,
}

/// Whether a legal hold is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum HoldStatus {
    Active,
    Ended,
    Released,
}

/// What started a job run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum JobTrigger {
    Schedule,
    Missed,
    Manual,
}

/// How a job run went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum JobOutcome {
    Running,
    Ok,
    Failed,
    Skipped,
}

/// Where a retention rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum RuleSource {
    Config,
    Admin,
}

/// A category of data a retention rule names (its `[retention]` key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum RetentionCategory {
    TimeEntries,
    Tasks,
    SecurityEvents,
    Sessions,
    AuditBodies,
    PrivacyRequests,
    DisabledAccounts,
    Exports,
    Logs,
    Backups,
}

/// The kind of a security event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum SecurityEventKind {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::security::SecurityKind;
    use poem_openapi::types::ParseFromJSON;

    #[test]
    fn security_event_kinds_are_the_domain_s() {
        for k in SecurityKind::ALL {
            let v = serde_json::Value::String(k.as_str().to_owned());
            assert!(
                SecurityEventKind::parse_from_json(Some(v)).is_ok(),
                "{}",
                k.as_str()
            );
        }
        assert_eq!(
            SecurityKind::ALL.len(),
            15,
            "a new kind belongs in SecurityEventKind too"
        );
    }

    #[test]
    fn retention_categories_are_the_domain_s() {
        use crate::domain::retention::Category;
        for c in Category::ALL {
            let v = serde_json::Value::String(c.key().to_owned());
            assert!(
                RetentionCategory::parse_from_json(Some(v)).is_ok(),
                "{}",
                c.key()
            );
        }
        assert_eq!(
            Category::ALL.len(),
            10,
            "a new category belongs in RetentionCategory too"
        );
    }
}

/// A channel of the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum OutboxChannel {
    Webhook,
    Email,
}

/// Where an outbox message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum OutboxStateName {
    Pending,
    Delivered,
    Failed,
}

/// An export's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
    Xlsx,
    Ics,
    Pdf,
}

/// What separates a CSV export's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum CsvDelimiter {
    Comma,
    Semicolon,
}

/// Whose export an imported file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ImportSource {
    Toggl,
    Clockify,
    Kimai,
    Solidtime,
    Ophiontt,
}

/// Where an incident stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum IncidentStatus {
    Open,
    Closed,
}

/// Where an incident's 72-hour authority deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum IncidentDeadline {
    Running,
    Overdue,
    Notified,
    NotifiedLate,
    ClosedUnnotified,
}

/// An Art. 33(3) field of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum IncidentField {
    Nature,
    PeopleCategories,
    PeopleCount,
    RecordCategories,
    RecordCount,
    Consequences,
    Measures,
    Contact,
}
