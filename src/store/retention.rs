//! Retention rules an admin set on the Retention page (category key → rule text, overriding
//! the config's), kept in `meta`.

use super::{codec, Abort, Store, StoreError, TreeId, Tx};

/// Retention rules set by an admin (category key → rule text), overriding the config's.
pub type RuleOverrides = std::collections::BTreeMap<String, String>;

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait RetentionStore {
    fn retention_overrides(&self) -> Result<RuleOverrides, StoreError>;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait RetentionTx {
    /// Replaces the overrides read as `before` by `rules`; aborts with `Stale` if they changed.
    fn put_retention_overrides(
        &self,
        before: &RuleOverrides,
        rules: &RuleOverrides,
    ) -> Result<(), Abort>;
}

impl RetentionStore for Store {
    fn retention_overrides(&self) -> Result<RuleOverrides, StoreError> {
        Ok(super::get(
            self.tree(TreeId::Meta),
            TreeId::Meta,
            super::trees::meta::RETENTION_RULES,
        )?
        .unwrap_or_default())
    }
}

impl RetentionTx for Tx<'_> {
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
