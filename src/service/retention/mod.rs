//! Retention: each category of data is kept as long as its rule says, then purged (or, for
//! audit bodies, redacted). A run reports per category what expired and what a legal hold kept;
//! a dry run only counts. Every batch removed is audited in its own transaction, and what a hold
//! kept is audited too, so the log says both what went and what stayed and why.

mod accounts;
mod files;
mod records;
mod rules;

use crate::service::Retention;
use crate::store::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{rfc3339, Actor, Result};
use crate::domain::hold::Coverage;
use crate::domain::retention::{Category, Keep};
use crate::domain::Permission;

/// Rows removed per transaction.
const BATCH: usize = 2_000;

/// One category's line in a report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryReport {
    pub category: String,
    /// The category's name for people ("Time entries").
    pub label: String,
    /// `config` (the `[retention]` key) or `admin` (set on the admin page or the CLI).
    pub source: String,
    /// The rule as configured (`forever`, `90d`, …).
    pub rule: String,
    pub description: String,
    /// Data older than this has expired (none for `forever`).
    pub cutoff_ms: Option<i64>,
    /// Removed (or, in a dry run, would be removed).
    pub expired: u64,
    /// Expired, but kept because a legal hold covers it.
    pub held: u64,
    /// Why nothing could be done, when that is the case.
    pub note: Option<String>,
}

/// What a run did (or a dry run would do).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RetentionReport {
    pub dry_run: bool,
    pub at_ms: i64,
    pub categories: Vec<CategoryReport>,
    /// The holds in force during the run: `id: scope (reason)`.
    pub holds: Vec<String>,
}

impl RetentionReport {
    pub fn total_expired(&self) -> u64 {
        self.categories.iter().map(|c| c.expired).sum()
    }
}

/// What one category's pass found.
#[derive(Default)]
pub(super) struct Tally {
    pub expired: u64,
    pub held: u64,
    pub note: Option<String>,
}

impl Retention<'_> {
    /// The rules and what the next run would remove. Roles: admin, auditor.
    pub async fn show(&self, actor: &Actor) -> Result<RetentionReport> {
        actor.require(Permission::ReadAudit)?;
        self.retention_pass(actor, true).await
    }

    /// Purges what expired; with `dry_run`, only counts. Roles: admin.
    pub async fn run(&self, actor: &Actor, dry_run: bool) -> Result<RetentionReport> {
        actor.require(Permission::ManageSystem)?;
        let report = self.retention_pass(actor, dry_run).await?;
        if !dry_run {
            tracing::info!(removed = report.total_expired(), "retention run finished");
        }
        Ok(report)
    }

    async fn retention_pass(&self, actor: &Actor, dry_run: bool) -> Result<RetentionReport> {
        let now = self.now();
        let cov = self.holds().coverage()?;
        let (rules, set_by_admin) = self.rules()?;
        let mut categories = Vec::new();
        for c in Category::ALL {
            let keep = rules.get(c);
            let cutoff = keep.cutoff(now);
            let tally = match cutoff {
                None => Tally::default(),
                Some(cut) => self.purge(actor, c, keep, cut, &cov, dry_run).await?,
            };
            categories.push(CategoryReport {
                category: c.key().to_owned(),
                label: c.label().to_owned(),
                source: if set_by_admin.contains(&c) {
                    "admin"
                } else {
                    "config"
                }
                .to_owned(),
                rule: keep.label(),
                description: c.describe().to_owned(),
                cutoff_ms: cutoff,
                expired: tally.expired,
                held: tally.held,
                note: tally.note,
            });
        }
        let holds = cov
            .holds()
            .iter()
            .map(|h| format!("{}: {} ({})", h.id, h.scope.label(), h.reason))
            .collect();
        Ok(RetentionReport {
            dry_run,
            at_ms: now,
            categories,
            holds,
        })
    }

    async fn purge(
        &self,
        actor: &Actor,
        c: Category,
        keep: Keep,
        cutoff: i64,
        cov: &Coverage,
        dry_run: bool,
    ) -> Result<Tally> {
        let ctx = Pass {
            actor,
            category: c,
            keep,
            cutoff,
            cov,
            dry_run,
        };
        let tally = match c {
            Category::TimeEntries => self.purge_entries(&ctx).await?,
            Category::Tasks => self.purge_tasks(&ctx).await?,
            Category::SecurityEvents => self.purge_security_events(&ctx).await?,
            Category::Sessions => self.purge_sessions(&ctx).await?,
            Category::AuditBodies => self.redact_audit_bodies(&ctx).await?,
            Category::PrivacyRequests => self.purge_privacy_requests(&ctx).await?,
            Category::DisabledAccounts => self.erase_disabled_accounts(&ctx).await?,
            Category::Exports => self.purge_files(&ctx, files::Kind::Exports).await?,
            Category::Logs => self.purge_files(&ctx, files::Kind::Logs).await?,
            Category::Backups => self.purge_files(&ctx, files::Kind::Backups).await?,
        };
        if tally.held > 0 && !dry_run {
            let ev = self.event(
                actor,
                "retention.held",
                None,
                json!({
                    "category": c.key(),
                    "kept_under_hold": tally.held,
                    "holds": cov.holds().iter().map(|h| h.id.to_string()).collect::<Vec<_>>(),
                }),
            );
            self.store()
                .write(|tx| tx.append_audit(&ev).map(|_| ()))
                .await?;
        }
        Ok(tally)
    }

    /// The audit record of one purged batch, written in the batch's transaction.
    pub(super) fn purge_event(
        &self,
        p: &Pass<'_>,
        removed: usize,
    ) -> crate::domain::audit::AuditEvent {
        self.event(
            p.actor,
            "retention.purged",
            None,
            json!({
                "category": p.category.key(),
                "removed": removed,
                "rule": p.keep.label(),
                "cutoff": rfc3339(p.cutoff),
            }),
        )
    }
}

/// One category's pass: who runs it, the rule, and the holds in force.
pub(super) struct Pass<'a> {
    pub actor: &'a Actor,
    pub category: Category,
    pub keep: Keep,
    pub cutoff: i64,
    pub cov: &'a Coverage,
    pub dry_run: bool,
}
