//! People by name: whose time the caller may read, for the person pickers of the entries list,
//! the reports and (later) the timesheet. Names only: what each may see of their time is the
//! entries' and reports' own rule.

use std::collections::BTreeSet;

use super::{Actor, Result, ServiceError, Users};
use crate::domain::{Permission, UserId};
use crate::store::prelude::*;

/// A person a picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: UserId,
    pub name: String,
    pub disabled: bool,
}

impl Users<'_> {
    /// The people whose time `actor` may read, by name: admins and auditors everyone; managers
    /// themselves and the members and managers of the projects they manage; members themselves.
    /// A person whose processing is restricted is offered only to themselves. Roles: admin,
    /// manager, member, auditor.
    pub fn people(&self, actor: &Actor) -> Result<Vec<Person>> {
        actor.require(Permission::ReadProjects)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let reads_all = actor
            .role
            .is_some_and(|r| r.allows(Permission::ReadAllTime));
        let team: BTreeSet<UserId> = if actor
            .role
            .is_some_and(|r| r.allows(Permission::ReadTeamTime))
        {
            self.team_of(me)?
        } else {
            BTreeSet::new()
        };
        let mut out = Vec::new();
        for u in self.store().all_users()? {
            let shown = u.id == me || reads_all || team.contains(&u.id);
            if !shown || (u.id != me && self.privacy().is_restricted(u.id)?) {
                continue;
            }
            out.push(Person {
                id: u.id,
                name: u.name.as_str().to_owned(),
                disabled: u.disabled,
            });
        }
        out.sort_by_key(|p| (p.name.to_lowercase(), p.id));
        Ok(out)
    }
}
