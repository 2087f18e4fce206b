//! Reading and verifying the audit log.

mod access;
mod checkpoints;
mod label;
pub(in crate::service) use access::Read;
pub use access::{AccessView, SubjectView};
pub use checkpoints::{read_checkpoint_files, CheckpointMade};

use super::{Actor, Audit, Result};
use crate::audit::VerifyReport;
use crate::domain::audit::AuditFilter;
use crate::domain::audit::AuditRecord;
use crate::domain::Permission;
use crate::store::prelude::*;

/// A page of audit records, newest first, with the names of user actors resolved.
pub struct AuditPage {
    pub items: Vec<AuditItem>,
    pub next_cursor: Option<u64>,
}

/// One audit record with what people read in place of ids.
pub struct AuditItem {
    pub record: AuditRecord,
    /// The acting user's name, when the actor is a user whose account exists.
    pub actor_name: Option<String>,
    /// What the target is ("Time entry · Backups · 2026-12-01 09:00", "User · Ada Lovelace"),
    /// times in the reader's zone; None when the record has no target or its kind has no label.
    pub target_label: Option<String>,
}

impl Audit<'_> {
    /// Reading the first page is recorded as `audit.viewed` (after the read, so the page does
    /// not show its own record). Target labels give times in `tz`. Roles: admin, auditor.
    pub async fn page(
        &self,
        actor: &Actor,
        before: Option<u64>,
        limit: usize,
        filter: &AuditFilter,
        tz: chrono_tz::Tz,
    ) -> Result<AuditPage> {
        actor.require(Permission::ReadAudit)?;
        // A filtered page may walk the whole log to fill itself: off the worker threads.
        let f = filter.clone();
        let (recs, next) = self
            .off_runtime(move |s| Ok(s.store().audit_page(before, limit.clamp(1, 500), &f)?))
            .await?;
        if before.is_none() {
            let body = serde_json::json!({
                "actor": filter.actor,
                "action": filter.action,
                "from": filter.from_ms.map(super::rfc3339),
                "to": filter.to_ms.map(super::rfc3339),
            });
            self.record_view(actor, "audit.viewed", None, body).await?;
        }
        let items = recs
            .into_iter()
            .map(|r| AuditItem {
                actor_name: self.users().actor_name(&r.actor),
                target_label: r.target.as_deref().and_then(|t| self.target_label(t, tz)),
                record: r,
            })
            .collect();
        Ok(AuditPage {
            items,
            next_cursor: next,
        })
    }

    /// Recomputes the whole chain. Roles: admin, auditor.
    pub async fn verify(&self, actor: &Actor) -> Result<VerifyReport> {
        actor.require(Permission::ReadAudit)?;
        let store = self.store().clone();
        Ok(
            tokio::task::spawn_blocking(move || crate::audit::verify(&store))
                .await
                .map_err(anyhow::Error::new)??,
        )
    }
}
