//! Store errors. Lower layers return these; the caller that handles one logs it.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage engine error: {0}")]
    Sled(#[from] sled::Error),
    #[error("stored record in tree `{tree}` at key {key_hex} is unreadable: {reason}")]
    Corrupt {
        tree: &'static str,
        key_hex: String,
        reason: String,
    },
    /// A write of an entry into a week that is approved or locked (`store::weeks`): the
    /// week's Monday and its state.
    #[error("the week of {monday} is {state}")]
    WeekLocked {
        monday: chrono::NaiveDate,
        state: &'static str,
    },
    /// A business conflict detected inside a transaction; the code is the API problem code.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("the store was written by a newer ophiontt (schema {found} > {supported}); upgrade ophiontt first")]
    SchemaTooNew { found: u32, supported: u32 },
    #[error("{0}")]
    Refused(String),
    /// The store refuses writes after an I/O error until it has recovered (`store/health.rs`).
    #[error("the store cannot write to disk ({}): {detail}", cause.code())]
    Unavailable { cause: super::Cause, detail: String },
    #[error("I/O error on {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("durable flush failed; the write may not be on disk")]
    FlushFailed,
    /// A record in tree `{0}` changed between the read a change was computed from and the
    /// transaction that writes it. The service layer re-reads and tries again.
    #[error("a record in tree `{0}` changed while this change was being made")]
    Stale(&'static str),
}

impl StoreError {
    /// The problem code when this error means the disk cannot be written or read right now
    /// (`store.disk_full`, `store.unavailable`), whether the write path or a read met it.
    pub fn unavailable_code(&self) -> Option<&'static str> {
        match self {
            StoreError::Unavailable { cause, .. } => Some(cause.code()),
            StoreError::Sled(e) => super::health::classify(e).map(|(c, _)| c.code()),
            _ => None,
        }
    }

    pub(crate) fn corrupt(tree: &'static str, key: &[u8], reason: impl ToString) -> Self {
        StoreError::Corrupt {
            tree,
            key_hex: hex::encode(key),
            reason: reason.to_string(),
        }
    }
}
