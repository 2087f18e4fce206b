//! Stored layout of a personal-data breach (the `incidents` tree's value).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::incident::{
    Affected, Assessment, AuthorityNotice, Incident, IncidentStatus, Notification, SentNotice,
};
use crate::domain::{IncidentId, UserId};

twin!(IncidentStatus <=> StoredIncidentStatus { Open, Closed });

/// The Art. 33(3) particulars, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAssessment {
    pub nature: String,
    pub people_categories: String,
    pub people_count: Option<u64>,
    pub record_categories: String,
    pub record_count: Option<u64>,
    pub consequences: String,
    pub measures: String,
    pub contact: String,
}

/// The authority's notification, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAuthorityNotice {
    pub at_ms: i64,
    pub reference: String,
    pub delay_reason: String,
    pub by: String,
}

/// A person affected, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAffected {
    pub user_id: Uuid,
    pub source: String,
    pub at_ms: i64,
    pub by: String,
}

/// A notification text sent, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSentNotice {
    pub at_ms: i64,
    pub by: String,
    pub subject: String,
    pub body: String,
    pub recipients: u32,
}

/// A person notified, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredNotification {
    pub user_id: Uuid,
    pub outbox_id: Uuid,
    pub at_ms: i64,
    pub by: String,
}

/// The `incidents` tree's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredIncident {
    pub id: Uuid,
    pub version: u64,
    pub title: String,
    pub description: String,
    pub discovered_at_ms: i64,
    pub occurred_from_ms: i64,
    pub occurred_to_ms: Option<i64>,
    pub opened_at_ms: i64,
    pub opened_by: String,
    pub assessment: StoredAssessment,
    pub authority: Option<StoredAuthorityNotice>,
    pub status: StoredIncidentStatus,
    pub closed_at_ms: Option<i64>,
    pub closing_note: String,
    pub affected: Vec<StoredAffected>,
    pub notices: Vec<StoredSentNotice>,
    pub notifications: Vec<StoredNotification>,
    pub updated_at_ms: i64,
}

impl From<&Incident> for StoredIncident {
    fn from(i: &Incident) -> Self {
        let a = &i.assessment;
        Self {
            id: i.id.into(),
            version: i.version,
            title: i.title.clone(),
            description: i.description.clone(),
            discovered_at_ms: i.discovered_at_ms,
            occurred_from_ms: i.occurred_from_ms,
            occurred_to_ms: i.occurred_to_ms,
            opened_at_ms: i.opened_at_ms,
            opened_by: i.opened_by.clone(),
            assessment: StoredAssessment {
                nature: a.nature.clone(),
                people_categories: a.people_categories.clone(),
                people_count: a.people_count,
                record_categories: a.record_categories.clone(),
                record_count: a.record_count,
                consequences: a.consequences.clone(),
                measures: a.measures.clone(),
                contact: a.contact.clone(),
            },
            authority: i.authority.as_ref().map(|n| StoredAuthorityNotice {
                at_ms: n.at_ms,
                reference: n.reference.clone(),
                delay_reason: n.delay_reason.clone(),
                by: n.by.clone(),
            }),
            status: i.status.into(),
            closed_at_ms: i.closed_at_ms,
            closing_note: i.closing_note.clone(),
            affected: (i.affected.iter())
                .map(|p| StoredAffected {
                    user_id: Uuid::from_bytes(*p.user_id.as_bytes()),
                    source: p.source.clone(),
                    at_ms: p.at_ms,
                    by: p.by.clone(),
                })
                .collect(),
            notices: (i.notices.iter())
                .map(|n| StoredSentNotice {
                    at_ms: n.at_ms,
                    by: n.by.clone(),
                    subject: n.subject.clone(),
                    body: n.body.clone(),
                    recipients: n.recipients,
                })
                .collect(),
            notifications: (i.notifications.iter())
                .map(|n| StoredNotification {
                    user_id: Uuid::from_bytes(*n.user_id.as_bytes()),
                    outbox_id: n.outbox_id,
                    at_ms: n.at_ms,
                    by: n.by.clone(),
                })
                .collect(),
            updated_at_ms: i.updated_at_ms,
        }
    }
}

impl From<StoredIncident> for Incident {
    fn from(s: StoredIncident) -> Self {
        let a = s.assessment;
        Self {
            id: IncidentId::from(s.id),
            version: s.version,
            title: s.title,
            description: s.description,
            discovered_at_ms: s.discovered_at_ms,
            occurred_from_ms: s.occurred_from_ms,
            occurred_to_ms: s.occurred_to_ms,
            opened_at_ms: s.opened_at_ms,
            opened_by: s.opened_by,
            assessment: Assessment {
                nature: a.nature,
                people_categories: a.people_categories,
                people_count: a.people_count,
                record_categories: a.record_categories,
                record_count: a.record_count,
                consequences: a.consequences,
                measures: a.measures,
                contact: a.contact,
            },
            authority: s.authority.map(|n| AuthorityNotice {
                at_ms: n.at_ms,
                reference: n.reference,
                delay_reason: n.delay_reason,
                by: n.by,
            }),
            status: s.status.into(),
            closed_at_ms: s.closed_at_ms,
            closing_note: s.closing_note,
            affected: (s.affected.into_iter())
                .map(|p| Affected {
                    user_id: UserId::from(p.user_id),
                    source: p.source,
                    at_ms: p.at_ms,
                    by: p.by,
                })
                .collect(),
            notices: (s.notices.into_iter())
                .map(|n| SentNotice {
                    at_ms: n.at_ms,
                    by: n.by,
                    subject: n.subject,
                    body: n.body,
                    recipients: n.recipients,
                })
                .collect(),
            notifications: (s.notifications.into_iter())
                .map(|n| Notification {
                    user_id: UserId::from(n.user_id),
                    outbox_id: n.outbox_id,
                    at_ms: n.at_ms,
                    by: n.by,
                })
                .collect(),
            updated_at_ms: s.updated_at_ms,
        }
    }
}
