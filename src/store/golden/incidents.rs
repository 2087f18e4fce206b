//! The golden fixture of the breach register (`incidents`): one incident with every part set,
//! the authority notified late with its reason, one person affected and notified.

use super::fixtures::uuid;
use super::T0;
use crate::domain::incident::{
    Affected, Assessment, AuthorityNotice, Incident, IncidentStatus, Notification, SentNotice,
};
use crate::domain::{IncidentId, UserId};

/// One closed incident about user `m`.
pub fn incidents(m: UserId) -> Vec<Incident> {
    vec![Incident {
        id: IncidentId::from_bytes(*uuid(90).as_bytes()),
        version: 5,
        title: "Laptop with an export stolen".into(),
        description: "A CSV export of November was on it.".into(),
        discovered_at_ms: T0 + 34_000,
        occurred_from_ms: T0 + 20_000,
        occurred_to_ms: Some(T0 + 30_000),
        opened_at_ms: T0 + 35_000,
        opened_by: "cli:root".into(),
        assessment: Assessment {
            nature: "confidentiality: device theft".into(),
            people_categories: "staff".into(),
            people_count: Some(1),
            record_categories: "time entries".into(),
            record_count: Some(40),
            consequences: "working hours disclosed".into(),
            measures: "disk encryption checked; password changed".into(),
            contact: "dpo@example.com".into(),
        },
        authority: Some(AuthorityNotice {
            at_ms: T0 + 36_000,
            reference: "DPA-2026-0001".into(),
            delay_reason: "the weekend".into(),
            by: "cli:root".into(),
        }),
        status: IncidentStatus::Closed,
        closed_at_ms: Some(T0 + 38_000),
        closing_note: "done".into(),
        affected: vec![Affected {
            user_id: m,
            source: "proposed".into(),
            at_ms: T0 + 36_500,
            by: "cli:root".into(),
        }],
        notices: vec![SentNotice {
            at_ms: T0 + 37_000,
            by: "cli:root".into(),
            subject: "A breach".into(),
            body: "Hello {name},\n\nwe lost a laptop.".into(),
            recipients: 1,
        }],
        notifications: vec![Notification {
            user_id: m,
            outbox_id: uuid(91),
            at_ms: T0 + 37_000,
            by: "cli:root".into(),
        }],
        updated_at_ms: T0 + 38_000,
    }]
}
