//! Storage structs: the layout of each record kind on disk, owned by the store.
//!
//! A domain type (`domain::tracking::Entry` …) is what the program works with; its `Stored…`
//! twin here is what a sled value holds (JSON behind the codec's format tag, `codec.rs`). The
//! store's methods take and return domain types and convert at the edge with `From`, both ways,
//! so renaming a domain field, changing its type or its serde attributes cannot change what is
//! on disk or stop old data from reading: only a change in this module can, and the golden
//! fixtures (`golden.rs`, tests/golden/) fail when it does.
//!
//! Rules for a change here: a new field takes `#[serde(default)]` (old records lack it) and needs
//! no migration; anything else (a rename, a removal, a new meaning) needs a migration in
//! `migrate.rs` and new golden fixtures, the old ones kept readable (docs/admin-guide.md,
//! "Stored formats"). Field order is the JSON order: keep it.
//!
//! Plain types only: ids are `Uuid`, names and emails `String`, enums have their own stored
//! twin, so no domain type's serde shape leaks into a stored value.
//! Calendar dates are chrono's `NaiveDate` (ISO 8601 `2026-01-20`).
//!
//! Two kinds of value have no twin here, on purpose: the store's own types, defined beside the
//! tree they live in (one-time tokens, the erasure ledger, the notice stamp, the audit head,
//! retention overrides, tag counts), which no other layer shapes; and audit records, whose JSON
//! is the very text the chain hashes, so its one definition is `domain::audit` and any change to
//! it is a chain break the golden fixtures and `ophiontt audit verify` both catch.

/// Maps an enum to its stored twin and back, variant by variant.
macro_rules! twin {
    ($domain:ident <=> $stored:ident { $($v:ident),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $stored { $($v),+ }

        impl From<$domain> for $stored {
            fn from(x: $domain) -> Self {
                match x { $($domain::$v => Self::$v),+ }
            }
        }

        impl From<$stored> for $domain {
            fn from(x: $stored) -> Self {
                match x { $($stored::$v => Self::$v),+ }
            }
        }
    };
}

mod compliance;
mod incident;
mod privacy;
mod session;
mod tracking;
mod user;
mod week;

pub use compliance::{StoredHold, StoredJobRun, StoredPrivacyFlags, StoredSecurityEvent};
pub use incident::StoredIncident;
pub use privacy::StoredPrivacyRequest;
pub use session::StoredSession;
pub use tracking::{StoredClient, StoredEntry, StoredProject, StoredTask};
pub use user::StoredUserRecord;
pub use week::StoredWeek;
