//! Stored layout of a server-side session.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::store::Session;

/// The `sessions` tree's value (its key is the SHA-256 of the cookie's token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSession {
    pub key_hex: String,
    pub user_id: Uuid,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    #[serde(default)]
    pub ip: Option<String>,
    #[serde(default)]
    pub user_agent: Option<String>,
}

impl From<&Session> for StoredSession {
    fn from(s: &Session) -> Self {
        Self {
            key_hex: s.key_hex.clone(),
            user_id: s.user_id.into(),
            created_at_ms: s.created_at_ms,
            last_seen_at_ms: s.last_seen_at_ms,
            ip: s.ip.clone(),
            user_agent: s.user_agent.clone(),
        }
    }
}

impl From<StoredSession> for Session {
    fn from(s: StoredSession) -> Self {
        Self {
            key_hex: s.key_hex,
            user_id: s.user_id.into(),
            created_at_ms: s.created_at_ms,
            last_seen_at_ms: s.last_seen_at_ms,
            ip: s.ip,
            user_agent: s.user_agent,
        }
    }
}
