//! What imports created (`imported`): SHA-256 of an imported row's source id → the entry it
//! became. A file imported again finds its rows here and creates nothing twice; an entry deleted
//! or erased since keeps its record, so importing the old file does not bring it back. The key is
//! a hash: the source ids of some tools are fingerprints of a row's content (a person's e-mail,
//! a note), which this tree does not keep.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{codec, get, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::EntryId;

/// The record of one imported row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedRecord {
    /// The entry the row became.
    pub entry_id: uuid::Uuid,
    /// The import that created it (its id in the audit log).
    pub import_id: uuid::Uuid,
    pub at_ms: i64,
}

impl ImportedRecord {
    pub fn entry(&self) -> EntryId {
        EntryId::from_bytes(*self.entry_id.as_bytes())
    }
}

/// The key of a source id: SHA-256 of its text.
pub fn source_key(source_id: &str) -> [u8; 32] {
    Sha256::digest(source_id.as_bytes()).into()
}

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait ImportsStore {
    /// The record of an imported row, by [`source_key`].
    fn imported(&self, key: &[u8; 32]) -> Result<Option<ImportedRecord>, StoreError>;
}

/// What a write transaction does in this area.
pub trait ImportsTx {
    fn imported(&self, key: &[u8; 32]) -> Result<Option<ImportedRecord>, Abort>;

    /// Records a row as imported; aborts with `Stale` if it already is (another import of the
    /// same row won the race).
    fn put_imported(&self, key: &[u8; 32], r: &ImportedRecord) -> Result<(), Abort>;
}

impl ImportsStore for Store {
    fn imported(&self, key: &[u8; 32]) -> Result<Option<ImportedRecord>, StoreError> {
        get(self.tree(TreeId::Imported), TreeId::Imported, key)
    }
}

impl ImportsTx for Tx<'_> {
    fn imported(&self, key: &[u8; 32]) -> Result<Option<ImportedRecord>, Abort> {
        tx_get(self.t(TreeId::Imported), TreeId::Imported, key)
    }

    fn put_imported(&self, key: &[u8; 32], r: &ImportedRecord) -> Result<(), Abort> {
        if ImportsTx::imported(self, key)?.is_some() {
            return Err(super::stale(TreeId::Imported));
        }
        self.t(TreeId::Imported)
            .insert(&key[..], codec::encode(r))?;
        Ok(())
    }
}
