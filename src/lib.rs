//! OphionTT: a self-hosted time tracker for IT teams, with compliance built in.
//! Layers: `http` → `service` → `store`/`audit`; `domain` holds pure types used by all.
#![forbid(unsafe_code)]

pub mod domain;
pub mod store;
