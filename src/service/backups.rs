//! The audit records of backups: one written (with what it holds and whether it verified), and
//! old ones removed by rotation.

use std::collections::BTreeMap;

use serde_json::json;

use super::{Actor, Result, ServiceError, Services};
use crate::backup::{Created, Encrypt};
use crate::domain::{codes, Permission};

impl Services {
    /// Writes a backup of the whole store to `out`, optionally encrypted; the caller audits it
    /// with [`Self::audit_backup`] once it knows whether it verified. Roles: admin (the CLI
    /// through the admin socket and the scheduler are).
    pub async fn write_backup(
        &self,
        actor: &Actor,
        out: &std::path::Path,
        encrypt: &Encrypt,
    ) -> Result<Created> {
        actor.require(Permission::ManageSystem)?;
        crate::backup::create(self.store(), out, encrypt, self.now())
            .await
            .map_err(|e| ServiceError::Failed {
                code: codes::BACKUP_FAILED,
                message: e.to_string(),
            })
    }

    /// Audits a backup file written for `actor`. Roles: admin (the CLI and the scheduler are).
    pub async fn audit_backup(
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
    pub async fn audit_backup_prune(&self, files: &[String]) -> Result<()> {
        let ev = self.event(
            &Actor::system(),
            "backup.pruned",
            None,
            json!({ "files": files }),
        );
        self.commit(&ev, |_| Ok(())).await
    }
}
