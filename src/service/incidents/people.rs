//! Who is affected: proposed from the record of who read whose data during the incident's
//! window (`GET /audit/accessed`'s query), confirmed by the admin as a list.
//!
//! The register's own reads are left out of the proposal: the query it runs (recorded as
//! `audit.viewed` with the query `incident_proposal`) and the reads of an incident's people
//! (`data.accessed` of "breach register: …"); otherwise each look at an incident would
//! propose everyone the next time.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::IncidentView;
use crate::domain::incident::Affected;
use crate::domain::{DomainError, FieldError, IncidentId, Permission, UserId};
use crate::service::audit::Read;
use crate::service::{rfc3339, AccessView, Actor, Incidents, Result, ServiceError};
use crate::store::prelude::*;

/// What the proposal query is recorded as (`audit.viewed`'s `query`).
const PROPOSAL_QUERY: &str = "incident_proposal";
/// How the register's reads of people's data are named (`data.accessed`'s `what`).
const REGISTER_READ: &str = "breach register";

/// Someone who read a person's data.
#[derive(Debug, Clone)]
pub struct Reader {
    /// `user:<id>`, `cli:<name>` or `system`.
    pub actor: String,
    pub actor_name: Option<String>,
    pub reads: u64,
}

/// A person whose data was read during the window.
#[derive(Debug, Clone)]
pub struct ProposedPerson {
    pub user_id: String,
    /// None once erased.
    pub name: Option<String>,
    pub email: Option<String>,
    pub reads: u64,
    pub first_at_ms: i64,
    pub last_at_ms: i64,
    pub readers: Vec<Reader>,
    /// What was read ("account", "time entries export", …).
    pub what: Vec<String>,
    /// In the incident's affected list already.
    pub affected: bool,
}

/// The proposal: people read individually, and reads that covered everyone.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub from_ms: i64,
    pub to_ms: i64,
    pub people: Vec<ProposedPerson>,
    /// Reads of everyone's data (a backup, the user list, the audit log): everyone may be
    /// affected.
    pub everyone: Vec<AccessView>,
    /// Reads whose record was redacted: whose data is not known any more.
    pub unknown: Vec<AccessView>,
}

fn own_read(a: &AccessView) -> bool {
    (a.action == "audit.viewed" && a.detail.as_deref() == Some(PROPOSAL_QUERY))
        || a.what.starts_with(REGISTER_READ)
}

impl Incidents<'_> {
    /// The reads in `[from, to)`, grouped by person, without the register's own.
    async fn reads_between(&self, from: i64, to: i64) -> Result<Proposal> {
        let all = self.audit().accesses(from, to, None).await?;
        let mut people: BTreeMap<String, ProposedPerson> = BTreeMap::new();
        let (mut everyone, mut unknown) = (Vec::new(), Vec::new());
        for a in all.into_iter().filter(|a| !own_read(a)) {
            if a.everyone {
                everyone.push(a);
                continue;
            }
            if a.unknown_subjects {
                unknown.push(a);
                continue;
            }
            for s in &a.subjects {
                let p = people
                    .entry(s.id.clone())
                    .or_insert_with(|| ProposedPerson {
                        user_id: s.id.clone(),
                        name: s.name.clone(),
                        email: s.email.clone(),
                        reads: 0,
                        first_at_ms: a.at_ms,
                        last_at_ms: a.at_ms,
                        readers: Vec::new(),
                        what: Vec::new(),
                        affected: false,
                    });
                p.reads += 1;
                p.first_at_ms = p.first_at_ms.min(a.at_ms);
                p.last_at_ms = p.last_at_ms.max(a.at_ms);
                match p.readers.iter_mut().find(|r| r.actor == a.actor) {
                    Some(r) => r.reads += 1,
                    None => p.readers.push(Reader {
                        actor: a.actor.clone(),
                        actor_name: a.actor_name.clone(),
                        reads: 1,
                    }),
                }
                if !p.what.contains(&a.what) {
                    p.what.push(a.what.clone());
                }
            }
        }
        let mut people: Vec<ProposedPerson> = people.into_values().collect();
        people.sort_by(|a, b| b.reads.cmp(&a.reads).then(a.user_id.cmp(&b.user_id)));
        Ok(Proposal {
            from_ms: from,
            to_ms: to,
            people,
            everyone,
            unknown,
        })
    }

    /// The people whose data was read during the incident's window, most read first, and the
    /// reads of everyone's data. The query is recorded (`audit.viewed`). Roles: admin, auditor.
    pub async fn proposal(&self, actor: &Actor, id: IncidentId) -> Result<Proposal> {
        actor.require(Permission::ReadAudit)?;
        let inc = self.readable(actor, id)?;
        let (from, to) = (inc.occurred_from_ms, inc.window_end_ms(self.now()) + 1);
        let mut p = self.reads_between(from, to).await?;
        for person in &mut p.people {
            person.affected =
                (inc.affected.iter()).any(|a| a.user_id.to_string() == person.user_id);
        }
        let body = json!({ "query": PROPOSAL_QUERY, "incident": id.to_string(),
                           "from": rfc3339(from), "to": rfc3339(to) });
        self.record_view(actor, "audit.viewed", None, body).await?;
        Ok(p)
    }

    /// Sets who is affected, from the version the caller read. Each person must have an
    /// account (or be in the list already: an erased one stays until taken out); people new
    /// to the list are marked `proposed` when the record of reads names them, else `added`.
    /// Roles: admin.
    pub async fn set_affected(
        &self,
        actor: &Actor,
        id: IncidentId,
        version: u64,
        user_ids: &[String],
    ) -> Result<IncidentView> {
        actor.require(Permission::ManagePrivacy)?;
        let inc = self.store().incident(id)?.ok_or_else(super::not_found)?;
        let mut ids: Vec<UserId> = Vec::new();
        let mut bad = Vec::new();
        for raw in user_ids {
            match raw.trim().parse::<UserId>() {
                Ok(u) if inc.affected.iter().any(|a| a.user_id == u) => ids.push(u),
                Ok(u) if self.store().user(u)?.is_some() => ids.push(u),
                _ => bad.push(raw.clone()),
            }
        }
        if let Some(b) = bad.first() {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                "user_ids",
                "unknown_user",
                format!("no account has the id {b:?}"),
            )]));
        }
        let unique: BTreeSet<UserId> = ids.iter().copied().collect();
        if unique.len() > 100_000 {
            return Err(DomainError::field("user_ids", "too_long", "at most 100000 people").into());
        }
        let new: Vec<UserId> = (unique.iter())
            .filter(|u| !inc.affected.iter().any(|a| a.user_id == **u))
            .copied()
            .collect();
        let proposed: BTreeSet<String> = if new.is_empty() {
            BTreeSet::new()
        } else {
            let to = inc.window_end_ms(self.now()) + 1;
            let p = self.reads_between(inc.occurred_from_ms, to).await?;
            p.people.into_iter().map(|p| p.user_id).collect()
        };
        let removed = (inc.affected.iter())
            .filter(|a| !unique.contains(&a.user_id))
            .count();
        let (by, at) = (actor.audit_name(), self.now());
        let body = Self::counts(unique.len(), new.len(), removed);
        self.change(
            actor,
            id,
            Some(version),
            "incident.affected_set",
            body,
            |inc| {
                inc.affected.retain(|a| unique.contains(&a.user_id));
                for u in &new {
                    if !inc.affected.iter().any(|a| a.user_id == *u) {
                        let source = if proposed.contains(&u.to_string()) {
                            "proposed"
                        } else {
                            "added"
                        };
                        inc.affected.push(Affected {
                            user_id: *u,
                            source: source.into(),
                            at_ms: at,
                            by: by.clone(),
                        });
                    }
                }
                Ok(())
            },
        )
        .await
    }

    /// Records a read of the incident's affected people's data (`data.accessed`).
    pub(super) async fn record_read(
        &self,
        actor: &Actor,
        inc: &crate::domain::incident::Incident,
        what: &'static str,
    ) -> Result<()> {
        if inc.affected.is_empty() {
            return Ok(());
        }
        let read = Read {
            what,
            subjects: inc.affected.iter().map(|a| a.user_id).collect(),
            count: inc.affected.len(),
            from_ms: None,
            to_ms: None,
        };
        self.audit().record_access(actor, read).await
    }
}
