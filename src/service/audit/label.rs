//! Readable labels for audit targets ("Time entry · Backups · 2026-12-01 09:00", "User · Ada
//! Lovelace") so the log says what a record is about, not only its id (#14). Labels are read
//! from what exists now: a deleted thing is named by its kind only, and an erased person's
//! account is gone, so their records never get their name back (their entries belong to a
//! pseudonym, which is what a label shows).

use chrono::TimeZone as _;
use chrono_tz::Tz;

use crate::domain::{ClientId, EntryId, ProjectId, TaskId, UserId};
use crate::service::Audit;
use crate::store::prelude::*;

impl Audit<'_> {
    /// The label of an audit `target` (`kind:id`), times in `tz`; None for a target kind
    /// without one (the raw target says it best).
    pub(super) fn target_label(&self, target: &str, tz: Tz) -> Option<String> {
        let (kind, id) = target.split_once(':')?;
        let store = self.store();
        let (what, name) = match kind {
            "user" => (
                "User",
                id.parse::<UserId>()
                    .ok()
                    .and_then(|u| store.user(u).ok().flatten())
                    .map(|r| r.user.name.as_str().to_owned()),
            ),
            "entry" => (
                "Time entry",
                id.parse::<EntryId>()
                    .ok()
                    .and_then(|e| store.entry(e).ok().flatten())
                    .map(|e| {
                        let project = store
                            .project(e.project_id)
                            .ok()
                            .flatten()
                            .map(|p| p.name)
                            .unwrap_or_else(|| "deleted project".to_owned());
                        let start = tz
                            .timestamp_millis_opt(e.start_ms)
                            .single()
                            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                            .unwrap_or_default();
                        format!("{project} · {start}")
                    }),
            ),
            "project" => (
                "Project",
                id.parse::<ProjectId>()
                    .ok()
                    .and_then(|p| store.project(p).ok().flatten())
                    .map(|p| p.name),
            ),
            "client" => (
                "Client",
                id.parse::<ClientId>()
                    .ok()
                    .and_then(|c| store.client(c).ok().flatten())
                    .map(|c| c.name),
            ),
            "task" => (
                "Task",
                id.parse::<TaskId>()
                    .ok()
                    .and_then(|t| store.task(t).ok().flatten())
                    .map(|t| t.title),
            ),
            "tag" => ("Tag", Some(id.to_owned())),
            "job" => ("Job", Some(id.replace('_', " "))),
            "hold" => return Some("Legal hold".to_owned()),
            "privacy_request" => return Some("Privacy request".to_owned()),
            _ => return None,
        };
        Some(match name {
            Some(n) => format!("{what} · {n}"),
            // Deleted, or (for a user) erased: the kind only, never a name from elsewhere.
            None if kind == "user" => format!("{what} · account gone"),
            None => format!("{what} · deleted"),
        })
    }
}
