//! Legal holds (`holds`): few records, read whole.

use super::stored::StoredHold;
use super::{codec, expect, keys, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::hold::Hold;
use crate::domain::HoldId;

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait HoldsStore {
    /// Every hold ever placed, oldest first (ids are time-ordered).
    fn holds(&self) -> Result<Vec<Hold>, StoreError>;

    fn hold(&self, id: HoldId) -> Result<Option<Hold>, StoreError>;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait HoldsTx {
    /// Writes `h` over `before` (`None`: a new hold); aborts with `Stale` if the stored hold is
    /// no longer `before`.
    fn put_hold(&self, before: Option<&Hold>, h: &Hold) -> Result<(), Abort>;
}

impl HoldsStore for Store {
    fn holds(&self) -> Result<Vec<Hold>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(TreeId::Holds).iter() {
            let (k, v) = item?;
            out.push(codec::decode::<StoredHold>(TreeId::Holds, &k, &v)?.into());
        }
        Ok(out)
    }

    fn hold(&self, id: HoldId) -> Result<Option<Hold>, StoreError> {
        Ok(
            super::get::<StoredHold>(self.tree(TreeId::Holds), TreeId::Holds, &keys::hold(id))?
                .map(Hold::from),
        )
    }
}

impl HoldsTx for Tx<'_> {
    fn put_hold(&self, before: Option<&Hold>, h: &Hold) -> Result<(), Abort> {
        let key = keys::hold(h.id);
        let before = before.map(StoredHold::from);
        expect(self.t(TreeId::Holds), TreeId::Holds, &key, before.as_ref())?;
        self.t(TreeId::Holds)
            .insert(&key, codec::encode(&StoredHold::from(h)))?;
        Ok(())
    }
}
