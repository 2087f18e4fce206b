//! Exports of time entries for the scheduled export job: everyone's entries in a period, with
//! the names a spreadsheet needs, and the audit record of a file written.

use crate::store::prelude::*;
use std::collections::HashMap;

use serde::Serialize;
use serde_json::json;

use super::{rfc3339, Actor, Exports, Result};
use crate::domain::time::duration_secs;

/// One exported entry: ids plus the readable names they stand for.
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow {
    pub entry_id: String,
    pub user_id: String,
    pub user_email: String,
    pub user_name: String,
    pub project: String,
    pub client: String,
    pub task: String,
    pub start: String,
    pub end: String,
    pub duration_seconds: i64,
    pub billable: bool,
    pub rate_cents: Option<i64>,
    pub currency: String,
    pub tags: String,
    pub note: String,
}

impl Exports<'_> {
    /// Every user's finished entries starting in `[from_ms, to_ms)`, by user then start. A walk
    /// over everyone's period: it runs off the worker threads.
    pub async fn rows(&self, from_ms: i64, to_ms: i64) -> Result<Vec<ExportRow>> {
        self.off_runtime(move |s| s.exports().collect_export_rows(from_ms, to_ms))
            .await
    }

    fn collect_export_rows(&self, from_ms: i64, to_ms: i64) -> Result<Vec<ExportRow>> {
        let store = self.store();
        let projects: HashMap<_, _> = store.projects()?.into_iter().map(|p| (p.id, p)).collect();
        let clients: HashMap<_, _> = store.clients()?.into_iter().map(|c| (c.id, c)).collect();
        let mut tasks = HashMap::new();
        let mut rows = Vec::new();
        // Restricted people, and those who objected to the scheduled export, are left out.
        let flags = store.all_privacy_flags()?;
        for user in store.all_users()? {
            if flags
                .get(&user.id)
                .is_some_and(|f| f.restricted.is_some() || f.objects_to("scheduled_export"))
            {
                continue;
            }
            // Pages come newest first; the user's rows go out oldest first.
            let mut entries = Vec::new();
            let mut before = None;
            loop {
                let (page, next) =
                    store.user_entries(user.id, from_ms, to_ms, before, 1000, |e| {
                        e.end_ms.is_some()
                    })?;
                entries.extend(page);
                match next {
                    Some(n) => before = Some(n),
                    None => break,
                }
            }
            {
                for e in entries.into_iter().rev() {
                    let p = projects.get(&e.project_id);
                    let task = match e.task_id {
                        Some(t) => tasks
                            .entry(t)
                            .or_insert_with(|| store.task(t).ok().flatten().map(|t| t.title))
                            .clone()
                            .unwrap_or_default(),
                        None => String::new(),
                    };
                    let end = e.end_ms.unwrap_or(e.start_ms);
                    rows.push(ExportRow {
                        entry_id: e.id.to_string(),
                        user_id: user.id.to_string(),
                        user_email: user.email.as_str().to_owned(),
                        user_name: user.name.as_str().to_owned(),
                        project: p.map(|p| p.name.clone()).unwrap_or_default(),
                        client: p
                            .and_then(|p| p.client_id)
                            .and_then(|c| clients.get(&c))
                            .map(|c| c.name.clone())
                            .unwrap_or_default(),
                        task,
                        start: rfc3339(e.start_ms),
                        end: rfc3339(end),
                        duration_seconds: duration_secs(e.start_ms, end),
                        billable: e.billable,
                        rate_cents: p.map_or(e.rate_cents, |p| {
                            crate::domain::billing::rate_of(&e, p.rate_cents, &p.rates)
                        }),
                        currency: p.map_or(e.currency.clone(), |p| p.currency.clone()),
                        tags: e.tags.join(" "),
                        note: e.note,
                    });
                }
            }
        }
        Ok(rows)
    }

    /// Audits a written export file (system job or admin), naming whose entries it holds: it
    /// is a read of their data (`ophiontt audit accessed`).
    pub async fn audit_written(&self, actor: &Actor, file: &str, rows: &[ExportRow]) -> Result<()> {
        let mut subjects: Vec<&str> = rows.iter().map(|r| r.user_id.as_str()).collect();
        subjects.sort_unstable();
        subjects.dedup();
        let ev = self.event(
            actor,
            "export.written",
            None,
            json!({ "file": file, "entries": rows.len(), "subjects": subjects }),
        );
        self.commit(&ev, |_| Ok(())).await
    }
}
