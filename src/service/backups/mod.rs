//! Backups as use cases: writing one (from the admin socket or the scheduler), the scheduled
//! run (write, verify by a test restore, rotate), and their audit records. `crate::backup` is
//! the mechanism (format, encryption, restore, rotation) that only this module calls.

pub mod files;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Actor, Backups, Result, ServiceError};
use crate::backup::{file_name, prune, restore, Decrypt};
pub use crate::backup::{Created, Encrypt};
use crate::domain::{codes, Permission};
use crate::store::Store;

impl Backups<'_> {
    /// Writes a backup of the whole store to `out`, optionally encrypted; the caller audits it
    /// with [`Self::audit_made`] once it knows whether it verified. Roles: admin (the CLI
    /// through the admin socket and the scheduler are).
    pub async fn write(
        &self,
        actor: &Actor,
        out: &std::path::Path,
        encrypt: &Encrypt,
    ) -> Result<Created> {
        actor.require(Permission::ManageSystem)?;
        crate::backup::create(self.store(), out, encrypt, self.now())
            .await
            .map_err(|e| failed(e.to_string()))
    }

    /// Audits a backup file written for `actor`. Roles: admin (the CLI and the scheduler are).
    pub async fn audit_made(
        &self,
        actor: &Actor,
        file: &str,
        bytes: u64,
        counts: &BTreeMap<String, u64>,
        verified: Option<bool>,
    ) -> Result<()> {
        actor.require(Permission::ManageSystem)?;
        let ev = self.event(
            actor,
            "backup.created",
            None,
            json!({ "file": file, "bytes": bytes, "counts": counts, "verified": verified }),
        );
        self.commit(&ev, |_| Ok(())).await
    }

    /// Audits backups deleted by rotation.
    pub async fn audit_prune(&self, files: &[String]) -> Result<()> {
        let ev = self.event(
            &Actor::system(),
            "backup.pruned",
            None,
            json!({ "files": files }),
        );
        self.commit(&ev, |_| Ok(())).await
    }
}

/// Where scheduled backups go, how they are encrypted and how many are kept.
#[derive(Debug, Clone)]
pub struct BackupPolicy {
    pub dir: PathBuf,
    pub encrypt: Encrypt,
    pub keep_daily: u32,
    pub keep_weekly: u32,
    pub keep_monthly: u32,
}

/// What a scheduled backup did.
#[derive(Debug, Clone)]
pub struct BackupRun {
    pub made: Created,
    /// `None`: encrypted to a recipient, whose identity alone can open it, so not verified here.
    pub verified: Option<bool>,
    pub verify_ms: i64,
    pub pruned: Vec<String>,
}

impl Backups<'_> {
    /// The scheduled backup: write one into the policy's folder, verify it by restoring it into
    /// a temporary folder and comparing every tree's count, then rotate old ones — but only
    /// after a verified backup exists, so the only good backup is never deleted. Audited as
    /// `backup.created` (with `verified`) and `backup.pruned`. Roles: admin (the scheduler is).
    pub async fn scheduled(&self, actor: &Actor, policy: &BackupPolicy) -> Result<BackupRun> {
        let now = self.now();
        let encrypted = !matches!(policy.encrypt, Encrypt::None);
        let out = policy.dir.join(file_name(now, encrypted, false));
        let made = self.write(actor, &out, &policy.encrypt).await?;
        let shown = made.path.display().to_string();
        let started = std::time::Instant::now();
        let verified = match policy.encrypt.own_decrypt() {
            None => None,
            Some(d) => Some(verify_by_restore(&made.path, &d, &made.counts, now).await),
        };
        let verify_ms = started.elapsed().as_millis() as i64;
        let ok = matches!(verified, Some(Ok(())));
        self.audit_made(
            actor,
            &shown,
            made.bytes,
            &made.counts,
            verified.as_ref().map(|v| v.is_ok()),
        )
        .await?;
        if let Some(Err(e)) = &verified {
            return Err(failed(format!(
                "{shown} was written but does not verify: {e}"
            )));
        }
        let mut pruned = Vec::new();
        if ok || verified.is_none() {
            pruned = prune(
                &policy.dir,
                policy.keep_daily,
                policy.keep_weekly,
                policy.keep_monthly,
                &made.path,
            )
            .map_err(|e| failed(format!("rotating backups in {}: {e}", policy.dir.display())))?
            .into_iter()
            .map(|p| p.display().to_string())
            .collect();
            if !pruned.is_empty() {
                self.audit_prune(&pruned).await?;
            }
        }
        Ok(BackupRun {
            made,
            verified: verified.map(|v| v.is_ok()),
            verify_ms,
            pruned,
        })
    }
}

fn failed(message: String) -> ServiceError {
    ServiceError::Failed {
        code: codes::BACKUP_FAILED,
        message,
    }
}

/// Restores `file` into a temporary folder and compares every tree's count with `expected`.
async fn verify_by_restore(
    file: &Path,
    decrypt: &Decrypt,
    expected: &BTreeMap<String, u64>,
    now: i64,
) -> std::result::Result<(), String> {
    let scratch = std::env::temp_dir().join(format!("ophiontt-verify-{}", uuid::Uuid::now_v7()));
    let target = scratch.join("data");
    let result = async {
        restore(file, &target, decrypt, &Default::default(), now)
            .await
            .map_err(|e| e.to_string())?;
        // Opening the restored store and counting every record: off the worker threads.
        let opened = target.clone();
        let found: BTreeMap<String, u64> = tokio::task::spawn_blocking(move || {
            let store = Store::open(&opened, now).map_err(|e| e.to_string())?;
            Ok::<_, String>(
                store
                    .primary_counts()
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
            )
        })
        .await
        .map_err(|e| format!("the verification task failed: {e}"))??;
        if &found != expected {
            return Err(format!(
                "the restored store holds {found:?}, the backup says {expected:?}"
            ));
        }
        Ok(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&scratch);
    result
}
