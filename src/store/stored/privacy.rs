//! Stored layout of a privacy request (the `privacy_requests` tree's value).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::privacy::{
    Extension, Law, PrivacyRequest, RequestAction, RequestKind, RequestStatus,
};

twin!(Law <=> StoredLaw { Gdpr, Ccpa });
twin!(RequestKind <=> StoredRequestKind {
    Access,
    Export,
    Correction,
    Erasure,
    Restriction,
    Objection,
});
twin!(RequestStatus <=> StoredRequestStatus {
    Open,
    Done,
    Refused,
    Withdrawn,
});

/// A deadline extension, as stored. Dates are ISO 8601 calendar dates (`2026-01-20`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredExtension {
    pub on: NaiveDate,
    pub reason: String,
    pub previous_due_on: NaiveDate,
}

/// One step taken on a request, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRequestAction {
    pub at_ms: i64,
    pub by: String,
    pub what: String,
    pub detail: String,
}

/// The `privacy_requests` tree's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPrivacyRequest {
    pub id: Uuid,
    pub kind: StoredRequestKind,
    pub subject: String,
    pub user_id: Option<Uuid>,
    pub law: StoredLaw,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    #[serde(default)]
    pub ack_due_on: Option<NaiveDate>,
    #[serde(default)]
    pub acknowledged_on: Option<NaiveDate>,
    #[serde(default)]
    pub extension: Option<StoredExtension>,
    pub status: StoredRequestStatus,
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
    #[serde(default)]
    pub verification: String,
    #[serde(default)]
    pub details: String,
    #[serde(default)]
    pub self_service: bool,
    #[serde(default)]
    pub actions: Vec<StoredRequestAction>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl From<&PrivacyRequest> for StoredPrivacyRequest {
    fn from(r: &PrivacyRequest) -> Self {
        Self {
            id: r.id.into(),
            kind: r.kind.into(),
            subject: r.subject.clone(),
            user_id: r.user_id.map(Uuid::from),
            law: r.law.into(),
            received_on: r.received_on,
            due_on: r.due_on,
            ack_due_on: r.ack_due_on,
            acknowledged_on: r.acknowledged_on,
            extension: r.extension.as_ref().map(|x| StoredExtension {
                on: x.on,
                reason: x.reason.clone(),
                previous_due_on: x.previous_due_on,
            }),
            status: r.status.into(),
            closed_on: r.closed_on,
            verification: r.verification.clone(),
            details: r.details.clone(),
            self_service: r.self_service,
            actions: r
                .actions
                .iter()
                .map(|a| StoredRequestAction {
                    at_ms: a.at_ms,
                    by: a.by.clone(),
                    what: a.what.clone(),
                    detail: a.detail.clone(),
                })
                .collect(),
            created_at_ms: r.created_at_ms,
            updated_at_ms: r.updated_at_ms,
        }
    }
}

impl From<StoredPrivacyRequest> for PrivacyRequest {
    fn from(s: StoredPrivacyRequest) -> Self {
        Self {
            id: s.id.into(),
            kind: s.kind.into(),
            subject: s.subject,
            user_id: s.user_id.map(Into::into),
            law: s.law.into(),
            received_on: s.received_on,
            due_on: s.due_on,
            ack_due_on: s.ack_due_on,
            acknowledged_on: s.acknowledged_on,
            extension: s.extension.map(|x| Extension {
                on: x.on,
                reason: x.reason,
                previous_due_on: x.previous_due_on,
            }),
            status: s.status.into(),
            closed_on: s.closed_on,
            verification: s.verification,
            details: s.details,
            self_service: s.self_service,
            actions: s
                .actions
                .into_iter()
                .map(|a| RequestAction {
                    at_ms: a.at_ms,
                    by: a.by,
                    what: a.what,
                    detail: a.detail,
                })
                .collect(),
            created_at_ms: s.created_at_ms,
            updated_at_ms: s.updated_at_ms,
        }
    }
}
