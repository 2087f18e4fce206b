//! Gathers everything the instance holds about one person, by category: what the export ZIP
//! holds, and what a scan's hits are named after.

use crate::service::Privacy;
use crate::store::prelude::*;
use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::Result;
use crate::domain::codes;
use crate::domain::privacy::PrivacyFlags;
use crate::domain::tracking::Entry;
use crate::domain::UserId;
use crate::store::TokenKind;

/// The category a tree's records belong to, as the export names its files.
pub fn category_of_tree(tree: &str) -> &'static str {
    match tree {
        "users" | "users_by_email" => "account",
        "sessions" | "sessions_by_user" => "sessions",
        "tokens" => "one_time_links",
        "done_requests" => "done_requests",
        "audit" => "audit",
        "projects" => "projects",
        "clients" => "clients",
        "entries"
        | "entries_by_user_start"
        | "running"
        | "entries_by_tag"
        | "entries_by_project" => "entries",
        "tasks" => "tasks",
        "tags" => "tags",
        "privacy_requests" => "privacy_requests",
        "privacy_flags" => "privacy_flags",
        "erasure_ledger" => "erasure_ledger",
        "security_events" | "security_events_by_user" => "security_events",
        "job_runs" => "jobs",
        "weeks" => "weeks",
        "incidents" => "incidents",
        _ => "other",
    }
}

/// One person's data: JSON per category, and their entries for the CSV.
pub struct PersonalData {
    pub categories: BTreeMap<&'static str, Value>,
    pub entries: Vec<Entry>,
}

impl Privacy<'_> {
    /// Everything held about `user` (the caller has checked permission).
    pub(super) fn collect_personal_data(&self, user: UserId) -> Result<PersonalData> {
        let store = self.store();
        let mut c: BTreeMap<&'static str, Value> = BTreeMap::new();
        let rec = store.user(user)?.ok_or(super::ServiceError::NotFound {
            kind: "user",
            code: codes::USER_NOT_FOUND,
        })?;
        c.insert(
            "account",
            json!({ "user": rec.user, "has_password": rec.password_hash.is_some() }),
        );

        let mut entries = Vec::new();
        let mut before = None;
        loop {
            let (page, next) =
                store.user_entries(user, i64::MIN, i64::MAX, before, 1000, |_| true)?;
            entries.extend(page);
            match next {
                Some(n) => before = Some(n),
                None => break,
            }
        }
        entries.reverse();
        let projects = store.projects()?;
        let project_name = |id| {
            projects
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        };
        c.insert(
            "entries",
            Value::Array(
                entries
                    .iter()
                    .map(|e| json!({ "entry": e, "project": project_name(e.project_id) }))
                    .collect(),
            ),
        );
        let mut tags: BTreeMap<String, u64> = BTreeMap::new();
        for e in &entries {
            for t in &e.tags {
                *tags.entry(t.clone()).or_default() += 1;
            }
        }
        c.insert(
            "tags",
            Value::Array(
                tags.into_iter()
                    .map(|(t, n)| json!({ "tag": t, "entries": n }))
                    .collect(),
            ),
        );
        c.insert(
            "projects",
            Value::Array(
                projects
                    .iter()
                    .filter(|p| p.has_member(user))
                    .map(|p| json!({ "project_id": p.id, "name": p.name, "manager": p.is_managed_by(user) }))
                    .collect(),
            ),
        );

        let mut tasks = Vec::new();
        let mut comments = Vec::new();
        for t in store.all_tasks()? {
            let mine: Vec<_> = t.comments.iter().filter(|cm| cm.author == user).collect();
            for cm in &mine {
                comments.push(
                    json!({ "task_id": t.id, "task": t.title, "at_ms": cm.at_ms, "text": cm.text }),
                );
            }
            if t.assignee == Some(user) || !mine.is_empty() {
                tasks.push(json!({ "task_id": t.id, "title": t.title, "project": project_name(t.project_id),
                    "status": t.status, "assigned_to_you": t.assignee == Some(user) }));
            }
        }
        c.insert("tasks", Value::Array(tasks));
        c.insert("comments", Value::Array(comments));

        let sessions: Vec<Value> = store
            .all_sessions()?
            .into_iter()
            .filter(|s| s.user_id == user)
            .map(|s| {
                json!({ "created_at_ms": s.created_at_ms, "last_seen_at_ms": s.last_seen_at_ms,
                             "ip": s.ip, "user_agent": s.user_agent })
            })
            .collect();
        c.insert("sessions", Value::Array(sessions));
        let links: Vec<Value> = store
            .all_tokens()?
            .into_iter()
            .filter(|(_, t)| t.user_id == Some(user))
            .map(|(_, t)| json!({ "kind": match t.kind { TokenKind::Setup => "setup", TokenKind::Reset => "password_reset", TokenKind::SignIn => "sign_in_link" },
                                  "created_at_ms": t.created_at_ms, "expires_at_ms": t.expires_at_ms }))
            .collect();
        c.insert("one_time_links", Value::Array(links));
        let done: Vec<Value> = (store.done_requests_of(user)?.into_iter())
            .map(|(_, d)| json!({ "at_ms": d.at_ms, "made": d.outcome }))
            .collect();
        c.insert("done_requests", Value::Array(done));

        let events: Vec<Value> = store
            .security_events_of(user)?
            .into_iter()
            .map(|e| json!(e))
            .collect();
        c.insert("security_events", Value::Array(events));

        let who = format!("user:{user}");
        let id = user.to_string();
        let mut audit = Vec::new();
        for (seq, r) in store.audit_walk() {
            let r = r.map_err(|e| super::ServiceError::Internal(e.into()))?;
            let about = r.target.as_deref() == Some(who.as_str())
                || r.body.as_ref().is_some_and(|b| b.to_string().contains(&id));
            if r.actor == who || about {
                audit.push(
                    json!({ "seq": seq, "at_ms": r.at_ms, "actor": r.actor, "action": r.action,
                                   "target": r.target, "ip": r.ip, "details": r.body }),
                );
            }
        }
        c.insert("audit", Value::Array(audit));

        let requests: Vec<Value> = store
            .privacy_requests()?
            .into_iter()
            .filter(|r| r.user_id == Some(user))
            .map(|r| json!(r))
            .collect();
        c.insert("privacy_requests", Value::Array(requests));
        let weeks: Vec<Value> =
            (store.weeks_of(user, chrono::NaiveDate::MIN, chrono::NaiveDate::MAX)?)
                .into_iter()
                .map(|w| {
                    let steps: Vec<Value> = (w.steps.iter())
                        .map(|s| {
                            json!({ "step": s.kind.as_str(), "by": s.by, "at_ms": s.at_ms,
                                     "comment": s.comment, "total_secs": s.total_secs })
                        })
                        .collect();
                    json!({ "week": w.monday, "state": w.state.as_str(), "history": steps })
                })
                .collect();
        c.insert("weeks", Value::Array(weeks));
        let flags: PrivacyFlags = store.privacy_flags(user)?;
        c.insert("privacy_flags", json!(flags));
        Ok(PersonalData {
            categories: c,
            entries,
        })
    }
}
