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
            ReadAudit | ReadAllTime => matches!(self, Role::Admin | Role::Auditor),
            ReadProjects => self != Role::Client,
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
    /// Create clients and projects; edit the projects one manages.
    ManageProjects,
    /// Record one's own time.
    TrackTime,
    /// Read everyone's time entries.
    ReadAllTime,
    /// See and run scheduled jobs, backups and the system status.
    ManageSystem,
    /// Read the privacy-request register.
    ReadPrivacy,
    /// Record privacy requests and act on them (export, correct, erase, restrict).
    ManagePrivacy,
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
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("root".parse::<Role>().is_err());
    }
}
