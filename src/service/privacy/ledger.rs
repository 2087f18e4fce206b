//! The erasure ledger's copy beside the backups (JSON Lines, ids only), and re-applying the
//! ledger to a restored store so an older backup does not bring an erased person back.

use crate::service::Privacy;
use crate::store::prelude::*;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Actor, Result};
use crate::store::LedgerEntry;

/// What re-applying the ledger did.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Reapplied {
    /// Ledger entries known (from the store and the files read).
    pub known: usize,
    /// People found in the restored store and erased again.
    pub erased_again: usize,
}

/// Reads a ledger file; a missing file is an empty ledger, a bad line an error naming it.
pub fn read_ledger_file(path: &Path) -> std::result::Result<Vec<LedgerEntry>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(format!(
                "cannot read the erasure ledger {}: {e}",
                path.display()
            ))
        }
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| {
                format!(
                    "the erasure ledger {} line {} is damaged: {e}",
                    path.display(),
                    i + 1
                )
            })
        })
        .collect()
}

impl Privacy<'_> {
    /// Appends `e` to the ledger file beside the backups (and fsyncs it). A failure is logged
    /// and reported as `false`: the erasure itself is already durable in the store.
    pub(super) fn append_ledger_file(&self, e: &LedgerEntry) -> bool {
        let Some(path) = self.settings().ledger_file.clone() else {
            return false;
        };
        let r = (|| -> std::io::Result<()> {
            use std::os::unix::fs::OpenOptionsExt;
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o600)
                .open(&path)?;
            let mut line = serde_json::to_vec(e).map_err(std::io::Error::other)?;
            line.push(b'\n');
            f.write_all(&line)?;
            f.sync_all()
        })();
        match r {
            Ok(()) => true,
            Err(err) => {
                tracing::warn!(error = %err, file = %path.display(), "could not append to the erasure ledger file");
                false
            }
        }
    }

    /// Re-applies `extra` ledger entries (from files) and the store's own ledger to this
    /// store: whoever a ledger entry names and the store still holds is erased again, with
    /// the same pseudonym. Roles: admin (the restore runs as the CLI).
    pub async fn reapply_ledger(
        &self,
        actor: &Actor,
        extra: Vec<LedgerEntry>,
    ) -> Result<Reapplied> {
        actor.require(crate::domain::Permission::ManagePrivacy)?;
        let mut all = self.store().erasure_ledger()?;
        for e in extra {
            if !all.iter().any(|x| x.id == e.id) {
                all.push(e);
            }
        }
        all.sort_by_key(|e| e.at_ms);
        let mut out = Reapplied {
            known: all.len(),
            erased_again: 0,
        };
        let known: Vec<uuid::Uuid> = self
            .store()
            .erasure_ledger()?
            .into_iter()
            .map(|e| e.id)
            .collect();
        for e in &all {
            match self.store().user(e.user_id)? {
                Some(rec) => {
                    self.apply_erasure(actor, &rec, e, None).await?;
                    out.erased_again += 1;
                }
                None if !known.contains(&e.id) => {
                    let ev = self.event(
                        actor,
                        "privacy.ledger_reapplied",
                        Some(format!("user:{}", e.user_id)),
                        json!({ "erasure": e.id.to_string(), "found": false }),
                    );
                    self.commit(&ev, |tx| tx.put_ledger_entry(e)).await?;
                }
                None => {}
            }
        }
        Ok(out)
    }
}
