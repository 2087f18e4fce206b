//! The breach register (GDPR Art. 33/34): incidents opened and described (`register`), the
//! people affected, proposed from the record of reads (`people`), their notification drafted
//! and sent through the outbox (`notify`), and the report for the authority (`report`).
//!
//! Every change is one transaction with its audit record, made from the incident as read
//! inside it; a change that names the `version` it was made from (the form's edits, the
//! affected list) is refused with `incident.changed` when someone changed it since. Audit
//! bodies name no affected person (counts only): erasing one person then redacts nothing of
//! the incident's history. The incident itself keeps the affected people's ids (the
//! documentation Art. 33(5) asks for); erasure replaces them by the person's pseudonym id.

mod notify;
mod people;
mod register;
mod report;

pub use notify::{NoticeDraft, Sent};
pub use people::{Proposal, ProposedPerson, Reader};
pub use register::{IncidentPatch, NewIncident};
pub use report::Report;

use serde_json::json;

use super::{Actor, Incidents, Result, ServiceError};
use crate::domain::incident::{Deadline, Incident, IncidentStatus};
use crate::domain::{codes, DomainError, IncidentId, UserId};
use crate::store::prelude::*;
use crate::store::{conflict, Abort, StoreError};

/// An incident with what the register derives from it at `now_ms`.
#[derive(Debug, Clone)]
pub struct IncidentView {
    pub incident: Incident,
    pub now_ms: i64,
    pub deadline: Deadline,
    /// The Art. 33(3) fields still empty.
    pub missing: Vec<&'static str>,
    /// The affected people, with how they are known now.
    pub people: Vec<PersonView>,
}

/// A person affected, named as the account is now.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub user_id: UserId,
    /// `None` once the person was erased (or for a pseudonym).
    pub name: Option<String>,
    pub email: Option<String>,
    pub source: String,
    pub notified_at_ms: Option<i64>,
}

/// Pseudonym accounts that erasures leave behind have addresses in this domain
/// (`privacy::erase`).
const PSEUDONYM_DOMAIN: &str = "@erased.invalid";

fn target(id: IncidentId) -> Option<String> {
    Some(format!("incident:{id}"))
}

fn not_found() -> ServiceError {
    ServiceError::NotFound {
        kind: "incident",
        code: codes::INCIDENT_NOT_FOUND,
    }
}

/// A store error of a change, with "no such incident" as a 404.
fn change_error(e: StoreError) -> ServiceError {
    match e {
        StoreError::Conflict(codes::INCIDENT_NOT_FOUND) => not_found(),
        e => e.into(),
    }
}

/// A free-text field: trimmed, at most `max` characters, no control characters but newlines.
fn text(field: &str, raw: &str, max: usize) -> std::result::Result<String, DomainError> {
    crate::domain::privacy::text(field, raw, max)
}

/// An RFC 3339 instant (any offset) or a UTC date, as UTC milliseconds; a date means its
/// first instant, or for the end of the window (`occurred_to`) the first of the next day.
fn instant(field: &str, raw: &str) -> std::result::Result<i64, DomainError> {
    crate::domain::time::parse_bound(raw, field == "occurred_to")
        .map_err(|why| DomainError::field(field, "invalid", why))
}

/// One line: newlines become spaces (a title, an e-mail's subject).
fn one_line(s: String) -> String {
    s.split('\n').map(str::trim).collect::<Vec<_>>().join(" ")
}

impl Incidents<'_> {
    /// `inc` with its deadline, missing fields and people as of now.
    fn view(&self, inc: Incident) -> IncidentView {
        let now = self.now();
        let people = inc
            .affected
            .iter()
            .map(|a| {
                let rec = self.person(a.user_id).ok().flatten();
                PersonView {
                    user_id: a.user_id,
                    name: rec.as_ref().map(|r| r.user.name.as_str().to_owned()),
                    email: rec.as_ref().map(|r| r.user.email.as_str().to_owned()),
                    source: a.source.clone(),
                    notified_at_ms: (inc.notifications.iter())
                        .filter(|n| n.user_id == a.user_id)
                        .map(|n| n.at_ms)
                        .max(),
                }
            })
            .collect();
        IncidentView {
            deadline: inc.deadline(now),
            missing: inc.assessment.missing(),
            now_ms: now,
            people,
            incident: inc,
        }
    }

    /// The account of an affected person; none once erased (the account is gone, or is a
    /// pseudonym account in its own domain).
    fn person(&self, id: UserId) -> Result<Option<crate::store::UserRecord>> {
        Ok(self
            .store()
            .user(id)?
            .filter(|r| !r.user.email.as_str().ends_with(PSEUDONYM_DOMAIN)))
    }

    fn read(&self, id: IncidentId) -> Result<Incident> {
        self.store().incident(id)?.ok_or_else(not_found)
    }

    /// Changes an open incident in one audited write: read inside the transaction, refused
    /// when closed or (with `version`) changed since the caller read it; `f` edits it or
    /// refuses. The version goes up by one.
    async fn change(
        &self,
        actor: &Actor,
        id: IncidentId,
        version: Option<u64>,
        action: &str,
        body: serde_json::Value,
        f: impl Fn(&mut Incident) -> std::result::Result<(), Abort>,
    ) -> Result<IncidentView> {
        let ev = self.event(actor, action, target(id), body);
        let now = self.now();
        let out = self
            .store()
            .write(|tx| {
                let Some(before) = tx.incident(id)? else {
                    return Err(conflict(codes::INCIDENT_NOT_FOUND));
                };
                if before.status == IncidentStatus::Closed {
                    return Err(conflict(codes::INCIDENT_CLOSED));
                }
                if version.is_some_and(|v| v != before.version) {
                    return Err(conflict(codes::INCIDENT_CHANGED));
                }
                let mut inc = before.clone();
                f(&mut inc)?;
                inc.version += 1;
                inc.updated_at_ms = now;
                tx.put_incident(Some(&before), &inc)?;
                tx.append_audit(&ev)?;
                Ok(inc)
            })
            .await
            .map_err(change_error)?;
        Ok(self.view(out))
    }

    /// The audit body of a change that names only counts.
    fn counts(n: usize, added: usize, removed: usize) -> serde_json::Value {
        json!({ "count": n, "added": added, "removed": removed })
    }
}
