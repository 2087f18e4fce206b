//! One-time tokens (first-run setup, password reset, sign-in link), stored by the SHA-256 of the
//! secret.

use serde::{Deserialize, Serialize};

use super::{codec, keys, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::{SessionKey, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Creates the first admin.
    Setup,
    /// Sets a user's password.
    Reset,
    /// Signs a user in without a password (`auth.sign_in_links`), in the browser that asked.
    SignIn,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OneTimeToken {
    pub kind: TokenKind,
    pub user_id: Option<UserId>,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    /// A sign-in link's browser binding: the SHA-256 (hex) of the secret the asking browser
    /// keeps. The link works only together with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binding: Option<String>,
}

impl Store {
    fn token_keys_where(
        &self,
        kind: TokenKind,
        user: Option<UserId>,
    ) -> Result<Vec<SessionKey>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(TreeId::Tokens).iter() {
            let (k, v) = item?;
            let t: OneTimeToken = codec::decode(TreeId::Tokens, &k, &v)?;
            if t.kind == kind && (user.is_none() || t.user_id == user) {
                let b: [u8; 32] = k
                    .as_ref()
                    .try_into()
                    .map_err(|_| StoreError::corrupt("tokens", &k, "key is not 32 bytes"))?;
                out.push(SessionKey(b));
            }
        }
        Ok(out)
    }
}

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait TokensStore {
    fn token(&self, key: &SessionKey) -> Result<Option<OneTimeToken>, StoreError>;

    /// Every one-time token with its key (for purging expired ones).
    fn all_tokens(&self) -> Result<Vec<(SessionKey, OneTimeToken)>, StoreError>;

    /// Keys of all tokens of one kind, or only those of `user` (to retire older links).
    fn token_keys(&self, kind: TokenKind) -> Result<Vec<SessionKey>, StoreError>;

    /// Keys of the tokens of one kind issued for `user`.
    fn token_keys_of(&self, kind: TokenKind, user: UserId) -> Result<Vec<SessionKey>, StoreError>;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait TokensTx {
    fn put_token(&self, key: &SessionKey, t: &OneTimeToken) -> Result<(), Abort>;

    /// Removes and returns a token: a token can be taken once.
    fn take_token(&self, key: &SessionKey) -> Result<Option<OneTimeToken>, Abort>;

    fn delete_token(&self, key: &SessionKey) -> Result<(), Abort>;
}

impl TokensStore for Store {
    fn token(&self, key: &SessionKey) -> Result<Option<OneTimeToken>, StoreError> {
        super::get(
            self.tree(TreeId::Tokens),
            TreeId::Tokens,
            &keys::secret(key),
        )
    }

    fn all_tokens(&self) -> Result<Vec<(SessionKey, OneTimeToken)>, StoreError> {
        self.tree(TreeId::Tokens)
            .iter()
            .map(|item| {
                let (k, v) = item?;
                let key: [u8; 32] = k
                    .as_ref()
                    .try_into()
                    .map_err(|_| StoreError::corrupt("tokens", &k, "key is not 32 bytes"))?;
                Ok((SessionKey(key), codec::decode(TreeId::Tokens, &k, &v)?))
            })
            .collect()
    }

    fn token_keys(&self, kind: TokenKind) -> Result<Vec<SessionKey>, StoreError> {
        self.token_keys_where(kind, None)
    }

    fn token_keys_of(&self, kind: TokenKind, user: UserId) -> Result<Vec<SessionKey>, StoreError> {
        self.token_keys_where(kind, Some(user))
    }
}

impl TokensTx for Tx<'_> {
    fn put_token(&self, key: &SessionKey, t: &OneTimeToken) -> Result<(), Abort> {
        self.t(TreeId::Tokens)
            .insert(&keys::secret(key), codec::encode(t))?;
        Ok(())
    }

    fn take_token(&self, key: &SessionKey) -> Result<Option<OneTimeToken>, Abort> {
        let t = tx_get(self.t(TreeId::Tokens), TreeId::Tokens, &keys::secret(key))?;
        if t.is_some() {
            self.t(TreeId::Tokens).remove(&keys::secret(key))?;
        }
        Ok(t)
    }

    fn delete_token(&self, key: &SessionKey) -> Result<(), Abort> {
        self.t(TreeId::Tokens).remove(&keys::secret(key))?;
        Ok(())
    }
}
