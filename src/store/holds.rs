//! Legal holds (`holds`): few records, read whole; and the retention rules an admin set, which
//! live in `meta` beside them.

use super::stored::StoredHold;
use super::{codec, expect, keys, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::hold::Hold;
use crate::domain::HoldId;

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait HoldsStore {
    /// Every hold ever placed, oldest first (ids are time-ordered).
    fn holds(&self) -> Result<Vec<Hold>, StoreError>;

    fn hold(&self, id: HoldId) -> Result<Option<Hold>, StoreError>;

    fn retention_overrides(&self) -> Result<RuleOverrides, StoreError>;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait HoldsTx {
    /// Writes `h` over `before` (`None`: a new hold); aborts with `Stale` if the stored hold is
    /// no longer `before`.
    fn put_hold(&self, before: Option<&Hold>, h: &Hold) -> Result<(), Abort>;

    /// Replaces the overrides read as `before` by `rules`; aborts with `Stale` if they changed.
    fn put_retention_overrides(
        &self,
        before: &RuleOverrides,
        rules: &RuleOverrides,
    ) -> Result<(), Abort>;
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

    fn put_retention_overrides(
        &self,
        before: &RuleOverrides,
        rules: &RuleOverrides,
    ) -> Result<(), Abort> {
        let stored: Option<RuleOverrides> = super::tx_get(
            self.t(TreeId::Meta),
            TreeId::Meta,
            super::trees::meta::RETENTION_RULES,
        )?;
        if stored.unwrap_or_default() != *before {
            return Err(super::stale(TreeId::Meta));
        }
        self.t(TreeId::Meta)
            .insert(super::trees::meta::RETENTION_RULES, codec::encode(rules))?;
        Ok(())
    }
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

    fn retention_overrides(&self) -> Result<RuleOverrides, StoreError> {
        Ok(super::get(
            self.tree(TreeId::Meta),
            TreeId::Meta,
            super::trees::meta::RETENTION_RULES,
        )?
        .unwrap_or_default())
    }
}

/// Retention rules set by an admin (category key → rule text), overriding the config's.
pub type RuleOverrides = std::collections::BTreeMap<String, String>;
