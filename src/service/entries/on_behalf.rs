//! Time recorded for someone else: a project's manager (or an admin) correcting a person's week
//! on the timesheet adds the time that is missing. The entry is the person's, on a project they
//! belong to, in their week (its lock checked in their time zone); the audit record names the
//! corrector as actor, like every other correction of someone's entries.

use serde_json::json;

use super::{Entries, EntryInput};
use crate::domain::codes;
use crate::domain::tracking::Entry;
use crate::domain::{Permission, Role, UserId};
use crate::service::projects::project_not_found;
use crate::service::{Actor, Result, ServiceError};
use crate::store::prelude::*;

impl Entries<'_> {
    /// Records a finished entry for `owner` (the caller's own when it is the caller). Roles:
    /// admin; a manager of the project, for one of its members; anyone for themselves.
    pub async fn create_for(
        &self,
        actor: &Actor,
        owner: UserId,
        input: EntryInput,
    ) -> Result<Entry> {
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        if owner == me {
            return self.create_confirmed(actor, input, true).await;
        }
        actor.require(Permission::ManageProjects)?;
        let (Some(project), Some(start), Some(end)) =
            (input.project_id, input.start_ms, input.end_ms)
        else {
            return Err(crate::domain::DomainError::field(
                "project_id",
                "required",
                "a project, a start and an end are required",
            )
            .into());
        };
        let p = self
            .store()
            .project(project)?
            .ok_or_else(project_not_found)?;
        if actor.role != Some(Role::Admin) && !p.is_managed_by(me) {
            return Err(ServiceError::Forbidden);
        }
        if !p.has_member(owner) {
            return Err(ServiceError::Denied(codes::PROJECT_NOT_MEMBER));
        }
        self.check_open(&p)?;
        if self.privacy().is_restricted(owner)? {
            return Err(ServiceError::Conflict(codes::PRIVACY_RESTRICTED));
        }
        let person = self.store().user(owner)?.ok_or(ServiceError::NotFound {
            kind: "user",
            code: codes::USER_NOT_FOUND,
        })?;
        let tz = person.user.time_zone.tz();
        let e = self.new_entry(owner, &p, start, Some(end), &input)?;
        let ev = self.event(
            actor,
            "entry.created",
            Some(format!("entry:{}", e.id)),
            json!({ "entry": e, "for": owner }),
        );
        let new = e.clone();
        self.commit_queued(ev, move |tx| {
            crate::service::weeks::enter(tx, &new, tz)?;
            tx.insert_entry(&new)
        })
        .await?;
        Ok(e)
    }
}
