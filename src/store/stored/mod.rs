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

mod compliance;
mod session;
mod tracking;
mod user;

pub use compliance::{StoredHold, StoredJobRun, StoredPrivacyFlags, StoredSecurityEvent};
pub use session::StoredSession;
pub use tracking::{StoredClient, StoredEntry, StoredProject, StoredTask};
pub use user::StoredUserRecord;
