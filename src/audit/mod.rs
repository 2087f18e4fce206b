//! The audit chain over the store: verification (and, with the retention issue, redaction).
//! Appending happens inside store write transactions; the hashing rule is `domain::audit`.

mod verify;

pub use verify::{verify, VerifyReport};
