//! Purging records in the store: entries, tasks and comments, security events, sessions and
//! one-time links, and redacting audit bodies. Each walks its tree in chunks and removes what
//! expired in transactions of at most [`BATCH`] rows, each with its audit record.

use crate::service::Retention;
use crate::store::prelude::*;
use std::collections::HashMap;

use super::{Pass, Tally, BATCH};
use crate::domain::audit::{AuditEvent, AuditRecord};
use crate::domain::hold::Coverage;
use crate::domain::tracking::TaskStatus;
use crate::domain::{ClientId, ProjectId, SessionKey, UserId};
use crate::service::Result;
use crate::store::Session;

impl Retention<'_> {
    fn project_clients(&self) -> Result<HashMap<ProjectId, Option<ClientId>>> {
        Ok(self
            .store()
            .projects()?
            .into_iter()
            .map(|p| (p.id, p.client_id))
            .collect())
    }

    pub(super) async fn purge_entries(&self, p: &Pass<'_>) -> Result<Tally> {
        let clients = self.project_clients()?;
        let mut t = Tally::default();
        let mut after = None;
        loop {
            // Each chunk is read off the worker threads (`offload.rs`); the walk covers every
            // entry, so the job holds a worker only to sort one chunk and write it.
            let chunk = self
                .off_runtime(move |s| Ok(s.store().entries_after(after, BATCH)?))
                .await?;
            let Some(last) = chunk.last() else { break };
            after = Some(last.id);
            let mut doomed = Vec::new();
            for e in chunk {
                // A running timer has not ended: never expired.
                if e.end_ms.is_none_or(|end| end >= p.cutoff) {
                    continue;
                }
                let client = clients.get(&e.project_id).copied().flatten();
                if p.cov.entry(e.user_id, e.project_id, client).is_some() {
                    t.held += 1;
                } else {
                    doomed.push(e);
                }
            }
            t.expired += doomed.len() as u64;
            if !p.dry_run && !doomed.is_empty() {
                // Re-validated per row inside the transaction: an entry changed since it was
                // read (its end moved, say) is left for the next run to judge again.
                let ev = self.purge_event(p, doomed.len());
                let removed = self
                    .store()
                    .write(|tx| {
                        let mut removed = 0u64;
                        for e in &doomed {
                            if tx.entry(e.id)?.as_ref() == Some(e) {
                                tx.remove_entry(e)?;
                                removed += 1;
                            }
                        }
                        tx.append_audit(&ev)?;
                        Ok(removed)
                    })
                    .await?;
                t.expired -= doomed.len() as u64 - removed;
            }
        }
        Ok(t)
    }

    /// Finished tasks whose last change expired go whole; on other tasks, expired comments go.
    pub(super) async fn purge_tasks(&self, p: &Pass<'_>) -> Result<Tally> {
        let clients = self.project_clients()?;
        let mut t = Tally::default();
        let mut deletes = Vec::new();
        let mut trims = Vec::new();
        for project in self.store().projects()? {
            let client = clients.get(&project.id).copied().flatten();
            let project_held = p.cov.project(project.id, client).is_some();
            for task in self.store().tasks_of(project.id)? {
                let user_held = |u: UserId| p.cov.user(u).is_some();
                if task.status == TaskStatus::Done && task.updated_at_ms < p.cutoff {
                    let held = project_held
                        || task.assignee.is_some_and(user_held)
                        || task.comments.iter().any(|c| user_held(c.author));
                    if held {
                        t.held += 1;
                    } else {
                        t.expired += 1 + task.comments.len() as u64;
                        deletes.push(task);
                    }
                    continue;
                }
                let (old, kept): (Vec<_>, Vec<_>) = task
                    .comments
                    .iter()
                    .cloned()
                    .partition(|c| c.at_ms < p.cutoff);
                let (held, gone): (Vec<_>, Vec<_>) = old
                    .into_iter()
                    .partition(|c| project_held || user_held(c.author));
                t.held += held.len() as u64;
                if !gone.is_empty() {
                    t.expired += gone.len() as u64;
                    let mut trimmed = task.clone();
                    trimmed.comments = task
                        .comments
                        .iter()
                        .filter(|c| !gone.contains(c))
                        .cloned()
                        .collect();
                    debug_assert_eq!(trimmed.comments.len(), kept.len() + held.len());
                    trims.push((task.clone(), trimmed));
                }
            }
        }
        let changes = !deletes.is_empty() || !trims.is_empty();
        if !p.dry_run && changes {
            for chunk in deletes.chunks(BATCH) {
                let ev = self.purge_event(p, chunk.len());
                // Per row: a task changed since it was read is left for the next run.
                self.store()
                    .write(|tx| {
                        for task in chunk {
                            if tx.task(task.id)?.as_ref() == Some(task) {
                                tx.remove_task(task)?;
                            }
                        }
                        tx.append_audit(&ev).map(|_| ())
                    })
                    .await?;
            }
            for chunk in trims.chunks(BATCH) {
                let ev = self.purge_event(p, chunk.len());
                self.store()
                    .write(|tx| {
                        for (before, trimmed) in chunk {
                            if tx.task(before.id)?.as_ref() == Some(before) {
                                tx.put_task(Some(before), trimmed)?;
                            }
                        }
                        tx.append_audit(&ev).map(|_| ())
                    })
                    .await?;
            }
        }
        Ok(t)
    }

    pub(super) async fn purge_security_events(&self, p: &Pass<'_>) -> Result<Tally> {
        let held = |u: Option<UserId>| match u {
            Some(u) => p.cov.user(u).is_some(),
            None => p.cov.instance().is_some(),
        };
        // One walk in chunks: count what a hold keeps, delete the rest chunk by chunk.
        let mut t = Tally::default();
        let mut after = None;
        loop {
            let cutoff = p.cutoff;
            let chunk = self
                .off_runtime(move |s| Ok(s.store().security_events_before(cutoff, after, BATCH)?))
                .await?;
            let Some(last) = chunk.last() else { break };
            after = Some((last.at_ms, last.id));
            let (kept, batch): (Vec<_>, Vec<_>) = chunk.into_iter().partition(|e| held(e.user_id));
            t.held += kept.len() as u64;
            t.expired += batch.len() as u64;
            if p.dry_run || batch.is_empty() {
                continue;
            }
            let ev = self.purge_event(p, batch.len());
            self.store()
                .write(|tx| {
                    batch.iter().try_for_each(|e| tx.delete_security_event(e))?;
                    tx.append_audit(&ev).map(|_| ())
                })
                .await?;
        }
        Ok(t)
    }

    /// Sessions and one-time links whose expiry lies before the cutoff.
    pub(super) async fn purge_sessions(&self, p: &Pass<'_>) -> Result<Tally> {
        let mut t = Tally::default();
        let (cutoff, cov) = (p.cutoff, p.cov.clone());
        let (sessions, tokens, held) = self
            .off_runtime(move |s| s.retention().expired_access(cutoff, &cov))
            .await?;
        t.held = held;
        t.expired = (sessions.len() + tokens.len()) as u64;
        if !p.dry_run && t.expired > 0 {
            let ev = self.purge_event(p, t.expired as usize);
            self.delete_access(&sessions, &tokens, &[], &ev).await?;
        }
        Ok(t)
    }

    /// Deletes the access records [`Self::expired_access`] found, with `ev` in the same
    /// transaction: the hourly purge and the `sessions` rule delete them alike.
    pub(in crate::service) async fn delete_access(
        &self,
        sessions: &[Session],
        tokens: &[SessionKey],
        done_requests: &[Vec<u8>],
        ev: &AuditEvent,
    ) -> Result<()> {
        self.store()
            .write(|tx| {
                for s in sessions {
                    tx.delete_session(s.user_id, &s.key())?;
                }
                for k in tokens {
                    tx.delete_token(k)?;
                }
                for k in done_requests {
                    tx.forget_request(k)?;
                }
                tx.append_audit(ev).map(|_| ())
            })
            .await?;
        Ok(())
    }

    /// The one rule for expired access records, shared by the hourly expiry purge and the
    /// `sessions` retention rule: sessions whose end (idle or absolute limit) and one-time links
    /// whose expiry lie before `cutoff`, less those of people under a legal hold (counted).
    pub(crate) fn expired_access(
        &self,
        cutoff: i64,
        cov: &Coverage,
    ) -> Result<(Vec<Session>, Vec<SessionKey>, u64)> {
        let st = self.settings();
        let mut held = 0;
        let mut sessions = Vec::new();
        for s in self.store().all_sessions()? {
            if st.session_ends_at(&s) >= cutoff {
                continue;
            }
            if cov.user(s.user_id).is_some() {
                held += 1;
            } else {
                sessions.push(s);
            }
        }
        let mut tokens = Vec::new();
        for (k, tok) in self.store().all_tokens()? {
            if tok.expires_at_ms >= cutoff {
                continue;
            }
            if tok.user_id.is_some_and(|u| cov.user(u).is_some()) {
                held += 1;
            } else {
                tokens.push(k);
            }
        }
        Ok((sessions, tokens, held))
    }

    /// Redacts the body and IP of audit records older than the cutoff; the chain still verifies.
    pub(super) async fn redact_audit_bodies(&self, p: &Pass<'_>) -> Result<Tally> {
        let held = |r: &AuditRecord| {
            if p.cov.instance().is_some() {
                return true;
            }
            let names_held = |s: &str| p.cov.holds().iter().any(|h| s == h.scope.label());
            names_held(&r.actor) || r.target.as_deref().is_some_and(names_held)
        };
        let mut t = Tally::default();
        let mut from = 1;
        loop {
            let chunk = self
                .off_runtime(move |s| Ok(s.store().audit_from(from, BATCH)?))
                .await?;
            let Some(last) = chunk.last() else { break };
            from = last.seq + 1;
            let mut doomed = Vec::new();
            let mut done = false;
            for r in &chunk {
                if r.at_ms >= p.cutoff {
                    done = true;
                    break;
                }
                if r.body.is_none() && r.ip.is_none() {
                    continue;
                }
                if held(r) {
                    t.held += 1;
                } else {
                    doomed.push(r.seq);
                }
            }
            t.expired += doomed.len() as u64;
            if !p.dry_run && !doomed.is_empty() {
                let ev = self.purge_event(p, doomed.len());
                self.store()
                    .write(|tx| {
                        for seq in &doomed {
                            tx.redact_audit(*seq)?;
                        }
                        tx.append_audit(&ev).map(|_| ())
                    })
                    .await?;
            }
            if done {
                break;
            }
        }
        Ok(t)
    }
}
