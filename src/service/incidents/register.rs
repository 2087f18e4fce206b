//! The register itself: open an incident, list and show them, edit what is known (Art. 33(3)),
//! record the authority's notification, close.

use serde_json::json;

use super::{instant, not_found, target, text, IncidentView};
use crate::domain::error::Validator;
use crate::domain::incident::{
    check_authority, check_times, Assessment, AuthorityNotice, Incident, IncidentStatus,
};
use crate::domain::{codes, DomainError, IncidentId, Permission};
use crate::service::{rfc3339, Actor, Incidents, Result, ServiceError};
use crate::store::conflict;
use crate::store::prelude::*;

/// An incident as first reported.
#[derive(Debug, Clone, Default)]
pub struct NewIncident {
    /// What happened, in one line.
    pub title: String,
    pub description: Option<String>,
    /// RFC 3339; default now.
    pub discovered_at: Option<String>,
    /// RFC 3339; default the discovery.
    pub occurred_from: Option<String>,
    /// RFC 3339; none: ongoing or unknown.
    pub occurred_to: Option<String>,
}

/// A change of what is known; `None` leaves a field as it is. Texts may be set to empty;
/// `occurred_to` set to an empty text clears the end.
#[derive(Debug, Clone, Default)]
pub struct IncidentPatch {
    /// The version the change was made from.
    pub version: u64,
    pub title: Option<String>,
    pub description: Option<String>,
    pub discovered_at: Option<String>,
    pub occurred_from: Option<String>,
    pub occurred_to: Option<String>,
    pub nature: Option<String>,
    pub people_categories: Option<String>,
    pub people_count: Option<u64>,
    pub record_categories: Option<String>,
    pub record_count: Option<u64>,
    pub consequences: Option<String>,
    pub measures: Option<String>,
    pub contact: Option<String>,
}

/// The longest one-line text (a title) and the longest description.
const LINE: usize = 200;
const PARA: usize = 4000;

fn title(raw: &str) -> std::result::Result<String, DomainError> {
    let t = text("title", raw, LINE)?;
    if t.is_empty() {
        return Err(DomainError::field("title", "required", "say what happened"));
    }
    Ok(super::one_line(t))
}

impl Incidents<'_> {
    /// Opens an incident: what happened and when it was discovered (the 72 hours start then).
    /// The contact point starts as `privacy.contact`. Roles: admin.
    pub async fn open(&self, actor: &Actor, new: NewIncident) -> Result<IncidentView> {
        actor.require(Permission::ManagePrivacy)?;
        let now = self.now();
        let mut v = Validator::default();
        let title = v.check(title(&new.title));
        let description = v.check(text(
            "description",
            new.description.as_deref().unwrap_or(""),
            PARA,
        ));
        let opt = |v: &mut Validator, f: &str, s: &Option<String>| match s
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            Some(s) => v.check(instant(f, s)).map(Some),
            None => Some(None),
        };
        let discovered = opt(&mut v, "discovered_at", &new.discovered_at);
        let from = opt(&mut v, "occurred_from", &new.occurred_from);
        let to = opt(&mut v, "occurred_to", &new.occurred_to);
        v.finish()?;
        let (Some(title), Some(description), Some(discovered), Some(from), Some(to)) =
            (title, description, discovered, from, to)
        else {
            return Err(ServiceError::Invalid(vec![]));
        };
        let discovered = discovered.unwrap_or(now);
        let from = from.unwrap_or(discovered);
        check_times(now, discovered, from, to)?;
        let inc = Incident {
            id: IncidentId::new(now),
            version: 1,
            title,
            description,
            discovered_at_ms: discovered,
            occurred_from_ms: from,
            occurred_to_ms: to,
            opened_at_ms: now,
            opened_by: actor.audit_name(),
            assessment: Assessment {
                contact: self.settings().privacy.contact.clone(),
                ..Default::default()
            },
            authority: None,
            status: IncidentStatus::Open,
            closed_at_ms: None,
            closing_note: String::new(),
            affected: Vec::new(),
            notices: Vec::new(),
            notifications: Vec::new(),
            updated_at_ms: now,
        };
        let ev = self.event(
            actor,
            "incident.opened",
            target(inc.id),
            json!({ "title": inc.title, "discovered_at": rfc3339(discovered),
                    "occurred_from": rfc3339(from), "occurred_to": to.map(rfc3339),
                    "authority_due_at": rfc3339(inc.authority_due_at_ms()) }),
        );
        self.commit(&ev, |tx| tx.put_incident(None, &inc)).await?;
        Ok(self.view(inc))
    }

    /// Every incident, newest first. Roles: admin, auditor.
    pub fn list(&self, actor: &Actor) -> Result<Vec<IncidentView>> {
        actor.require(Permission::ReadPrivacy)?;
        let mut all = self.store().incidents()?;
        all.reverse();
        Ok(all.into_iter().map(|i| self.view(i)).collect())
    }

    /// One incident with its affected people (recorded as a read of their data). Roles:
    /// admin, auditor.
    pub async fn show(&self, actor: &Actor, id: IncidentId) -> Result<IncidentView> {
        actor.require(Permission::ReadPrivacy)?;
        let inc = self.read(id)?;
        self.record_read(actor, &inc, "breach register: affected people")
            .await?;
        Ok(self.view(inc))
    }

    /// Edits what is known of an open incident, from the version the caller read
    /// (`incident.changed` otherwise). Roles: admin.
    pub async fn update(
        &self,
        actor: &Actor,
        id: IncidentId,
        p: IncidentPatch,
    ) -> Result<IncidentView> {
        actor.require(Permission::ManagePrivacy)?;
        let mut v = Validator::default();
        let mut fields: Vec<&str> = Vec::new();
        let mut t = |v: &mut Validator, name: &'static str, s: &Option<String>, max| {
            s.as_ref().and_then(|s| {
                fields.push(name);
                v.check(text(name, s, max))
            })
        };
        let description = t(&mut v, "description", &p.description, PARA);
        let nature = t(&mut v, "nature", &p.nature, PARA);
        let people_categories = t(&mut v, "people_categories", &p.people_categories, PARA);
        let record_categories = t(&mut v, "record_categories", &p.record_categories, PARA);
        let consequences = t(&mut v, "consequences", &p.consequences, PARA);
        let measures = t(&mut v, "measures", &p.measures, PARA);
        let contact = t(&mut v, "contact", &p.contact, PARA);
        let new_title = p.title.as_ref().and_then(|s| {
            fields.push("title");
            v.check(title(s))
        });
        let mut at = |name: &'static str, s: &Option<String>| {
            s.as_ref().map(|s| {
                fields.push(name);
                if s.trim().is_empty() {
                    Ok(None)
                } else {
                    instant(name, s).map(Some)
                }
            })
        };
        let discovered = at("discovered_at", &p.discovered_at);
        let from = at("occurred_from", &p.occurred_from);
        let to = at("occurred_to", &p.occurred_to);
        let required = |name: &str, r: Option<std::result::Result<Option<i64>, DomainError>>| {
            r.map(|r| {
                r.and_then(|x| {
                    x.ok_or_else(|| DomainError::field(name, "required", "give an instant"))
                })
            })
        };
        let discovered = required("discovered_at", discovered).and_then(|r| v.check(r));
        let from = required("occurred_from", from).and_then(|r| v.check(r));
        let to = to.and_then(|r| v.check(r));
        if p.people_count.is_some() {
            fields.push("people_count");
        }
        if p.record_count.is_some() {
            fields.push("record_count");
        }
        v.finish()?;
        // The times are checked together with what is stored; the write checks the version.
        let before = self.read(id)?;
        let disc = discovered.unwrap_or(before.discovered_at_ms);
        let start = from.unwrap_or(before.occurred_from_ms);
        let end = to.unwrap_or(before.occurred_to_ms);
        check_times(self.now(), disc, start, end)?;
        let body = json!({ "fields": fields, "from_version": p.version });
        self.change(
            actor,
            id,
            Some(p.version),
            "incident.updated",
            body,
            |inc| {
                let set = |dst: &mut String, src: &Option<String>| {
                    if let Some(s) = src {
                        dst.clone_from(s)
                    }
                };
                if let Some(t) = &new_title {
                    inc.title.clone_from(t);
                }
                set(&mut inc.description, &description);
                let a = &mut inc.assessment;
                set(&mut a.nature, &nature);
                set(&mut a.people_categories, &people_categories);
                set(&mut a.record_categories, &record_categories);
                set(&mut a.consequences, &consequences);
                set(&mut a.measures, &measures);
                set(&mut a.contact, &contact);
                if p.people_count.is_some() {
                    a.people_count = p.people_count;
                }
                if p.record_count.is_some() {
                    a.record_count = p.record_count;
                }
                inc.discovered_at_ms = disc;
                inc.occurred_from_ms = start;
                inc.occurred_to_ms = end;
                Ok(())
            },
        )
        .await
    }

    /// Records that the supervisory authority was notified (Art. 33(1)): when, its reference,
    /// and after 72 hours the reasons for the delay. Once. Roles: admin.
    pub async fn record_authority(
        &self,
        actor: &Actor,
        id: IncidentId,
        notified_at: Option<&str>,
        reference: &str,
        delay_reason: &str,
    ) -> Result<IncidentView> {
        actor.require(Permission::ManagePrivacy)?;
        let now = self.now();
        let mut v = Validator::default();
        let at = match notified_at.filter(|s| !s.trim().is_empty()) {
            Some(s) => v.check(instant("notified_at", s)),
            None => Some(now),
        };
        let reference = v.check(text("reference", reference, LINE));
        let reason = v.check(text("delay_reason", delay_reason, PARA));
        v.finish()?;
        let (Some(at), Some(reference), Some(reason)) = (at, reference, reason) else {
            return Err(ServiceError::Invalid(vec![]));
        };
        let inc = self.read(id)?;
        if inc.authority.is_some() {
            return Err(ServiceError::Conflict(codes::INCIDENT_AUTHORITY_RECORDED));
        }
        check_authority(&inc, now, at, &reason)?;
        let late = at > inc.authority_due_at_ms();
        let by = actor.audit_name();
        let body = json!({ "notified_at": rfc3339(at), "reference": reference, "late": late,
                           "delay_reason": reason });
        self.change(
            actor,
            id,
            None,
            "incident.authority_notified",
            body,
            |inc| {
                if inc.authority.is_some() {
                    return Err(conflict(codes::INCIDENT_AUTHORITY_RECORDED));
                }
                inc.authority = Some(AuthorityNotice {
                    at_ms: at,
                    reference: reference.clone(),
                    delay_reason: reason.clone(),
                    by: by.clone(),
                });
                Ok(())
            },
        )
        .await
    }

    /// Closes an incident. Closing one whose authority was never notified needs a note
    /// saying why (Art. 33(1): unlikely to result in a risk). Roles: admin.
    pub async fn close(&self, actor: &Actor, id: IncidentId, note: &str) -> Result<IncidentView> {
        actor.require(Permission::ManagePrivacy)?;
        let note = text("note", note, PARA)?;
        if self.read(id)?.authority.is_none() && note.is_empty() {
            return Err(DomainError::field(
                "note",
                "required",
                "say why the authority was not notified",
            )
            .into());
        }
        let at = self.now();
        let body = json!({ "note": note });
        self.change(actor, id, None, "incident.closed", body, |inc| {
            inc.status = IncidentStatus::Closed;
            inc.closed_at_ms = Some(at);
            inc.closing_note.clone_from(&note);
            Ok(())
        })
        .await
    }
}

impl Incidents<'_> {
    /// The incident, for a caller allowed to read the register.
    pub(super) fn readable(&self, actor: &Actor, id: IncidentId) -> Result<Incident> {
        actor.require(Permission::ReadPrivacy)?;
        self.store().incident(id)?.ok_or_else(not_found)
    }
}
