//! The audit chain over the store: verification, signed checkpoints of its head (and, with the
//! retention issue, redaction). Appending happens inside store write transactions; the hashing
//! rule is `domain::audit`.

pub mod checkpoint;
pub mod key;
mod verify;

pub use checkpoint::{Checkpoint, CheckpointFailure, CheckpointReport};
pub use key::CheckpointKey;
pub use verify::{verify, VerifyReport};
