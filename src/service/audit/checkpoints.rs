//! Signed audit checkpoints: making one (the `audit_checkpoint` job, or `ophiontt audit
//! checkpoint`) and checking saved ones against the chain (`audit verify --checkpoints DIR`).

use crate::store::prelude::*;
use std::path::PathBuf;

use serde_json::json;

use crate::audit::checkpoint::{self, Named};
use crate::audit::{key, Checkpoint, CheckpointKey, CheckpointReport};
use crate::domain::codes;
use crate::domain::Permission;
use crate::service::{Actor, Audit, Result, ServiceError};

/// Signed checkpoint files in a folder (`audit verify --checkpoints DIR` reads them before
/// sending them to the server).
pub use crate::audit::checkpoint::read_dir as read_checkpoint_files;

/// The audit action a checkpoint is recorded under.
pub const CHECKPOINT_ACTION: &str = "audit.checkpoint_signed";

/// A checkpoint just made, and where it went.
#[derive(Debug, Clone)]
pub struct CheckpointMade {
    pub checkpoint: Checkpoint,
    pub file: PathBuf,
    pub public_key_file: PathBuf,
}

fn failed(code: &'static str) -> impl Fn(String) -> ServiceError {
    move |message| ServiceError::Failed { code, message }
}

impl Audit<'_> {
    /// Signs the chain's head with the instance key (made on first use), writes the checkpoint
    /// into the checkpoint folder and records it in the log as `audit.checkpoint_signed` (and
    /// in the server log). `None` when the log is empty, or — with `only_if_new` — when nothing
    /// was recorded since the last checkpoint. Roles: admin (the scheduler and the CLI are).
    pub async fn make_checkpoint(
        &self,
        actor: &Actor,
        only_if_new: bool,
    ) -> Result<Option<CheckpointMade>> {
        actor.require(Permission::ManageSystem)?;
        let Some(head) = self.store().audit_head()? else {
            return Ok(None);
        };
        if only_if_new {
            let last = self.store().audit_record(head.seq)?;
            if last.is_some_and(|r| r.action == CHECKPOINT_ACTION) {
                return Ok(None);
            }
        }
        let key_path = self.settings().checkpoint_key.clone();
        let dir = self.settings().checkpoint_dir.clone();
        let now = self.now();
        let (c, file) = tokio::task::spawn_blocking(move || {
            let key = CheckpointKey::load_or_create(&key_path)?;
            let c = Checkpoint::sign(&key, head.seq, &head.hash, now);
            let file = checkpoint::write(&dir, &c)?;
            Ok::<_, String>((c, file))
        })
        .await
        .map_err(anyhow::Error::new)?
        .map_err(failed(codes::CHECKPOINT_FAILED))?;
        let shown = file.display().to_string();
        let ev = self.event(
            actor,
            CHECKPOINT_ACTION,
            None,
            json!({
                "seq": c.seq,
                "head": c.head,
                "file": shown,
                "public_key": c.public_key,
                "signature": c.signature,
            }),
        );
        self.commit(&ev, |_| Ok(())).await?;
        // The server log may be shipped elsewhere too (journald, syslog): one more copy.
        tracing::info!(seq = c.seq, head = %c.head, public_key = %c.public_key, signature = %c.signature, file = %shown, "audit checkpoint signed");
        Ok(Some(CheckpointMade {
            checkpoint: c,
            file,
            public_key_file: key::public_path(&self.settings().checkpoint_key),
        }))
    }

    /// Checks saved checkpoints against the chain, under `public_key` (hex) or else the
    /// instance's own key. Roles: admin, auditor.
    pub async fn verify_checkpoints(
        &self,
        actor: &Actor,
        items: Vec<Named>,
        public_key: Option<String>,
    ) -> Result<CheckpointReport> {
        actor.require(Permission::ReadAudit)?;
        let key = match public_key {
            Some(text) => key::parse_public(&text)
                .map_err(|e| failed(codes::CHECKPOINT_BAD_KEY)(format!("--key: {e}")))?,
            None => key::instance_public(&self.settings().checkpoint_key)
                .map_err(failed(codes::CHECKPOINT_NO_KEY))?,
        };
        let store = self.store().clone();
        Ok(
            tokio::task::spawn_blocking(move || checkpoint::check(&store, &items, &key))
                .await
                .map_err(anyhow::Error::new)??,
        )
    }
}
