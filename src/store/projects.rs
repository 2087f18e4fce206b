//! Projects: the `projects` tree (hundreds to a few thousand records, so listing scans it) and
//! the projects stamp in `meta`, which every project write raises so that a decision made from
//! the list of projects can check, inside its transaction, that the list is still the same.

use super::stored::StoredProject;
use super::{
    codec, expect, get, keys, scan, trees::meta, tx_get, Abort, Store, StoreError, TreeId, Tx,
};
use crate::domain::tracking::Project;
use crate::domain::ProjectId;

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait ProjectsStore {
    fn project(&self, id: ProjectId) -> Result<Option<Project>, StoreError>;

    fn projects(&self) -> Result<Vec<Project>, StoreError>;

    /// The projects stamp: a number every project write raises. Read it before reading
    /// [`Self::projects`] to decide something from them, and check it with
    /// [`ProjectsTx::expect_projects_stamp`] in the transaction that acts on the decision.
    fn projects_stamp(&self) -> Result<u64, StoreError>;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait ProjectsTx {
    /// Writes `p` over `before` (`None`: a new project); aborts with `Stale` if the stored
    /// project is no longer `before`.
    fn put_project(&self, before: Option<&Project>, p: &Project) -> Result<(), Abort>;

    /// Reads a project inside the transaction (to re-check it is open for new entries).
    fn project(&self, id: ProjectId) -> Result<Option<Project>, Abort>;

    /// Aborts with `Stale` if any project was written since `stamp` was read
    /// ([`ProjectsStore::projects_stamp`]): the list of projects a decision was made from is
    /// no longer the list there is.
    fn expect_projects_stamp(&self, stamp: u64) -> Result<(), Abort>;
}

impl ProjectsStore for Store {
    fn project(&self, id: ProjectId) -> Result<Option<Project>, StoreError> {
        Ok(get::<StoredProject>(
            self.tree(TreeId::Projects),
            TreeId::Projects,
            &keys::project(id),
        )?
        .map(Project::from))
    }

    fn projects(&self) -> Result<Vec<Project>, StoreError> {
        scan::<StoredProject, _>(self.tree(TreeId::Projects), TreeId::Projects)
    }

    fn projects_stamp(&self) -> Result<u64, StoreError> {
        Ok(super::get(self.tree(TreeId::Meta), TreeId::Meta, meta::PROJECTS_STAMP)?.unwrap_or(0))
    }
}

impl ProjectsTx for Tx<'_> {
    fn put_project(&self, before: Option<&Project>, p: &Project) -> Result<(), Abort> {
        let key = keys::project(p.id);
        let before = before.map(StoredProject::from);
        expect(
            self.t(TreeId::Projects),
            TreeId::Projects,
            &key,
            before.as_ref(),
        )?;
        self.t(TreeId::Projects)
            .insert(&key, codec::encode(&StoredProject::from(p)))?;
        let stamp: u64 =
            tx_get(self.t(TreeId::Meta), TreeId::Meta, meta::PROJECTS_STAMP)?.unwrap_or(0);
        self.t(TreeId::Meta)
            .insert(meta::PROJECTS_STAMP, codec::encode(&(stamp + 1)))?;
        Ok(())
    }

    fn project(&self, id: ProjectId) -> Result<Option<Project>, Abort> {
        Ok(tx_get::<StoredProject>(
            self.t(TreeId::Projects),
            TreeId::Projects,
            &keys::project(id),
        )?
        .map(Project::from))
    }

    fn expect_projects_stamp(&self, stamp: u64) -> Result<(), Abort> {
        let now: u64 =
            tx_get(self.t(TreeId::Meta), TreeId::Meta, meta::PROJECTS_STAMP)?.unwrap_or(0);
        if now == stamp {
            Ok(())
        } else {
            Err(StoreError::Stale(TreeId::Projects.name()).into())
        }
    }
}
