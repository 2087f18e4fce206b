//! Legal holds (`holds`): few records, read whole.

use super::{codec, keys, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::hold::Hold;
use crate::domain::HoldId;

impl Tx<'_> {
    pub fn put_hold(&self, h: &Hold) -> Result<(), Abort> {
        self.t(TreeId::Holds)
            .insert(&keys::hold(h.id), codec::encode(h))?;
        Ok(())
    }
}

impl Store {
    /// Every hold ever placed, oldest first (ids are time-ordered).
    pub fn holds(&self) -> Result<Vec<Hold>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(TreeId::Holds).iter() {
            let (k, v) = item?;
            out.push(codec::decode(TreeId::Holds, &k, &v)?);
        }
        Ok(out)
    }

    pub fn hold(&self, id: HoldId) -> Result<Option<Hold>, StoreError> {
        super::get(self.tree(TreeId::Holds), TreeId::Holds, &keys::hold(id))
    }
}
