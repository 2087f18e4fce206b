//! Personal API tokens and calendar subscriptions (`api_tokens`): SHA-256 of the secret → the
//! token. The secret itself is only ever shown to its owner, once. A person holds a handful, so
//! their list is a scan of the tree rather than an index to keep in step.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{codec, get, keys, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::token::{ApiToken, CalendarFeed, Scope, Scopes};
use crate::domain::{SessionKey, UserId};

/// The `api_tokens` tree's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StoredApiToken {
    id: Uuid,
    user_id: Uuid,
    name: String,
    scopes: Vec<String>,
    created_at_ms: i64,
    expires_at_ms: i64,
    #[serde(default)]
    last_used_at_ms: Option<i64>,
    #[serde(default)]
    last_used_ip: Option<String>,
    #[serde(default)]
    revoked_at_ms: Option<i64>,
    #[serde(default)]
    revoked_by: Option<String>,
    /// Present for a calendar subscription; `project` is the project it shows, if one.
    #[serde(default)]
    calendar: Option<StoredFeed>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StoredFeed {
    #[serde(default)]
    project: Option<Uuid>,
}

impl From<&ApiToken> for StoredApiToken {
    fn from(t: &ApiToken) -> Self {
        Self {
            id: t.id,
            user_id: Uuid::from_bytes(*t.user_id.as_bytes()),
            name: t.name.clone(),
            scopes: t.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
            created_at_ms: t.created_at_ms,
            expires_at_ms: t.expires_at_ms,
            last_used_at_ms: t.last_used_at_ms,
            last_used_ip: t.last_used_ip.clone(),
            revoked_at_ms: t.revoked_at_ms,
            revoked_by: t.revoked_by.clone(),
            calendar: t.calendar.as_ref().map(|c| StoredFeed {
                project: c.project_id.map(Uuid::from),
            }),
        }
    }
}

impl StoredApiToken {
    fn into_token(self, k: &[u8]) -> Result<ApiToken, StoreError> {
        let mut scopes = Vec::new();
        for s in &self.scopes {
            scopes.push(Scope::parse(s).ok_or_else(|| {
                StoreError::corrupt("api_tokens", k, format!("unknown scope `{s}`"))
            })?);
        }
        Ok(ApiToken {
            id: self.id,
            user_id: UserId::from(self.user_id),
            name: self.name,
            scopes: Scopes::new(&scopes),
            created_at_ms: self.created_at_ms,
            expires_at_ms: self.expires_at_ms,
            last_used_at_ms: self.last_used_at_ms,
            last_used_ip: self.last_used_ip,
            revoked_at_ms: self.revoked_at_ms,
            revoked_by: self.revoked_by,
            calendar: self.calendar.map(|c| CalendarFeed {
                project_id: c.project.map(Into::into),
            }),
        })
    }
}

fn decode(k: &[u8], v: &[u8]) -> Result<ApiToken, StoreError> {
    codec::decode::<StoredApiToken>(TreeId::ApiTokens, k, v)?.into_token(k)
}

fn key_of(k: &[u8]) -> Result<SessionKey, StoreError> {
    let b: [u8; 32] = k
        .try_into()
        .map_err(|_| StoreError::corrupt("api_tokens", k, "key is not 32 bytes"))?;
    Ok(SessionKey(b))
}

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait ApiTokensStore {
    /// The token whose secret hashes to `key`.
    fn api_token(&self, key: &SessionKey) -> Result<Option<ApiToken>, StoreError>;

    /// Every token with its key, oldest first per person, filtered by `keep`.
    fn api_tokens_where(
        &self,
        keep: impl Fn(&ApiToken) -> bool,
    ) -> Result<Vec<(SessionKey, ApiToken)>, StoreError>;
}

/// What a write transaction does in this area; a change checks the record as read.
pub trait ApiTokensTx {
    fn api_token(&self, key: &SessionKey) -> Result<Option<ApiToken>, Abort>;

    /// Stores a new token.
    fn put_api_token(&self, key: &SessionKey, t: &ApiToken) -> Result<(), Abort>;

    /// Replaces `before` with `after`; `Stale` if it changed or went since it was read.
    fn update_api_token(
        &self,
        key: &SessionKey,
        before: &ApiToken,
        after: &ApiToken,
    ) -> Result<(), Abort>;

    /// Stores a token's last use, unless it was revoked or removed meanwhile: a touch never
    /// brings a token back.
    fn touch_api_token(&self, key: &SessionKey, t: &ApiToken) -> Result<(), Abort>;

    /// Removes a token; true when it existed.
    fn delete_api_token(&self, key: &SessionKey) -> Result<bool, Abort>;
}

impl ApiTokensStore for Store {
    fn api_token(&self, key: &SessionKey) -> Result<Option<ApiToken>, StoreError> {
        let k = keys::secret(key);
        match get::<StoredApiToken>(self.tree(TreeId::ApiTokens), TreeId::ApiTokens, &k)? {
            Some(s) => Ok(Some(s.into_token(&k)?)),
            None => Ok(None),
        }
    }

    fn api_tokens_where(
        &self,
        keep: impl Fn(&ApiToken) -> bool,
    ) -> Result<Vec<(SessionKey, ApiToken)>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(TreeId::ApiTokens).iter() {
            let (k, v) = item?;
            let t = decode(&k, &v)?;
            if keep(&t) {
                out.push((key_of(&k)?, t));
            }
        }
        out.sort_by_key(|(_, t)| (t.user_id, t.created_at_ms, t.id));
        Ok(out)
    }
}

impl ApiTokensTx for Tx<'_> {
    fn api_token(&self, key: &SessionKey) -> Result<Option<ApiToken>, Abort> {
        let k = keys::secret(key);
        match tx_get::<StoredApiToken>(self.t(TreeId::ApiTokens), TreeId::ApiTokens, &k)? {
            Some(s) => Ok(Some(s.into_token(&k)?)),
            None => Ok(None),
        }
    }

    fn put_api_token(&self, key: &SessionKey, t: &ApiToken) -> Result<(), Abort> {
        self.t(TreeId::ApiTokens)
            .insert(&keys::secret(key), codec::encode(&StoredApiToken::from(t)))?;
        Ok(())
    }

    fn update_api_token(
        &self,
        key: &SessionKey,
        before: &ApiToken,
        after: &ApiToken,
    ) -> Result<(), Abort> {
        if ApiTokensTx::api_token(self, key)?.as_ref() != Some(before) {
            return Err(super::stale(TreeId::ApiTokens));
        }
        self.put_api_token(key, after)
    }

    fn touch_api_token(&self, key: &SessionKey, t: &ApiToken) -> Result<(), Abort> {
        let live = ApiTokensTx::api_token(self, key)?;
        if live.is_some_and(|l| l.revoked_at_ms.is_none()) {
            self.put_api_token(key, t)?;
        }
        Ok(())
    }

    fn delete_api_token(&self, key: &SessionKey) -> Result<bool, Abort> {
        Ok(self
            .t(TreeId::ApiTokens)
            .remove(&keys::secret(key))?
            .is_some())
    }
}
