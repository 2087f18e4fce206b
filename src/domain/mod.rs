//! Pure types and rules: ids, users and roles, validation, the audit chain's hashing.
//! No I/O here: nothing in `domain` may touch sled, poem, files, the network or the clock.

pub mod access;
pub mod approval;
pub mod audit;
pub mod billing;
pub mod codes;
pub mod error;
pub mod hold;
pub mod ids;
pub mod incident;
pub mod incident_text;
pub mod jobs;
pub mod mail;
pub mod notice;
pub mod outbox;
pub mod overlap;
pub mod privacy;
pub mod quickadd;
pub mod range;
pub mod report;
pub mod retention;
pub mod role;
pub mod security;
pub mod tickets;
pub mod time;
pub mod token;
pub mod tracking;
pub mod user;
pub mod webhook;

pub use error::{DomainError, FieldError};
pub use ids::{
    ClientId, EntryId, EventId, HoldId, IncidentId, PrivacyRequestId, ProjectId, SessionKey,
    TaskId, UserId,
};
pub use role::{Permission, Role};
