//! The audit records of backups: one written (with what it holds and whether it verified), and
//! old ones removed by rotation.

use std::collections::BTreeMap;

use serde_json::json;

use super::{Actor, Result, Services};
use crate::domain::Permission;

impl Services {
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
