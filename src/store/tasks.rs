//! Tasks (the board's cards): the `tasks` tree. Tasks number in the thousands, not millions,
//! so a project's tasks are a scan.

use super::stored::StoredTask;
use super::{codec, expect, get, keys, scan, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::tracking::Task;
use crate::domain::{ProjectId, TaskId};

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait TasksStore {
    fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError>;

    /// A project's tasks (a scan: tasks number in the thousands, not millions).
    fn tasks_of(&self, project: ProjectId) -> Result<Vec<Task>, StoreError>;

    /// Every task (a scan: for exports and erasure).
    fn all_tasks(&self) -> Result<Vec<Task>, StoreError>;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait TasksTx {
    /// Writes `t` over `before` (`None`: a new task); aborts with `Stale` if the stored task is
    /// no longer `before`.
    fn put_task(&self, before: Option<&Task>, t: &Task) -> Result<(), Abort>;

    /// Removes `before`; aborts with `Stale` if the stored task is no longer `before`.
    fn remove_task(&self, before: &Task) -> Result<(), Abort>;

    /// Reads a task inside the transaction.
    fn task(&self, id: TaskId) -> Result<Option<Task>, Abort>;
}

impl TasksStore for Store {
    fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError> {
        Ok(
            get::<StoredTask>(self.tree(TreeId::Tasks), TreeId::Tasks, &keys::task(id))?
                .map(Task::from),
        )
    }

    fn tasks_of(&self, project: ProjectId) -> Result<Vec<Task>, StoreError> {
        Ok(
            scan::<StoredTask, Task>(self.tree(TreeId::Tasks), TreeId::Tasks)?
                .into_iter()
                .filter(|t| t.project_id == project)
                .collect(),
        )
    }

    fn all_tasks(&self) -> Result<Vec<Task>, StoreError> {
        super::scan::<StoredTask, Task>(self.tree(TreeId::Tasks), TreeId::Tasks)
    }
}

impl TasksTx for Tx<'_> {
    fn put_task(&self, before: Option<&Task>, t: &Task) -> Result<(), Abort> {
        let key = keys::task(t.id);
        let before = before.map(StoredTask::from);
        expect(self.t(TreeId::Tasks), TreeId::Tasks, &key, before.as_ref())?;
        self.t(TreeId::Tasks)
            .insert(&key, codec::encode(&StoredTask::from(t)))?;
        Ok(())
    }

    fn remove_task(&self, before: &Task) -> Result<(), Abort> {
        let key = keys::task(before.id);
        let before = StoredTask::from(before);
        expect(self.t(TreeId::Tasks), TreeId::Tasks, &key, Some(&before))?;
        self.t(TreeId::Tasks).remove(&key)?;
        Ok(())
    }

    fn task(&self, id: TaskId) -> Result<Option<Task>, Abort> {
        Ok(
            tx_get::<StoredTask>(self.t(TreeId::Tasks), TreeId::Tasks, &keys::task(id))?
                .map(Task::from),
        )
    }
}
