//! What the caller may do with a record: the `can` object of entries, projects, tasks, clients
//! and tags. The service answers it by the same checks its writes make; the web UI shows or
//! hides its controls by it and never re-derives a role rule.

use poem_openapi::Object;

use crate::service::{
    ClientPermissions, EntryPermissions, ProjectPermissions, TagPermissions, TaskPermissions,
};

/// What the caller may do with this entry.
#[derive(Debug, Clone, Object, serde::Serialize)]
pub struct EntryCanDto {
    /// `PATCH /entries/{id}` (and bulk changes) would be allowed.
    pub edit: bool,
    /// `DELETE /entries/{id}` would be allowed.
    pub delete: bool,
}

impl From<EntryPermissions> for EntryCanDto {
    fn from(p: EntryPermissions) -> Self {
        Self {
            edit: p.edit,
            delete: p.delete,
        }
    }
}

/// What the caller may do with this project.
#[derive(Debug, Clone, Object)]
pub struct ProjectCanDto {
    /// Change its name, client, colour, rate and billable default.
    pub edit: bool,
    /// Archive or unarchive it.
    pub archive: bool,
    /// Change its members and managers.
    pub manage_members: bool,
    /// Create, change, move and comment on its tasks.
    pub manage_tasks: bool,
    /// Record new time on it now (a member of it, and it and its client are not archived).
    pub track: bool,
}

impl From<ProjectPermissions> for ProjectCanDto {
    fn from(p: ProjectPermissions) -> Self {
        Self {
            edit: p.edit,
            archive: p.archive,
            manage_members: p.manage_members,
            manage_tasks: p.manage_tasks,
            track: p.track,
        }
    }
}

/// What the caller may do with this task.
#[derive(Debug, Clone, Object)]
pub struct TaskCanDto {
    /// Change it, move it between board columns, archive it.
    pub edit: bool,
    /// Add a comment.
    pub comment: bool,
}

impl From<TaskPermissions> for TaskCanDto {
    fn from(p: TaskPermissions) -> Self {
        Self {
            edit: p.edit,
            comment: p.comment,
        }
    }
}

/// What the caller may do with this client.
#[derive(Debug, Clone, Object)]
pub struct ClientCanDto {
    /// Change its name and notes.
    pub edit: bool,
    /// Archive or unarchive it.
    pub archive: bool,
}

impl From<ClientPermissions> for ClientCanDto {
    fn from(p: ClientPermissions) -> Self {
        Self {
            edit: p.edit,
            archive: p.archive,
        }
    }
}

/// What the caller may do with this tag.
#[derive(Debug, Clone, Object)]
pub struct TagCanDto {
    /// `POST /tags/rename` with this tag as `from` would be allowed.
    pub rename: bool,
}

impl From<TagPermissions> for TagCanDto {
    fn from(p: TagPermissions) -> Self {
        Self { rename: p.rename }
    }
}
