//! Backup files at rest, for the CLI with the server stopped or elsewhere: naming, listing,
//! verifying and restoring into a new or empty data folder. No store is open (a restore makes
//! one), so these are the `backup` mechanism's own functions, offered here so that transports
//! reach every backup use through the service layer. After a restore the CLI opens the store
//! and re-applies the erasure ledger (`svc.privacy().reapply_ledger`).

pub use crate::backup::{
    file_name, list, restore, verify, BackupError, BackupFile, Decrypt, Header, Progress,
};
