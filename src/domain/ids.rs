//! Typed identifiers. Ids are UUIDv7 (time-ordered): 16 raw bytes in keys, hyphenated in JSON.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A user's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(Uuid);

impl UserId {
    /// A new id; `now_ms` orders ids by creation time.
    pub fn new(now_ms: i64) -> Self {
        let ts = uuid::Timestamp::from_unix(
            uuid::NoContext,
            (now_ms.max(0) / 1000) as u64,
            ((now_ms.max(0) % 1000) * 1_000_000) as u32,
        );
        Self(Uuid::new_v7(ts))
    }
    pub fn from_bytes(b: [u8; 16]) -> Self {
        Self(Uuid::from_bytes(b))
    }
    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for UserId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self)
    }
}

/// The store key of a session or a one-time token: SHA-256 of the secret the client holds.
/// The secret itself is never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionKey(pub [u8; 32]);
