//! Roles and what each may do. The one place that answers "may this role do that?".

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A user's role. See docs/api.md for what each role may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Manager,
    Member,
    Client,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Manager,
        Role::Member,
        Role::Client,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Member => "member",
            Role::Client => "client",
            Role::Auditor => "auditor",
        }
    }

    /// Whether this role holds `perm`.
    pub fn allows(self, perm: Permission) -> bool {
        use Permission::*;
        match perm {
            ManageOwnAccount => true,
            ManageUsers | ManageSystem => self == Role::Admin,
            ReadAudit | ReadAllTime | ReadAllProjects => {
                matches!(self, Role::Admin | Role::Auditor)
            }
            ReadTeamTime => matches!(self, Role::Admin | Role::Manager | Role::Auditor),
            ReadProjects => self != Role::Client,
            ReadPortal => self == Role::Client,
            ManageProjects => matches!(self, Role::Admin | Role::Manager),
            TrackTime => matches!(self, Role::Admin | Role::Manager | Role::Member),
            ReadPrivacy => matches!(self, Role::Admin | Role::Auditor),
            ManagePrivacy => self == Role::Admin,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown role `{s}`: expected one of admin, manager, member, client, auditor"
                )
            })
    }
}

/// Something an actor may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read and change one's own profile and password.
    ManageOwnAccount,
    /// Create users, change roles, disable, issue reset links.
    ManageUsers,
    /// Read the audit log and verify its chain.
    ReadAudit,
    /// See clients and the projects one belongs to.
    ReadProjects,
    /// Read the client portal: one's own client's projects, tasks, budgets and hours.
    ReadPortal,
    /// Create clients and projects; edit the projects one manages.
    ManageProjects,
    /// Record one's own time.
    TrackTime,
    /// Read everyone's time entries.
    ReadAllTime,
    /// Read other people's time entries: everyone's, or (a manager) those on the projects one
    /// manages.
    ReadTeamTime,
    /// See every project, not only those one is a member or manager of.
    ReadAllProjects,
    /// See and run scheduled jobs, backups and the system status.
    ManageSystem,
    /// Read the privacy-request register.
    ReadPrivacy,
    /// Record privacy requests and act on them (export, correct, erase, restrict).
    ManagePrivacy,
}

impl Permission {
    /// Every permission, in the order `/api/v1/me` lists a caller's capabilities.
    pub const ALL: [Permission; 13] = [
        Permission::ManageOwnAccount,
        Permission::TrackTime,
        Permission::ReadProjects,
        Permission::ReadPortal,
        Permission::ReadAllProjects,
        Permission::ManageProjects,
        Permission::ReadTeamTime,
        Permission::ReadAllTime,
        Permission::ManageUsers,
        Permission::ReadAudit,
        Permission::ReadPrivacy,
        Permission::ManagePrivacy,
        Permission::ManageSystem,
    ];

    /// The capability's name in the API (`capabilities` of `/api/v1/me`).
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ManageOwnAccount => "manage_own_account",
            Permission::ManageUsers => "manage_users",
            Permission::ReadAudit => "read_audit",
            Permission::ReadProjects => "read_projects",
            Permission::ReadPortal => "read_portal",
            Permission::ReadAllProjects => "read_all_projects",
            Permission::ManageProjects => "manage_projects",
            Permission::TrackTime => "track_time",
            Permission::ReadAllTime => "read_all_time",
            Permission::ReadTeamTime => "read_team_time",
            Permission::ManageSystem => "manage_system",
            Permission::ReadPrivacy => "read_privacy",
            Permission::ManagePrivacy => "manage_privacy",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_users_and_auditors_read_the_log() {
        for r in Role::ALL {
            assert_eq!(r.allows(Permission::ManageUsers), r == Role::Admin);
            assert_eq!(
                r.allows(Permission::ReadAudit),
                matches!(r, Role::Admin | Role::Auditor)
            );
            assert!(r.allows(Permission::ManageOwnAccount));
        }
    }

    #[test]
    fn every_permission_is_listed_once_with_its_own_name() {
        let names: std::collections::BTreeSet<&str> =
            Permission::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(names.len(), Permission::ALL.len());
        // Managers read their team's time but not everyone's; auditors everyone's.
        assert!(Role::Manager.allows(Permission::ReadTeamTime));
        assert!(!Role::Manager.allows(Permission::ReadAllTime));
        assert!(!Role::Member.allows(Permission::ReadTeamTime));
        assert!(Role::Auditor.allows(Permission::ReadAllProjects));
    }

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("root".parse::<Role>().is_err());
    }
}
