//! Reading records and the read-modify-write rule, shared by every area of the store: a value
//! decoded from a tree (outside or inside a transaction), every record of a tree, and the
//! check that a record is still what the caller computed its change from (`expect`, `still`).

use sled::transaction::TransactionalTree;

use super::{codec, Abort, StoreError, TreeId};

/// Reads and decodes one value from a tree.
pub(super) fn get<T: serde::de::DeserializeOwned>(
    tree: impl std::ops::Deref<Target = sled::Tree>,
    id: TreeId,
    key: &[u8],
) -> Result<Option<T>, StoreError> {
    match tree.get(key)? {
        Some(v) => codec::decode(id, key, &v).map(Some),
        None => Ok(None),
    }
}

/// The read-modify-write rule, in one place: checks inside the transaction that the record at
/// `key` is still `expected` (`None`: absent), the state the caller computed its change from,
/// and returns it. Aborts with [`StoreError::Stale`] otherwise; the service layer answers that
/// by re-reading and computing the change again (`Services::retrying`). Every public `Tx`
/// method that replaces or removes a record takes the `before` it was derived from and calls
/// this, so a change computed from a stale read can never be written.
pub(super) fn expect<T>(
    tree: &TransactionalTree,
    id: TreeId,
    key: &[u8],
    expected: Option<&T>,
) -> Result<Option<T>, Abort>
where
    T: serde::de::DeserializeOwned + PartialEq,
{
    still(id, tx_get(tree, id, key)?, expected)
}

/// The check of [`expect`] on a record of `tree` the transaction read another way (an entry,
/// through its pointer): `stored` must still be `expected`.
pub(super) fn still<T: PartialEq>(
    tree: TreeId,
    stored: Option<T>,
    expected: Option<&T>,
) -> Result<Option<T>, Abort> {
    if stored.as_ref() == expected {
        Ok(stored)
    } else {
        Err(stale(tree))
    }
}

/// The abort of a change computed from a stale read of a record in `tree`.
pub(super) fn stale(tree: TreeId) -> Abort {
    StoreError::Stale(tree.name()).into()
}

/// Every record of a tree, decoded as its storage struct `S` and converted to `T`.
pub(super) fn scan<S: serde::de::DeserializeOwned, T: From<S>>(
    tree: impl std::ops::Deref<Target = sled::Tree>,
    id: TreeId,
) -> Result<Vec<T>, StoreError> {
    tree.iter()
        .map(|item| {
            let (k, v) = item?;
            codec::decode::<S>(id, &k, &v).map(T::from)
        })
        .collect()
}

/// Reads and decodes one value inside a transaction.
pub(super) fn tx_get<T: serde::de::DeserializeOwned>(
    tree: &TransactionalTree,
    id: TreeId,
    key: &[u8],
) -> Result<Option<T>, Abort> {
    match tree.get(key)? {
        Some(v) => codec::decode(id, key, &v).map(Some).map_err(Abort::from),
        None => Ok(None),
    }
}
