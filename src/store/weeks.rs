//! Week approval records (`weeks`): user ‖ Monday → the week's state and history. A week with
//! no record is open. Every write of an entry passes through [`WeeksTx::enter_week`] for each
//! week the entry touches (before and after a change), inside its transaction: a locked week
//! aborts the write, and a week with a record has its revision raised, so that a decision
//! computed from the week's entries (an approval recording the week's total) aborts with
//! `Stale` if any of them changed since it read them.

use chrono::NaiveDate;

use super::stored::StoredWeek;
use super::{codec, expect, keys, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::approval::Week;
use crate::domain::UserId;

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait WeeksStore {
    fn week(&self, user: UserId, monday: NaiveDate) -> Result<Option<Week>, StoreError>;

    /// `user`'s week records from the week of `from` to the week of `to` (Mondays), in date
    /// order.
    fn weeks_of(
        &self,
        user: UserId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Week>, StoreError>;

    /// Every week record `keep` accepts, by person then date (the approval queue, the
    /// auto-lock job): a walk over the whole tree, which holds one record per person and week
    /// that was ever submitted or locked.
    fn weeks_where(&self, keep: impl Fn(&Week) -> bool) -> Result<Vec<Week>, StoreError>;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait WeeksTx {
    fn week(&self, user: UserId, monday: NaiveDate) -> Result<Option<Week>, Abort>;

    /// Writes `after` over `before` (`None`: no record yet); aborts with `Stale` if the stored
    /// record is no longer `before`.
    fn put_week(&self, before: Option<&Week>, after: &Week) -> Result<(), Abort>;

    /// Removes `before` (an erasure); aborts with `Stale` if the stored record is no longer it.
    fn remove_week(&self, before: &Week) -> Result<(), Abort>;

    /// The lock on a write of an entry in `user`'s week of `monday`: aborts with
    /// [`StoreError::WeekLocked`] if that week is approved or locked; otherwise raises the
    /// revision of its record, if it has one.
    fn enter_week(&self, user: UserId, monday: NaiveDate) -> Result<(), Abort>;
}

fn decode(k: &[u8], v: &[u8]) -> Result<Week, StoreError> {
    codec::decode::<StoredWeek>(TreeId::Weeks, k, v).map(Week::from)
}

impl WeeksStore for Store {
    fn week(&self, user: UserId, monday: NaiveDate) -> Result<Option<Week>, StoreError> {
        Ok(super::get::<StoredWeek>(
            self.tree(TreeId::Weeks),
            TreeId::Weeks,
            &keys::week(user, monday),
        )?
        .map(Week::from))
    }

    fn weeks_of(
        &self,
        user: UserId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Week>, StoreError> {
        let (lo, hi) = (keys::week(user, from), keys::week(user, to));
        if lo > hi {
            return Ok(Vec::new());
        }
        self.tree(TreeId::Weeks)
            .range(lo..=hi)
            .map(|item| {
                let (k, v) = item?;
                decode(&k, &v)
            })
            .collect()
    }

    fn weeks_where(&self, keep: impl Fn(&Week) -> bool) -> Result<Vec<Week>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(TreeId::Weeks).iter() {
            let (k, v) = item?;
            let w = decode(&k, &v)?;
            if keep(&w) {
                out.push(w);
            }
        }
        Ok(out)
    }
}

impl WeeksTx for Tx<'_> {
    fn week(&self, user: UserId, monday: NaiveDate) -> Result<Option<Week>, Abort> {
        let key = keys::week(user, monday);
        Ok(tx_get::<StoredWeek>(self.t(TreeId::Weeks), TreeId::Weeks, &key)?.map(Week::from))
    }

    fn put_week(&self, before: Option<&Week>, after: &Week) -> Result<(), Abort> {
        let key = keys::week(after.user_id, after.monday);
        let before = before.map(StoredWeek::from);
        expect(self.t(TreeId::Weeks), TreeId::Weeks, &key, before.as_ref())?;
        self.t(TreeId::Weeks)
            .insert(&key, codec::encode(&StoredWeek::from(after)))?;
        Ok(())
    }

    fn remove_week(&self, before: &Week) -> Result<(), Abort> {
        let key = keys::week(before.user_id, before.monday);
        let stored = StoredWeek::from(before);
        expect(self.t(TreeId::Weeks), TreeId::Weeks, &key, Some(&stored))?;
        self.t(TreeId::Weeks).remove(&key)?;
        Ok(())
    }

    fn enter_week(&self, user: UserId, monday: NaiveDate) -> Result<(), Abort> {
        let Some(mut w) = WeeksTx::week(self, user, monday)? else {
            return Ok(());
        };
        if w.state.is_locked() {
            return Err(StoreError::WeekLocked {
                monday,
                state: w.state.as_str(),
            }
            .into());
        }
        w.revision += 1;
        self.t(TreeId::Weeks).insert(
            &keys::week(user, monday)[..],
            codec::encode(&StoredWeek::from(&w)),
        )?;
        Ok(())
    }
}
