//! Whom a manager manages: the projects they manage and the people on those projects. One
//! definition for every area that scopes a manager's reading or correcting of others' time
//! (reports, the dashboard, tags, entries, people, weeks); what a role may do with them stays in
//! each area.

use std::collections::BTreeSet;

use super::{Result, Services};
use crate::domain::tracking::Project;
use crate::domain::UserId;
use crate::store::prelude::*;

impl Services {
    /// The projects `me` manages, archived ones too.
    pub(in crate::service) fn managed_projects(&self, me: UserId) -> Result<Vec<Project>> {
        Ok((self.store().projects()?.into_iter())
            .filter(|p| p.is_managed_by(me))
            .collect())
    }

    /// The people on the projects `me` manages (their members and managers, `me` among them).
    pub(in crate::service) fn team_of(&self, me: UserId) -> Result<BTreeSet<UserId>> {
        Ok((self.managed_projects(me)?.into_iter())
            .flat_map(|p| p.members.into_iter().chain(p.managers))
            .collect())
    }
}
