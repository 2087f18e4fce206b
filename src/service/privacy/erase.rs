//! Erasure: a person's account, sessions, links, security events, comments, flags and the
//! personal details of their audit records go; their entries are anonymised under a
//! pseudonym of their own (or deleted, per `privacy.erase_entries`), except those a legal
//! hold covers, which stay as they are. Breaches they were affected by stay in the register
//! (Art. 33(5)) under their pseudonym's id. Refused while a hold covers the person. Each erasure
//! is written to the erasure ledger (ids only), which `restore` re-applies.

use crate::service::Privacy;
use crate::store::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{attach, Actor, Result, ServiceError};
use crate::domain::codes;
use crate::domain::privacy::{EraseEntries, RequestAction};
use crate::domain::security::EventFilter;
use crate::domain::security::SecurityEvent;
use crate::domain::tracking::{Entry, Task};
use crate::domain::user::{DisplayName, Email, TimeZone, User};
use crate::domain::{Permission, PrivacyRequestId, Role, UserId};
use crate::store::{Exclusive, LedgerEntry, UserRecord};

/// What an erasure did.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Erased {
    pub pseudonym: String,
    pub pseudonym_id: UserId,
    pub entries_anonymised: usize,
    pub entries_deleted: usize,
    /// Entries kept unchanged because a legal hold covers them, with the holds' reasons.
    pub entries_held: usize,
    pub held_reasons: Vec<String>,
    pub audit_redacted: usize,
    pub security_events_deleted: usize,
    pub ledger_file_written: bool,
}

/// The person's things, gathered before the write.
struct Plan {
    entries: Vec<Entry>,
    held: Vec<Entry>,
    tasks: Vec<Task>,
    events: Vec<SecurityEvent>,
    /// Failed sign-ins with the person's email and no account (found by a walk of all events).
    typed_email: Vec<SecurityEvent>,
    /// Audit records to redact, with their targets.
    audit: Vec<(u64, Option<String>)>,
    /// Where the audit walk stopped, and when the event walk ran: a second plan starts there.
    audit_next: u64,
    walked_at_ms: i64,
    requests: Vec<crate::domain::privacy::PrivacyRequest>,
    sessions: Vec<crate::domain::SessionKey>,
    links: Vec<crate::domain::SessionKey>,
    /// The person's API tokens and calendar subscriptions.
    api_tokens: Vec<crate::domain::SessionKey>,
    /// Queued and sent messages carrying the person's data (webhook deliveries, e-mails).
    outbox: Vec<uuid::Uuid>,
    /// Keys of the person's idempotency records (`store::done_requests`).
    done_requests: Vec<Vec<u8>>,
    projects: Vec<crate::domain::tracking::Project>,
    /// Breaches the person is affected by: kept (Art. 33(5)), naming the pseudonym instead.
    incidents: Vec<crate::domain::incident::Incident>,
}

impl Privacy<'_> {
    /// Erases `user`. Roles: admin. Audited as `privacy.erased` (ids and counts only).
    pub async fn erase(
        &self,
        actor: &Actor,
        user: UserId,
        request: Option<PrivacyRequestId>,
    ) -> Result<Erased> {
        actor.require(Permission::ManagePrivacy)?;
        if actor.user_id() == Some(user) {
            return Err(ServiceError::Conflict(codes::PRIVACY_SELF_ERASURE));
        }
        let rec = self.privacy_subject(actor, user)?;
        if let Some(h) = self.holds().coverage()?.user(user) {
            return Err(ServiceError::Held {
                scope: self.holds().describe_scope(&h.scope)?,
                reason: h.reason.clone(),
            });
        }
        if rec.user.role == Role::Admin && !rec.user.disabled {
            let admins = self
                .store()
                .count_users_where(|u| u.role == Role::Admin && !u.disabled && u.id != user)?;
            if admins == 0 {
                return Err(ServiceError::Conflict(codes::USER_LAST_ADMIN));
            }
        }
        let now = self.now();
        let pseudonym_id = UserId::new(now);
        let pseudonym = format!("erased-{}", &pseudonym_id.to_string()[24..]);
        let ledger = LedgerEntry {
            id: uuid::Uuid::now_v7(),
            user_id: user,
            pseudonym_id,
            pseudonym: pseudonym.clone(),
            entries: self.settings().privacy.erase_entries.as_str().to_owned(),
            at_ms: now,
            request_id: request,
        };
        let out = self.apply_erasure(actor, &rec, &ledger, request).await?;
        Ok(out)
    }

    /// Performs one erasure as `ledger` describes it (also used to re-apply the ledger).
    pub(super) async fn apply_erasure(
        &self,
        actor: &Actor,
        rec: &UserRecord,
        ledger: &LedgerEntry,
        request: Option<PrivacyRequestId>,
    ) -> Result<Erased> {
        // A first plan reads the whole audit log and every security event without holding up
        // other writes; a second, under the store's write gate, adds what was written since.
        // Nothing written between plan and write (a last entry, a comment) is missed. Both walk
        // far more than a page, so they run off the worker threads (`offload.rs`); the gate is
        // awaited, and its owned guard goes with the second plan and the write, and is dropped
        // when they end.
        let r = rec.clone();
        let first = self
            .off_runtime(move |s| s.privacy().erasure_plan(&r, None))
            .await?;
        let exclusive = self.store().exclusive().await;
        let (a, r, l) = (actor.clone(), rec.clone(), ledger.clone());
        let erased = self
            .off_runtime(move |s| {
                let plan = s.privacy().erasure_plan(&r, Some(first))?;
                s.privacy()
                    .write_erasure(&exclusive, &a, &r, &l, request, &plan)
            })
            .await?;
        self.store().flush().await?;
        let written = self.append_ledger_file(ledger);
        Ok(Erased {
            ledger_file_written: written,
            ..erased
        })
    }

    /// The erasure's one transaction, not yet flushed.
    fn write_erasure(
        &self,
        exclusive: &Exclusive,
        actor: &Actor,
        rec: &UserRecord,
        ledger: &LedgerEntry,
        request: Option<PrivacyRequestId>,
        plan: &Plan,
    ) -> Result<Erased> {
        let user = rec.user.id;
        let mode = if ledger.entries == "delete" {
            EraseEntries::Delete
        } else {
            EraseEntries::Anonymise
        };
        let now = self.now();
        let pseudo = User {
            id: ledger.pseudonym_id,
            email: Email::parse(&format!("{}@erased.invalid", ledger.pseudonym))?,
            name: DisplayName::parse(&ledger.pseudonym)?,
            role: Role::Member,
            time_zone: TimeZone::utc(),
            disabled: true,
            // Not a disabled person: retention must not erase the pseudonym as an account.
            disabled_at_ms: None,
            client_id: None,
            created_at_ms: ledger.at_ms,
            updated_at_ms: ledger.at_ms,
            last_login_at_ms: None,
        };
        let keep_pseudonym = mode == EraseEntries::Anonymise && !plan.entries.is_empty();
        let mut held_reasons: Vec<String> = Vec::new();
        let cov = self.holds().coverage()?;
        let clients: std::collections::HashMap<_, _> =
            plan.projects.iter().map(|p| (p.id, p.client_id)).collect();
        for e in &plan.held {
            if let Some(h) = cov.entry(
                user,
                e.project_id,
                clients.get(&e.project_id).copied().flatten(),
            ) {
                if !held_reasons.contains(&h.reason) {
                    held_reasons.push(h.reason.clone());
                }
            }
        }
        let erased = Erased {
            pseudonym: ledger.pseudonym.clone(),
            pseudonym_id: ledger.pseudonym_id,
            entries_anonymised: if mode == EraseEntries::Anonymise {
                plan.entries.len()
            } else {
                0
            },
            entries_deleted: if mode == EraseEntries::Delete {
                plan.entries.len()
            } else {
                0
            },
            entries_held: plan.held.len(),
            held_reasons,
            audit_redacted: plan.audit.len(),
            security_events_deleted: plan.events.len(),
            ledger_file_written: false,
        };
        let ev = self.event(
            actor,
            "privacy.erased",
            Some(format!("user:{user}")),
            json!({ "request": request.map(|r| r.to_string()), "pseudonym_id": ledger.pseudonym_id.to_string(),
                    "pseudonym": ledger.pseudonym, "entries": ledger.entries,
                    "entries_anonymised": erased.entries_anonymised, "entries_deleted": erased.entries_deleted,
                    "entries_held": erased.entries_held, "audit_redacted": erased.audit_redacted,
                    "security_events_deleted": erased.security_events_deleted }),
        );
        let action = RequestAction { at_ms: now, by: actor.audit_name(), what: "erased".into(),
            detail: format!("erased; entries kept under the pseudonym {} ({} anonymised, {} deleted, {} under legal hold)",
                ledger.pseudonym, erased.entries_anonymised, erased.entries_deleted, erased.entries_held) };
        let (name, email) = (
            rec.user.name.as_str().to_owned(),
            rec.user.email.as_str().to_owned(),
        );
        let scrub = |s: &str| {
            s.replace(&name, &ledger.pseudonym)
                .replace(&email, &ledger.pseudonym)
        };
        let limits = self.settings().tracking;
        // Week approval records go with the person, locked weeks included: erasure is not
        // held back by a week's lock (docs/admin-guide.md, "Week approval").
        let weeks = self
            .store()
            .weeks_of(user, chrono::NaiveDate::MIN, chrono::NaiveDate::MAX)?;
        exclusive
            .write_unflushed(|tx| {
                attach(tx, request, user, &action)?;
                for w in &weeks {
                    tx.remove_week(w)?;
                }
                tx.stop_running(user, now, now, &limits)?;
                for e in &plan.entries {
                    match mode {
                        // The plan was read under the write gate this closure runs under,
                        // so `e` is what is stored: the checks in `remove_entry` and
                        // `replace_entry` hold.
                        EraseEntries::Delete => tx.remove_entry(e)?,
                        EraseEntries::Anonymise => {
                            let Some(before) = tx.entry(e.id)? else {
                                continue;
                            };
                            let mut e = before.clone();
                            e.user_id = ledger.pseudonym_id;
                            e.note = String::new();
                            e.tags = Vec::new();
                            e.updated_at_ms = now;
                            tx.replace_entry(&before, &e)?;
                        }
                    }
                }
                for before in &plan.tasks {
                    let mut t = before.clone();
                    if t.assignee == Some(user) {
                        t.assignee = None;
                    }
                    t.comments.retain(|c| c.author != user);
                    tx.put_task(Some(before), &t)?;
                }
                for before in &plan.projects {
                    let mut p = before.clone();
                    p.members.retain(|m| *m != user);
                    p.managers.retain(|m| *m != user);
                    tx.put_project(Some(before), &p)?;
                }
                for k in &plan.sessions {
                    tx.delete_session(user, k)?;
                }
                for k in &plan.links {
                    tx.delete_token(k)?;
                }
                for k in &plan.api_tokens {
                    tx.delete_api_token(k)?;
                }
                for id in &plan.outbox {
                    tx.delete_outbox(*id)?;
                }
                for before in &plan.incidents {
                    let mut i = before.clone();
                    i.pseudonymise(user, ledger.pseudonym_id);
                    i.version += 1;
                    tx.put_incident(Some(before), &i)?;
                }
                for k in &plan.done_requests {
                    tx.forget_request(k)?;
                }
                for e in &plan.events {
                    tx.delete_security_event(e)?;
                }
                for (seq, _) in &plan.audit {
                    tx.redact_audit(*seq)?;
                }
                for r in &plan.requests {
                    let Some(before) = tx.privacy_request(r.id)? else {
                        continue;
                    };
                    let mut r = before.clone();
                    r.subject = ledger.pseudonym.clone();
                    r.user_id = Some(ledger.pseudonym_id);
                    r.verification = scrub(&r.verification);
                    r.details = scrub(&r.details);
                    for a in &mut r.actions {
                        a.detail = scrub(&a.detail);
                    }
                    tx.put_privacy_request(Some(&before), &r)?;
                }
                let flags = tx.privacy_flags(user)?;
                tx.put_privacy_flags(user, &flags, &Default::default())?;
                tx.delete_user(user)?;
                if keep_pseudonym {
                    tx.insert_user(&UserRecord {
                        user: pseudo.clone(),
                        password_hash: None,
                        mail_prefs: Default::default(),
                    })?;
                }
                tx.put_ledger_entry(ledger)?;
                tx.append_audit(&ev)?;
                Ok(())
            })
            .map_err(super::request_error)?;
        Ok(erased)
    }

    /// Gathers the person's things; given an `earlier` plan, walks only the audit records and
    /// security events written since it (everything else is re-read: it is indexed or small).
    fn erasure_plan(&self, rec: &UserRecord, earlier: Option<Plan>) -> Result<Plan> {
        let store = self.store();
        let user = rec.user.id;
        let cov = self.holds().coverage()?;
        let projects = store.projects()?;
        let client_of = |p| {
            projects
                .iter()
                .find(|x| x.id == p)
                .and_then(|x| x.client_id)
        };
        let (mut entries, mut held) = (Vec::new(), Vec::new());
        let mut before = None;
        loop {
            let (page, next) =
                store.user_entries(user, i64::MIN, i64::MAX, before, 1000, |_| true)?;
            for e in page {
                if cov
                    .entry(user, e.project_id, client_of(e.project_id))
                    .is_some()
                {
                    held.push(e);
                } else {
                    entries.push(e);
                }
            }
            match next {
                Some(n) => before = Some(n),
                None => break,
            }
        }
        let tasks = store
            .all_tasks()?
            .into_iter()
            .filter(|t| t.assignee == Some(user) || t.comments.iter().any(|c| c.author == user))
            .collect();
        let email = rec.user.email.as_str();
        let walked_at_ms = self.now();
        let (mut typed_email, mut audit, audit_from, events_from) = match earlier {
            // A minute's slack: events are keyed by their own clock reading.
            Some(p) => (
                p.typed_email,
                p.audit,
                p.audit_next,
                Some(p.walked_at_ms - 60_000),
            ),
            None => (Vec::new(), Vec::new(), 0, None),
        };
        let filter = EventFilter {
            from_ms: events_from,
            ..EventFilter::default()
        };
        let mut pos = None;
        loop {
            let (page, next) = store.security_events(&filter, pos, 1000)?;
            for e in page {
                let typed = e.user_id.is_none() && e.email.as_deref() == Some(email);
                if typed && !typed_email.iter().any(|t| t.id == e.id) {
                    typed_email.push(e);
                }
            }
            match next {
                Some(n) => pos = Some(n),
                None => break,
            }
        }
        let mut events = store.security_events_of(user)?;
        events.extend(typed_email.iter().cloned());
        // Audit records by or about the person, or whose details name them or hold a note of
        // an entry being erased; records about held entries stay.
        let who = format!("user:{user}");
        let id = user.to_string();
        let name = rec.user.name.as_str();
        let held_targets: Vec<String> = held.iter().map(|e| format!("entry:{}", e.id)).collect();
        let own_targets: std::collections::HashSet<String> =
            entries.iter().map(|e| format!("entry:{}", e.id)).collect();
        let notes: Vec<&str> = entries
            .iter()
            .map(|e| e.note.as_str())
            .filter(|n| n.len() >= 3)
            .collect();
        // Records about entries a hold now covers stay.
        audit.retain(|(_, t)| t.as_ref().is_none_or(|t| !held_targets.contains(t)));
        let mut audit_next = audit_from;
        for (seq, r) in store.audit_walk_from(audit_from) {
            let r = r.map_err(|e| ServiceError::Internal(e.into()))?;
            audit_next = seq + 1;
            if r.body.is_none() && r.ip.is_none() {
                continue;
            }
            if r.target.as_ref().is_some_and(|t| held_targets.contains(t)) {
                continue;
            }
            let text = r.body.as_ref().map(|b| b.to_string()).unwrap_or_default();
            let hit = r.actor == who
                || r.target.as_deref() == Some(who.as_str())
                || r.target.as_ref().is_some_and(|t| own_targets.contains(t))
                || text.contains(&id)
                || text.contains(email)
                || (name.len() >= 3 && text.contains(name))
                || notes.iter().any(|n| text.contains(n));
            if hit {
                audit.push((seq, r.target));
            }
        }
        let requests = store
            .privacy_requests()?
            .into_iter()
            .filter(|r| r.user_id == Some(user))
            .collect();
        Ok(Plan {
            entries,
            held,
            tasks,
            events,
            typed_email,
            audit,
            audit_next,
            walked_at_ms,
            requests,
            sessions: store.session_keys_of(user)?,
            links: store
                .all_tokens()?
                .into_iter()
                .filter(|(_, t)| t.user_id == Some(user))
                .map(|(k, _)| k)
                .collect(),
            api_tokens: store
                .api_tokens_where(|t| t.user_id == user)?
                .into_iter()
                .map(|(k, _)| k)
                .collect(),
            outbox: store.outbox_of(user)?,
            done_requests: (store.done_requests_of(user)?.into_iter())
                .map(|(k, _)| k)
                .collect(),
            projects: projects
                .into_iter()
                .filter(|p| p.has_member(user))
                .collect(),
            incidents: (store.incidents()?.into_iter())
                .filter(|i| i.names(user))
                .collect(),
        })
    }
}
