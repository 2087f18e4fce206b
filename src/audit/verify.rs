//! Recomputes the hash chain from the first record to the head.

use serde::{Deserialize, Serialize};

use crate::domain::audit::GENESIS;
use crate::store::{Store, StoreError};

/// The outcome of a verification: OK with the record count, or the first record that fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    pub ok: bool,
    pub records: u64,
    pub first_bad_seq: Option<u64>,
    pub reason: Option<String>,
}

impl VerifyReport {
    fn bad(records: u64, seq: u64, reason: impl Into<String>) -> Self {
        Self {
            ok: false,
            records,
            first_bad_seq: Some(seq),
            reason: Some(reason.into()),
        }
    }
}

/// Walks every record in order; stops at the first one that does not verify.
pub fn verify(store: &Store) -> Result<VerifyReport, StoreError> {
    let mut prev = GENESIS.to_owned();
    let mut n = 0u64;
    for (key_seq, rec) in store.audit_walk() {
        let expected = n + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(StoreError::Corrupt { reason, .. }) => {
                return Ok(VerifyReport::bad(
                    n,
                    key_seq,
                    format!("record is unreadable: {reason}"),
                ))
            }
            Err(e) => return Err(e),
        };
        if key_seq != expected {
            return Ok(VerifyReport::bad(
                n,
                expected,
                format!("record {expected} is missing (next stored is {key_seq})"),
            ));
        }
        if let Err(why) = rec.check(expected, &prev) {
            return Ok(VerifyReport::bad(n, expected, why));
        }
        prev = rec.hash;
        n = expected;
    }
    match store.audit_head()? {
        Some(h) if h.seq != n || h.hash != prev => Ok(VerifyReport::bad(
            n,
            n + 1,
            format!(
                "the chain ends at record {n} but the recorded head is record {}",
                h.seq
            ),
        )),
        None if n > 0 => Ok(VerifyReport::bad(
            n,
            n,
            "records exist but no head is recorded",
        )),
        _ => Ok(VerifyReport {
            ok: true,
            records: n,
            first_bad_seq: None,
            reason: None,
        }),
    }
}
