//! Privacy: the `privacy_requests` register, the `erasure_ledger` (pseudonymous ids only; what
//! `restore` re-applies), `privacy_flags` (restriction and objections per user), the record
//! removals an erasure needs, and a raw scan of every tree for a person's data.

use std::collections::BTreeMap;

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use super::stored::{StoredPrivacyFlags, StoredPrivacyRequest};
use super::{codec, keys, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::privacy::{PrivacyFlags, PrivacyRequest};
use crate::domain::{PrivacyRequestId, UserId};

/// One erasure, as `restore` needs it to erase the person again from an older backup. Holds
/// ids only: no name, no email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// The erasure's own id (UUIDv7, so the ledger sorts by time).
    pub id: uuid::Uuid,
    pub user_id: UserId,
    /// The id the person's kept entries now carry, and its label.
    pub pseudonym_id: UserId,
    pub pseudonym: String,
    /// `anonymise` or `delete`: what happened to their entries.
    pub entries: String,
    pub at_ms: i64,
    pub request_id: Option<PrivacyRequestId>,
}

/// Where a needle was found by [`Store::scan_for`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanHit {
    pub tree: String,
    pub key_hex: String,
    /// The index of the needle that matched.
    pub needle: usize,
}

fn scan_tree<T: DeserializeOwned>(store: &Store, id: TreeId) -> Result<Vec<T>, StoreError> {
    store
        .tree(id)
        .iter()
        .map(|item| {
            let (k, v) = item?;
            codec::decode(id, &k, &v)
        })
        .collect()
}

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait PrivacyStore {
    fn privacy_request(&self, id: PrivacyRequestId) -> Result<Option<PrivacyRequest>, StoreError>;

    /// Every request, oldest first (ids are time-ordered).
    fn privacy_requests(&self) -> Result<Vec<PrivacyRequest>, StoreError>;

    fn privacy_flags(&self, user: UserId) -> Result<PrivacyFlags, StoreError>;

    /// Every user that has flags, with them.
    fn all_privacy_flags(&self) -> Result<BTreeMap<UserId, PrivacyFlags>, StoreError>;

    /// The erasure ledger, oldest first.
    fn erasure_ledger(&self) -> Result<Vec<LedgerEntry>, StoreError>;

    /// Looks for each needle's bytes in every key and value of every tree, index trees
    /// included. Needles shorter than three bytes are skipped (they would match everywhere).
    fn scan_for(&self, needles: &[Vec<u8>]) -> Result<Vec<ScanHit>, StoreError>;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait PrivacyTx {
    fn privacy_request(&self, id: PrivacyRequestId) -> Result<Option<PrivacyRequest>, Abort>;

    fn delete_privacy_request(&self, id: PrivacyRequestId) -> Result<(), Abort>;

    /// Writes `r` over `before` (`None`: a new request); aborts with `Stale` if the stored
    /// request is no longer `before`.
    fn put_privacy_request(
        &self,
        before: Option<&PrivacyRequest>,
        r: &PrivacyRequest,
    ) -> Result<(), Abort>;

    fn privacy_flags(&self, user: UserId) -> Result<PrivacyFlags, Abort>;

    /// Sets `user`'s flags to `f`, computed from `before`; aborts with `Stale` if the stored
    /// flags are no longer `before` (absent flags read as the default).
    fn put_privacy_flags(
        &self,
        user: UserId,
        before: &PrivacyFlags,
        f: &PrivacyFlags,
    ) -> Result<(), Abort>;

    fn put_ledger_entry(&self, e: &LedgerEntry) -> Result<(), Abort>;
}

impl PrivacyStore for Store {
    fn privacy_request(&self, id: PrivacyRequestId) -> Result<Option<PrivacyRequest>, StoreError> {
        Ok(super::get::<StoredPrivacyRequest>(
            self.tree(TreeId::PrivacyRequests),
            TreeId::PrivacyRequests,
            id.as_bytes(),
        )?
        .map(PrivacyRequest::from))
    }

    fn privacy_requests(&self) -> Result<Vec<PrivacyRequest>, StoreError> {
        Ok(
            scan_tree::<StoredPrivacyRequest>(self, TreeId::PrivacyRequests)?
                .into_iter()
                .map(PrivacyRequest::from)
                .collect(),
        )
    }

    fn privacy_flags(&self, user: UserId) -> Result<PrivacyFlags, StoreError> {
        Ok(super::get::<StoredPrivacyFlags>(
            self.tree(TreeId::PrivacyFlags),
            TreeId::PrivacyFlags,
            &keys::user(user),
        )?
        .map(PrivacyFlags::from)
        .unwrap_or_default())
    }

    fn all_privacy_flags(&self) -> Result<BTreeMap<UserId, PrivacyFlags>, StoreError> {
        self.tree(TreeId::PrivacyFlags)
            .iter()
            .map(|item| {
                let (k, v) = item?;
                let b: [u8; 16] = k
                    .as_ref()
                    .try_into()
                    .map_err(|_| StoreError::corrupt("privacy_flags", &k, "key is not 16 bytes"))?;
                Ok((
                    UserId::from_bytes(b),
                    codec::decode::<StoredPrivacyFlags>(TreeId::PrivacyFlags, &k, &v)?.into(),
                ))
            })
            .collect()
    }

    fn erasure_ledger(&self) -> Result<Vec<LedgerEntry>, StoreError> {
        scan_tree(self, TreeId::ErasureLedger)
    }

    fn scan_for(&self, needles: &[Vec<u8>]) -> Result<Vec<ScanHit>, StoreError> {
        let mut hits = Vec::new();
        for t in TreeId::ALL {
            for item in self.tree(t).iter() {
                let (k, v) = item?;
                for (i, n) in needles.iter().enumerate() {
                    if n.len() >= 3 && (contains(&k, n) || contains(&v, n)) {
                        hits.push(ScanHit {
                            tree: t.name().to_owned(),
                            key_hex: hex::encode(&k),
                            needle: i,
                        });
                    }
                }
            }
        }
        Ok(hits)
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

impl PrivacyTx for Tx<'_> {
    fn privacy_request(&self, id: PrivacyRequestId) -> Result<Option<PrivacyRequest>, Abort> {
        Ok(tx_get::<StoredPrivacyRequest>(
            self.t(TreeId::PrivacyRequests),
            TreeId::PrivacyRequests,
            id.as_bytes(),
        )?
        .map(PrivacyRequest::from))
    }

    fn delete_privacy_request(&self, id: PrivacyRequestId) -> Result<(), Abort> {
        self.t(TreeId::PrivacyRequests).remove(&id.as_bytes()[..])?;
        Ok(())
    }

    fn put_privacy_request(
        &self,
        before: Option<&PrivacyRequest>,
        r: &PrivacyRequest,
    ) -> Result<(), Abort> {
        let tree = self.t(TreeId::PrivacyRequests);
        let before = before.map(StoredPrivacyRequest::from);
        super::expect(
            tree,
            TreeId::PrivacyRequests,
            r.id.as_bytes(),
            before.as_ref(),
        )?;
        tree.insert(
            &r.id.as_bytes()[..],
            codec::encode(&StoredPrivacyRequest::from(r)),
        )?;
        Ok(())
    }

    fn privacy_flags(&self, user: UserId) -> Result<PrivacyFlags, Abort> {
        Ok(tx_get::<StoredPrivacyFlags>(
            self.t(TreeId::PrivacyFlags),
            TreeId::PrivacyFlags,
            &keys::user(user),
        )?
        .map(PrivacyFlags::from)
        .unwrap_or_default())
    }

    fn put_privacy_flags(
        &self,
        user: UserId,
        before: &PrivacyFlags,
        f: &PrivacyFlags,
    ) -> Result<(), Abort> {
        if self.privacy_flags(user)? != *before {
            return Err(super::stale(TreeId::PrivacyFlags));
        }
        if f.is_empty() {
            self.t(TreeId::PrivacyFlags).remove(&keys::user(user))?;
        } else {
            self.t(TreeId::PrivacyFlags).insert(
                &keys::user(user),
                codec::encode(&StoredPrivacyFlags::from(f)),
            )?;
        }
        Ok(())
    }

    fn put_ledger_entry(&self, e: &LedgerEntry) -> Result<(), Abort> {
        self.t(TreeId::ErasureLedger)
            .insert(&e.id.as_bytes()[..], codec::encode(e))?;
        Ok(())
    }
}
