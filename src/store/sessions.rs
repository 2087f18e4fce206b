//! Sessions: `sessions` (key = SHA-256 of the cookie's token) and `sessions_by_user`.

use super::stored::StoredSession;
use super::{codec, get, keys, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::{SessionKey, UserId};

/// A server-side session. The token itself is only in the user's cookie. Stored as
/// [`StoredSession`].
#[derive(Debug, Clone)]
pub struct Session {
    pub(super) key_hex: String,
    pub user_id: UserId,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Decodes a `sessions` value.
pub(super) fn decode(k: &[u8], v: &[u8]) -> Result<Session, StoreError> {
    codec::decode::<StoredSession>(TreeId::Sessions, k, v).map(Session::from)
}

/// Encodes a `sessions` value.
pub(super) fn encode(s: &Session) -> Vec<u8> {
    codec::encode(&StoredSession::from(s))
}

impl Session {
    pub fn new(
        key: SessionKey,
        user_id: UserId,
        created_at_ms: i64,
        last_seen_at_ms: i64,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> Self {
        Self {
            key_hex: hex::encode(key.0),
            user_id,
            created_at_ms,
            last_seen_at_ms,
            ip,
            user_agent,
        }
    }

    pub fn key(&self) -> SessionKey {
        let mut b = [0u8; 32];
        let _ = hex::decode_to_slice(&self.key_hex, &mut b);
        SessionKey(b)
    }
}

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait SessionsStore {
    fn session(&self, key: &SessionKey) -> Result<Option<Session>, StoreError>;

    /// Keys of every session of `user`.
    fn session_keys_of(&self, user: UserId) -> Result<Vec<SessionKey>, StoreError>;

    /// Every session (for purging expired ones).
    fn all_sessions(&self) -> Result<Vec<Session>, StoreError>;

    fn count_sessions(&self) -> usize;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait SessionsTx {
    fn put_session(&self, s: &Session) -> Result<(), Abort>;

    /// Stores a session's new last-seen time, unless it was removed meanwhile (a sign-out, a
    /// revocation, an erasure): a touch never brings a session back.
    fn touch_session(&self, s: &Session) -> Result<(), Abort>;

    /// Removes a session and its index row; true when it existed.
    fn delete_session(&self, user: UserId, key: &SessionKey) -> Result<bool, Abort>;
}

impl SessionsStore for Store {
    fn session(&self, key: &SessionKey) -> Result<Option<Session>, StoreError> {
        Ok(get::<StoredSession>(
            self.tree(TreeId::Sessions),
            TreeId::Sessions,
            &keys::secret(key),
        )?
        .map(Session::from))
    }

    fn session_keys_of(&self, user: UserId) -> Result<Vec<SessionKey>, StoreError> {
        self.tree(TreeId::SessionsByUser)
            .scan_prefix(keys::user(user))
            .map(|item| {
                let (k, _) = item?;
                keys::session_of_user_session(&k).ok_or_else(|| {
                    StoreError::corrupt("sessions_by_user", &k, "key is not 48 bytes")
                })
            })
            .collect()
    }

    fn all_sessions(&self) -> Result<Vec<Session>, StoreError> {
        self.tree(TreeId::Sessions)
            .iter()
            .map(|item| {
                let (k, v) = item?;
                decode(&k, &v)
            })
            .collect()
    }

    fn count_sessions(&self) -> usize {
        self.tree(TreeId::Sessions).len()
    }
}

impl SessionsTx for Tx<'_> {
    fn put_session(&self, s: &Session) -> Result<(), Abort> {
        let key = s.key();
        self.t(TreeId::Sessions)
            .insert(&keys::secret(&key), encode(s))?;
        self.t(TreeId::SessionsByUser)
            .insert(&keys::user_session(s.user_id, &key)[..], &[])?;
        Ok(())
    }

    fn touch_session(&self, s: &Session) -> Result<(), Abort> {
        let key = keys::secret(&s.key());
        if self.t(TreeId::Sessions).get(key)?.is_some() {
            self.t(TreeId::Sessions).insert(&key, encode(s))?;
        }
        Ok(())
    }

    fn delete_session(&self, user: UserId, key: &SessionKey) -> Result<bool, Abort> {
        self.t(TreeId::SessionsByUser)
            .remove(&keys::user_session(user, key)[..])?;
        Ok(self
            .t(TreeId::Sessions)
            .remove(&keys::secret(key))?
            .is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_touch_after_a_sign_out_does_not_bring_the_session_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), 0).unwrap();
        let (key, user) = (SessionKey([9; 32]), UserId::new(1));
        let mut s = Session::new(key, user, 10, 10, None, None);
        store.write_unflushed(|tx| tx.put_session(&s)).unwrap();
        // A request read the session, then the person signed out.
        store
            .write_unflushed(|tx| tx.delete_session(user, &key))
            .unwrap();
        s.last_seen_at_ms = 20;
        store.write_unflushed(|tx| tx.touch_session(&s)).unwrap();
        assert!(store.session(&key).unwrap().is_none());
        assert!(store.session_keys_of(user).unwrap().is_empty());
    }
}
