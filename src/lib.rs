//! OphionTT: a self-hosted time tracker for IT teams, with compliance built in.
//! Layers: `http` → `service` → `store`/`audit`; `domain` holds pure types used by all.
#![forbid(unsafe_code)]

pub mod adminsock;
pub mod app;
pub mod audit;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod export;
pub mod http;
pub mod import;
pub mod jobs;
pub mod logging;
pub mod memory;
pub mod outbound;
pub mod service;
pub mod store;
pub mod tls;
