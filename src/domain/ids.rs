//! Typed identifiers. Ids are UUIDv7 (time-ordered): 16 raw bytes in keys, hyphenated in JSON.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Defines a UUIDv7 id newtype: 16 raw bytes in keys, hyphenated in JSON.
macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new id; `now_ms` orders ids by creation time.
            pub fn new(now_ms: i64) -> Self {
                let ms = now_ms.max(0);
                let ts = uuid::Timestamp::from_unix(uuid::NoContext, (ms / 1000) as u64, ((ms % 1000) * 1_000_000) as u32);
                Self(Uuid::new_v7(ts))
            }
            pub fn from_bytes(b: [u8; 16]) -> Self {
                Self(Uuid::from_bytes(b))
            }
            pub fn as_bytes(&self) -> &[u8; 16] {
                self.0.as_bytes()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// A user's id.
    UserId
);
uuid_id!(
    /// A client's id.
    ClientId
);
uuid_id!(
    /// A project's id.
    ProjectId
);
uuid_id!(
    /// A time entry's id.
    EntryId
);
uuid_id!(
    /// A task's id.
    TaskId
);
uuid_id!(
    /// A privacy request's id (the register).
    PrivacyRequestId
);
uuid_id!(
    /// A personal-data breach's id (the incident register).
    IncidentId
);
uuid_id!(
    /// A security event's id.
    EventId
);
uuid_id!(
    /// A legal hold's id.
    HoldId
);

/// The store key of a session or a one-time token: SHA-256 of the secret the client holds.
/// The secret itself is never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionKey(pub [u8; 32]);
