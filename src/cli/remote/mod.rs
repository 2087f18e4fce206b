//! The terminal client (`ophiontt login`, `logout`, `timer …`): a running server's HTTP API
//! with a personal API token, never the store or the admin socket. `client` sends requests and
//! explains failures, `creds` keeps the server and token, `show` writes what comes back for a
//! person (or as JSON for a script).

mod client;
mod creds;
mod show;

pub use client::{
    block_on, normalize_url, plain_http_elsewhere, Auth, ClientError, Remote, Result, Token,
};
pub use creds::{RemoteArgs, Stored};
pub use show::*;

/// Credentials file operations, under their own names (`creds::path()` …).
pub mod file {
    pub use super::creds::{load, path, remove, resolve, save};
}
