//! Writing a planned import: the records it names first (one transaction, checked against the
//! projects the plan read), then the entries a batch per transaction, each checked inside its
//! transaction against the rows imported since the plan (a concurrent import of the same file)
//! and against weeks locked since.

use serde_json::json;

use super::plan::Plan;
use super::{ImportReport, BATCH};
use crate::domain::audit::AuditEvent;
use crate::service::{Actor, Imports, Result};
use crate::store::prelude::*;
use crate::store::{ImportedRecord, UserRecord};

/// Writes `plan`; returns how many entries it created (rows imported meanwhile by someone else
/// are skipped, not counted).
pub(super) async fn apply(
    svc: &Imports<'_>,
    actor: &Actor,
    report: &ImportReport,
    plan: Plan,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<usize> {
    let import = report.import_id.clone();
    let import_id: uuid::Uuid = import.parse().unwrap_or_else(|_| uuid::Uuid::now_v7());
    let tag = |mut body: serde_json::Value| {
        body["import"] = json!(import);
        body
    };
    let mut setup: Vec<AuditEvent> = Vec::new();
    for u in &plan.new_users {
        setup.push(svc.event(
            actor,
            "user.created",
            Some(format!("user:{}", u.id)),
            tag(json!({ "email": u.email, "name": u.name, "role": u.role, "time_zone": u.time_zone, "disabled": true })),
        ));
    }
    for c in &plan.new_clients {
        setup.push(svc.event(
            actor,
            "client.created",
            Some(format!("client:{}", c.id)),
            tag(json!({ "name": c.name })),
        ));
    }
    for p in &plan.new_projects {
        setup.push(svc.event(
            actor,
            "project.created",
            Some(format!("project:{}", p.id)),
            tag(json!({ "project": p })),
        ));
    }
    for (_, p) in &plan.joined {
        setup.push(svc.event(
            actor,
            "project.updated",
            Some(format!("project:{}", p.id)),
            tag(json!({ "members": p.members })),
        ));
    }
    for t in &plan.new_tasks {
        setup.push(svc.event(
            actor,
            "task.created",
            Some(format!("task:{}", t.id)),
            tag(json!({ "task": t })),
        ));
    }
    if !setup.is_empty() {
        svc.store()
            .write(|tx| {
                // A project created, renamed or joined since the plan read them: the plan is
                // stale (`write.contended`); running the import again plans afresh.
                tx.expect_projects_stamp(plan.projects_stamp)?;
                for u in &plan.new_users {
                    tx.insert_user(&UserRecord {
                        user: u.clone(),
                        password_hash: None,
                        mail_prefs: Default::default(),
                    })?;
                }
                for c in &plan.new_clients {
                    tx.put_client(None, c)?;
                }
                for p in &plan.new_projects {
                    tx.put_project(None, p)?;
                }
                for (before, after) in &plan.joined {
                    tx.put_project(Some(before), after)?;
                }
                for t in &plan.new_tasks {
                    tx.put_task(None, t)?;
                }
                for ev in &setup {
                    tx.append_audit(ev)?;
                }
                Ok(())
            })
            .await?;
    }
    let total = plan.entries.len() as u64;
    let mut created = 0usize;
    let at_ms = svc.now_ms();
    for batch in plan.entries.chunks(BATCH) {
        let events: Vec<AuditEvent> = (batch.iter())
            .map(|e| {
                svc.event(
                    actor,
                    "entry.created",
                    Some(format!("entry:{}", e.entry.id)),
                    tag(json!({ "entry": e.entry })),
                )
            })
            .collect();
        let n = svc
            .store()
            .write(|tx| {
                let mut n = 0;
                for (e, ev) in batch.iter().zip(&events) {
                    if tx.imported(&e.key)?.is_some() {
                        continue;
                    }
                    crate::service::weeks::enter(tx, &e.entry, e.tz)?;
                    tx.insert_entry(&e.entry)?;
                    let rec = ImportedRecord {
                        entry_id: uuid::Uuid::from_bytes(*e.entry.id.as_bytes()),
                        import_id,
                        at_ms,
                    };
                    tx.put_imported(&e.key, &rec)?;
                    tx.append_audit(ev)?;
                    n += 1;
                }
                Ok(n)
            })
            .await?;
        created += n;
        progress(created as u64, total);
    }
    let done = svc.event(
        actor,
        "import.completed",
        Some(format!("import:{import}")),
        json!({
            "source": report.source,
            "file_sha256": report.file_sha256,
            "rows": report.rows,
            "entries": created,
            "already_imported": report.already_imported + (plan.entries.len() - created),
            "users": plan.new_users.len(),
            "clients": plan.new_clients.len(),
            "projects": plan.new_projects.len(),
            "tasks": plan.new_tasks.len(),
        }),
    );
    svc.commit(&done, |_| Ok(())).await?;
    tracing::info!(import = %import, entries = created, "import completed");
    Ok(created)
}
