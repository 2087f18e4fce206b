//! Requests carried out under an `Idempotency-Key`, kept for eight days so that a client
//! retrying one (an answer lost on a train, an offline queue replaying) is answered with what the
//! first attempt made instead of making it twice. Eight: a request may say it was done up to a
//! week ago (`range::acted_at`), so any request the server takes can be retried for as long as
//! it may be sent at all.
//!
//! The key is the person ‖ the SHA-256 of the header's value (the value itself is not kept);
//! the record says when, a fingerprint of the request (to refuse the same key for a different
//! request) and the ids of what it made. No note, name or time of day is kept here: a replay
//! reads the entry as it is now. The tree is not in backups (a few days' keys are worth
//! little after a restore); erasing a person removes theirs; `expire_sessions` purges old ones.

use serde::{Deserialize, Serialize};

use super::{codec, keys, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::{codes, EntryId, UserId};

/// How long a request's key is honoured: a day longer than a request may be late.
pub const KEEP_MS: i64 = (crate::domain::range::ACTED_PAST_DAYS + 1) * 24 * 3600 * 1000;

/// What a request made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// An entry was created (quick-add).
    Created { entry: EntryId },
    /// A timer started, stopping the one that ran (if any).
    Started {
        entry: EntryId,
        stopped: Option<EntryId>,
    },
    /// The running timer stopped.
    Stopped { entry: EntryId },
}

/// A request carried out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoneRequest {
    pub at_ms: i64,
    /// SHA-256 (hex) of what the request asked, so one key cannot stand for two requests.
    pub fingerprint: String,
    pub outcome: Outcome,
}

impl DoneRequest {
    /// Whether the key still counts at `now_ms`.
    pub fn fresh(&self, now_ms: i64) -> bool {
        now_ms - self.at_ms < KEEP_MS
    }
}

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait DoneRequestsStore {
    /// The request `user` did under `key` (the SHA-256 of the header's value), fresh or not.
    fn done_request(&self, user: UserId, key: &[u8; 32])
        -> Result<Option<DoneRequest>, StoreError>;

    /// Keys of the records that no longer count at `now_ms` (for purging).
    fn stale_done_requests(&self, now_ms: i64) -> Result<Vec<Vec<u8>>, StoreError>;

    /// Every record of `user` with its stored key (for access and erasure).
    fn done_requests_of(&self, user: UserId) -> Result<Vec<(Vec<u8>, DoneRequest)>, StoreError>;
}

/// What a write transaction does in this area.
pub trait DoneRequestsTx {
    /// Records that `user` did `done` under `key`, in the transaction that does it. Aborts with
    /// `request.already_done` when a fresh record is there: a concurrent attempt of the same
    /// request won, and the caller answers with what that one made.
    fn claim_request(&self, user: UserId, key: &[u8; 32], done: &DoneRequest) -> Result<(), Abort>;

    /// Removes one record by its stored key.
    fn forget_request(&self, stored_key: &[u8]) -> Result<(), Abort>;
}

impl DoneRequestsStore for Store {
    fn done_request(
        &self,
        user: UserId,
        key: &[u8; 32],
    ) -> Result<Option<DoneRequest>, StoreError> {
        super::get(
            self.tree(TreeId::DoneRequests),
            TreeId::DoneRequests,
            &keys::done_request(user, key),
        )
    }

    fn stale_done_requests(&self, now_ms: i64) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(TreeId::DoneRequests).iter() {
            let (k, v) = item?;
            let d: DoneRequest = codec::decode(TreeId::DoneRequests, &k, &v)?;
            if !d.fresh(now_ms) {
                out.push(k.to_vec());
            }
        }
        Ok(out)
    }

    fn done_requests_of(&self, user: UserId) -> Result<Vec<(Vec<u8>, DoneRequest)>, StoreError> {
        (self
            .tree(TreeId::DoneRequests)
            .scan_prefix(keys::user(user)))
        .map(|item| {
            let (k, v) = item?;
            let d = codec::decode(TreeId::DoneRequests, &k, &v)?;
            Ok((k.to_vec(), d))
        })
        .collect()
    }
}

impl DoneRequestsTx for Tx<'_> {
    fn claim_request(&self, user: UserId, key: &[u8; 32], done: &DoneRequest) -> Result<(), Abort> {
        let k = keys::done_request(user, key);
        let tree = self.t(TreeId::DoneRequests);
        let before: Option<DoneRequest> = tx_get(tree, TreeId::DoneRequests, &k)?;
        if before.is_some_and(|b| b.fresh(done.at_ms)) {
            return Err(super::conflict(codes::REQUEST_ALREADY_DONE));
        }
        tree.insert(&k[..], codec::encode(done))?;
        Ok(())
    }

    fn forget_request(&self, stored_key: &[u8]) -> Result<(), Abort> {
        self.t(TreeId::DoneRequests).remove(stored_key)?;
        Ok(())
    }
}
