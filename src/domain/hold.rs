//! Legal holds: while one applies, retention purges and erasure skip the data it covers.

use serde::{Deserialize, Serialize};

use super::{ClientId, HoldId, ProjectId, UserId};

/// What a hold covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum HoldScope {
    /// Everything on the instance.
    Instance,
    /// One person: their account, entries, tasks and comments, events and audit records.
    User(UserId),
    /// One project's entries and tasks.
    Project(ProjectId),
    /// Every project of one client, their entries and tasks.
    Client(ClientId),
}

impl HoldScope {
    /// `instance`, `user:<id>`, `project:<id>`, `client:<id>`.
    pub fn label(&self) -> String {
        match self {
            HoldScope::Instance => "instance".into(),
            HoldScope::User(id) => format!("user:{id}"),
            HoldScope::Project(id) => format!("project:{id}"),
            HoldScope::Client(id) => format!("client:{id}"),
        }
    }
}

/// One legal hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hold {
    pub id: HoldId,
    pub scope: HoldScope,
    pub reason: String,
    /// The actor that placed it, as the audit log names it.
    pub placed_by: String,
    pub placed_at_ms: i64,
    /// Lapses by itself at this instant, if set.
    #[serde(default)]
    pub ends_at_ms: Option<i64>,
    #[serde(default)]
    pub released_at_ms: Option<i64>,
    #[serde(default)]
    pub released_by: Option<String>,
}

impl Hold {
    pub fn is_active(&self, now_ms: i64) -> bool {
        self.released_at_ms.is_none() && self.ends_at_ms.is_none_or(|end| now_ms < end)
    }

    /// `active`, `ended` (its end date passed) or `released`.
    pub fn status(&self, now_ms: i64) -> &'static str {
        if self.released_at_ms.is_some() {
            "released"
        } else if self.is_active(now_ms) {
            "active"
        } else {
            "ended"
        }
    }
}

/// Longest hold reason, in characters.
pub const MAX_REASON: usize = 500;

/// The holds in force at one instant, asked "does one cover this?".
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    holds: Vec<Hold>,
}

impl Coverage {
    /// Keeps only the holds active at `now_ms`.
    pub fn new(holds: Vec<Hold>, now_ms: i64) -> Self {
        Self {
            holds: holds.into_iter().filter(|h| h.is_active(now_ms)).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.holds.is_empty()
    }

    pub fn holds(&self) -> &[Hold] {
        &self.holds
    }

    /// A hold on the whole instance.
    pub fn instance(&self) -> Option<&Hold> {
        self.holds.iter().find(|h| h.scope == HoldScope::Instance)
    }

    /// A hold on this person, or on the whole instance.
    pub fn user(&self, user: UserId) -> Option<&Hold> {
        self.instance()
            .or_else(|| self.holds.iter().find(|h| h.scope == HoldScope::User(user)))
    }

    /// A hold covering a record of `user` on `project` (of `client`): the instance, the person,
    /// the project or its client.
    pub fn entry(
        &self,
        user: UserId,
        project: ProjectId,
        client: Option<ClientId>,
    ) -> Option<&Hold> {
        self.user(user).or_else(|| {
            self.holds.iter().find(|h| match h.scope {
                HoldScope::Project(p) => p == project,
                HoldScope::Client(c) => Some(c) == client,
                _ => false,
            })
        })
    }

    /// A hold covering a project's records (its tasks): the instance, the project or its client.
    pub fn project(&self, project: ProjectId, client: Option<ClientId>) -> Option<&Hold> {
        self.instance().or_else(|| {
            self.holds.iter().find(|h| match h.scope {
                HoldScope::Project(p) => p == project,
                HoldScope::Client(c) => Some(c) == client,
                _ => false,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hold(scope: HoldScope, ends: Option<i64>, released: Option<i64>) -> Hold {
        Hold {
            id: HoldId::new(1),
            scope,
            reason: "litigation".into(),
            placed_by: "cli:root".into(),
            placed_at_ms: 0,
            ends_at_ms: ends,
            released_at_ms: released,
            released_by: released.map(|_| "cli:root".into()),
        }
    }

    #[test]
    fn only_active_holds_cover() {
        let (u, p, c) = (UserId::new(1), ProjectId::new(2), ClientId::new(3));
        let other = UserId::new(4);
        let cov = Coverage::new(
            vec![
                hold(HoldScope::User(u), None, None),
                hold(HoldScope::Client(c), Some(100), None),
                hold(HoldScope::Project(p), None, Some(5)),
            ],
            50,
        );
        assert!(cov.user(u).is_some());
        assert!(cov.user(other).is_none());
        assert!(
            cov.entry(other, p, Some(c)).is_some(),
            "client hold, not yet ended"
        );
        assert!(
            cov.entry(other, p, None).is_none(),
            "the project hold was released"
        );
        let later = Coverage::new(cov.holds().to_vec(), 100);
        assert!(later.entry(other, p, Some(c)).is_none(), "ended at 100");
    }

    #[test]
    fn an_instance_hold_covers_everything() {
        let cov = Coverage::new(vec![hold(HoldScope::Instance, None, None)], 0);
        assert!(cov.user(UserId::new(9)).is_some());
        assert!(cov.project(ProjectId::new(9), None).is_some());
    }

    #[test]
    fn status_names() {
        assert_eq!(hold(HoldScope::Instance, None, None).status(0), "active");
        assert_eq!(hold(HoldScope::Instance, Some(5), None).status(6), "ended");
        assert_eq!(
            hold(HoldScope::Instance, None, Some(1)).status(0),
            "released"
        );
    }
}
