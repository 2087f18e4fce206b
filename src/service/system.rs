//! How the store is doing and what it holds: for the system page, the admin socket's status,
//! `/readyz` and `/metrics`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Actor, Result, Services, System};
use crate::domain::Permission;
use crate::store::HealthReport;

/// The store's size and contents.
#[derive(Debug, Clone)]
pub struct StoreStatus {
    pub data_dir: PathBuf,
    pub size_bytes: u64,
    /// Records per primary tree.
    pub counts: BTreeMap<&'static str, u64>,
    pub schema: u32,
}

impl System<'_> {
    /// Size, record counts and schema of the store. Roles: admin.
    pub async fn status(&self, actor: &Actor) -> Result<StoreStatus> {
        actor.require(Permission::ManageSystem)?;
        Ok(self.figures().await)
    }

    /// [`Self::status`] for the server's own reports (`/metrics`, guarded by its own
    /// token or loopback rule): counts, no personal data. Counting walks every record (a
    /// million entries take a good fraction of a second), so it runs off the worker threads.
    pub async fn figures(&self) -> StoreStatus {
        let figures = |s: &Services| {
            let s = s.store();
            StoreStatus {
                data_dir: s.data_dir().to_owned(),
                size_bytes: s.size_on_disk(),
                counts: s.primary_counts(),
                schema: crate::store::LATEST_SCHEMA,
            }
        };
        // Fails only if the runtime is shutting down: then count here.
        self.off_runtime(move |s| Ok(figures(s)))
            .await
            .unwrap_or_else(|_| figures(self))
    }

    /// Whether the store takes writes, and why not (for `/readyz` and `/metrics`).
    pub fn health(&self) -> HealthReport {
        self.store().health()
    }
}
