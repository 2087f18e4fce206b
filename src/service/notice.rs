//! The privacy notice: generated from the configuration (the inputs in `Settings`), stamped with
//! the instant its content last changed. Public: no role needed to read it.

use crate::store::prelude::*;
use serde_json::json;

use super::{Actor, Notice, Result};
use crate::domain::notice::NoticeInputs;
use crate::store::NoticeStamp;

/// The notice's inputs and when its content last changed.
pub struct PrivacyNotice {
    pub inputs: NoticeInputs,
    pub updated_ms: i64,
    pub hash: String,
}

impl Notice<'_> {
    /// Records the notice's content hash when it differs from the stored one (a configuration
    /// change that shows in the notice): from now on, "last updated" is now. A change is audited
    /// as `privacy.notice_updated` (a store's first stamp is not). Called at start; reading the
    /// notice calls it too.
    pub async fn refresh(&self) -> Result<NoticeStamp> {
        let hash = self.notice_inputs()?.hash();
        if let Some(s) = self.store().notice_stamp()?.filter(|s| s.hash == hash) {
            return Ok(s);
        }
        let previous = self.store().notice_stamp()?;
        let stamp = NoticeStamp {
            hash: hash.clone(),
            since_ms: self.now(),
        };
        let s = stamp.clone();
        match previous {
            // The first stamp of a store is no change to anything: not worth a record.
            None => {
                self.store()
                    .write(move |tx| tx.put_notice_stamp(&s))
                    .await?
            }
            Some(old) => {
                let ev = self.event(
                    &Actor::system(),
                    "privacy.notice_updated",
                    None,
                    json!({ "hash": hash, "previous_hash": old.hash, "previous_since": super::rfc3339(old.since_ms) }),
                );
                self.commit(&ev, move |tx| tx.put_notice_stamp(&s)).await?
            }
        }
        tracing::info!(hash = %stamp.hash, "privacy notice content changed");
        Ok(stamp)
    }

    /// The notice's inputs: the configuration's, with the retention rules in force (an admin
    /// may have changed some on the Retention & holds page).
    fn notice_inputs(&self) -> Result<NoticeInputs> {
        let mut inputs = self.settings().notice.clone();
        let (rules, _) = self.retention().rules()?;
        inputs.retention = crate::domain::retention::Category::ALL
            .iter()
            .map(|c| (c.key().to_owned(), rules.get(*c).label()))
            .collect();
        Ok(inputs)
    }

    /// The privacy notice. Roles: anyone, signed in or not.
    pub async fn current(&self) -> Result<PrivacyNotice> {
        let stamp = self.refresh().await?;
        Ok(PrivacyNotice {
            inputs: self.notice_inputs()?,
            updated_ms: stamp.since_ms,
            hash: stamp.hash,
        })
    }
}
