//! Requests that must not happen twice: a timer start or stop and a quick-add line may carry an
//! `Idempotency-Key` (the web UI's offline queue sends one with each, and retries with the same
//! key when an answer is lost). The first attempt records the key in the transaction that does
//! the work (`store::done_requests`); a retry within eight days is answered with what the first
//! made, as it is now, and makes nothing.
//!
//! - The same key for a different request: `request.key_reused` (422).
//! - What the first attempt made was deleted since: `request.already_done` (409); a client
//!   treats it as done.
//! - Two attempts at once: the store's transaction lets one claim the key; the other finds the
//!   claim and answers like a retry.

use sha2::{Digest, Sha256};

use super::super::{Actor, Entries, Result, ServiceError};
use crate::domain::tracking::Entry;
use crate::domain::{codes, EntryId, FieldError, UserId};
use crate::store::prelude::*;
use crate::store::{Abort, DoneOutcome, DoneRequest, Tx};

/// The longest idempotency key taken (the IETF draft's keys are UUIDs; 255 leaves room).
pub const MAX_KEY_LEN: usize = 255;

/// A request's idempotency key as the service keeps it: the SHA-256 of the header's value.
#[derive(Debug, Clone)]
pub struct Once {
    key: [u8; 32],
}

impl Once {
    /// `value`: the `Idempotency-Key` header, 1–255 visible ASCII characters.
    pub fn new(value: &str) -> Result<Once> {
        if value.is_empty()
            || value.len() > MAX_KEY_LEN
            || !value.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                "Idempotency-Key",
                "invalid",
                format!("an idempotency key is 1 to {MAX_KEY_LEN} visible ASCII characters"),
            )]));
        }
        Ok(Once {
            key: Sha256::digest(value.as_bytes()).into(),
        })
    }
}

/// A key to record in the transaction that does the work.
#[derive(Debug, Clone)]
pub(super) struct Claim {
    user: UserId,
    key: [u8; 32],
    fingerprint: String,
    at_ms: i64,
}

impl Claim {
    /// Records in `tx` that the request made `outcome`; aborts if a concurrent attempt did.
    pub(super) fn record(
        &self,
        tx: &Tx<'_>,
        outcome: DoneOutcome,
    ) -> std::result::Result<(), Abort> {
        let done = DoneRequest {
            at_ms: self.at_ms,
            fingerprint: self.fingerprint.clone(),
            outcome,
        };
        tx.claim_request(self.user, &self.key, &done)
    }
}

/// Records `outcome` when the request has a claim.
pub(super) fn record(
    claim: &Option<Claim>,
    tx: &Tx<'_>,
    outcome: DoneOutcome,
) -> std::result::Result<(), Abort> {
    match claim {
        Some(c) => c.record(tx, outcome),
        None => Ok(()),
    }
}

/// What a use case answers: the thing it made, now or by an earlier attempt.
pub(super) enum Attempt<T> {
    /// Nothing was done under this key yet: do it, recording the claim.
    Do(Option<Claim>),
    /// Done before: this is what it made.
    Done(T),
}

impl Entries<'_> {
    /// Before doing a keyed request: what an earlier attempt made (read with `replay`), or the
    /// claim to record when doing it now. `request` is what the request asks, equal exactly
    /// when two requests are the same (the operation's name and its parsed fields).
    pub(super) fn attempt<T>(
        &self,
        actor: &Actor,
        once: Option<&Once>,
        request: &str,
        replay: impl Fn(DoneOutcome) -> Result<T>,
    ) -> Result<Attempt<T>> {
        let Some(once) = once else {
            return Ok(Attempt::Do(None));
        };
        let user = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let fingerprint = hex::encode(Sha256::digest(request.as_bytes()));
        match self.done_before(user, &once.key, &fingerprint)? {
            Some(outcome) => replay(outcome).map(Attempt::Done),
            None => Ok(Attempt::Do(Some(Claim {
                user,
                key: once.key,
                fingerprint,
                at_ms: self.now(),
            }))),
        }
    }

    /// After a keyed request's write failed: when a concurrent attempt claimed the key first,
    /// what that one made; any other failure as it is.
    pub(super) fn lost_claim<T>(
        &self,
        claim: &Option<Claim>,
        err: ServiceError,
        replay: impl Fn(DoneOutcome) -> Result<T>,
    ) -> Result<T> {
        match (claim, &err) {
            (Some(c), ServiceError::Conflict(code)) if *code == codes::REQUEST_ALREADY_DONE => {
                match self.done_before(c.user, &c.key, &c.fingerprint)? {
                    Some(outcome) => replay(outcome),
                    None => Err(err),
                }
            }
            _ => Err(err),
        }
    }

    /// The outcome of a fresh request `user` did under `key`; a different request (another
    /// `fingerprint`) under the same key is refused.
    fn done_before(
        &self,
        user: UserId,
        key: &[u8; 32],
        fingerprint: &str,
    ) -> Result<Option<DoneOutcome>> {
        match self.store().done_request(user, key)? {
            Some(d) if d.fresh(self.now()) => {
                if d.fingerprint == fingerprint {
                    Ok(Some(d.outcome))
                } else {
                    Err(ServiceError::Unprocessable(codes::REQUEST_KEY_REUSED))
                }
            }
            _ => Ok(None),
        }
    }

    /// An entry an earlier attempt made, as it is now; `request.already_done` if it is gone.
    pub(super) fn made(&self, actor: &Actor, id: EntryId) -> Result<Entry> {
        match self.get(actor, id) {
            Err(ServiceError::NotFound { .. }) => {
                Err(ServiceError::Conflict(codes::REQUEST_ALREADY_DONE))
            }
            r => r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_one_to_255_visible_ascii_characters() {
        assert!(Once::new("0b6f7c1e-2d4a-4c31-9f0e-5a8b7c6d5e4f").is_ok());
        assert!(Once::new(&"k".repeat(255)).is_ok());
        for bad in ["", " ", "a b", "ключ", "a\tb", &"k".repeat(256)] {
            assert!(
                matches!(Once::new(bad), Err(ServiceError::Invalid(_))),
                "{bad:?}"
            );
        }
    }
}
