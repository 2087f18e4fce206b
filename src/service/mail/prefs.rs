//! Each person's e-mail notifications: which of the non-essential kinds they get. Kept on
//! their user record (absent when all are on), so erasing the person removes it with them.

use serde_json::json;

use crate::domain::mail::MailPrefs;
use crate::domain::Permission;
use crate::service::{Actor, Mails, Result, ServiceError};
use crate::store::prelude::*;

/// Changes to one's notifications; `None` leaves a kind as it is.
#[derive(Debug, Clone, Default)]
pub struct PrefsPatch {
    pub week_decisions: Option<bool>,
    pub privacy_deadlines: Option<bool>,
    pub backup_failures: Option<bool>,
}

impl PrefsPatch {
    pub fn is_empty(&self) -> bool {
        self.week_decisions.is_none()
            && self.privacy_deadlines.is_none()
            && self.backup_failures.is_none()
    }
}

impl Mails<'_> {
    /// The signed-in person's notifications. Roles: any.
    pub fn prefs(&self, actor: &Actor) -> Result<MailPrefs> {
        actor.require(Permission::ManageOwnAccount)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        Ok(self
            .store()
            .user(me)?
            .ok_or(ServiceError::Unauthenticated)?
            .mail_prefs)
    }

    /// Turns one's notifications on or off. Roles: any. Audited as
    /// `account.notifications_changed` with what changed.
    pub async fn set_prefs(&self, actor: &Actor, patch: &PrefsPatch) -> Result<MailPrefs> {
        actor.require(Permission::ManageOwnAccount)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        self.retrying(|| async move {
            let before = self
                .store()
                .user(me)?
                .ok_or(ServiceError::Unauthenticated)?;
            let old = before.mail_prefs;
            let new = MailPrefs {
                week_decisions: patch.week_decisions.unwrap_or(old.week_decisions),
                privacy_deadlines: patch.privacy_deadlines.unwrap_or(old.privacy_deadlines),
                backup_failures: patch.backup_failures.unwrap_or(old.backup_failures),
            };
            if new == old {
                return Ok(new);
            }
            let mut changed = serde_json::Map::new();
            let (a, b) = (json!(old), json!(new));
            for k in ["week_decisions", "privacy_deadlines", "backup_failures"] {
                if a[k] != b[k] {
                    changed.insert(k.into(), b[k].clone());
                }
            }
            let mut after = before.clone();
            after.mail_prefs = new;
            let ev = self.event(
                actor,
                "account.notifications_changed",
                Some(format!("user:{me}")),
                serde_json::Value::Object(changed),
            );
            self.commit(&ev, |tx| tx.update_user(&before, &after))
                .await?;
            Ok(new)
        })
        .await
    }
}
