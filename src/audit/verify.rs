//! Recomputes the hash chain from the first record to the head.

use crate::store::prelude::*;
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

/// Walks every record in order up to the head recorded when verification starts (records
/// appended meanwhile are left for the next run); stops at the first one that does not verify.
pub fn verify(store: &Store) -> Result<VerifyReport, StoreError> {
    let head = store.audit_head()?;
    let last = head.as_ref().map_or(0, |h| h.seq);
    let mut prev = GENESIS.to_owned();
    let mut n = 0u64;
    for (key_seq, rec) in store.audit_walk() {
        let expected = n + 1;
        if expected > last {
            if key_seq <= last {
                return Ok(VerifyReport::bad(n, key_seq, "a record is stored twice"));
            }
            break;
        }
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
    match head {
        Some(h) if n < h.seq => Ok(VerifyReport::bad(
            n,
            n + 1,
            format!(
                "the chain ends at record {n} but the recorded head is record {}",
                h.seq
            ),
        )),
        Some(h) if h.hash != prev => Ok(VerifyReport::bad(
            n,
            n,
            "the last record does not match the recorded head",
        )),
        None if store.count_audit() > 0 => Ok(VerifyReport::bad(
            0,
            1,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::AuditEvent;
    use crate::store::test_support::{self, temp_store};

    fn ev(n: i64) -> AuditEvent {
        test_support::event(n, "user.created")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn records_appended_while_verifying_do_not_break_it() {
        let (store, _dir) = temp_store();
        for n in 1..=50 {
            store.write(|tx| tx.append_audit(&ev(n))).await.unwrap();
        }
        let s2 = store.clone();
        let writer = tokio::spawn(async move {
            for n in 51..=250 {
                s2.write(|tx| tx.append_audit(&ev(n))).await.unwrap();
            }
        });
        let mut runs = 0;
        while !writer.is_finished() {
            let r = verify(&store).unwrap();
            assert!(r.ok, "{r:?}");
            runs += 1;
        }
        writer.await.unwrap();
        assert!(runs > 0);
        assert_eq!(verify(&store).unwrap().records, 250);
    }

    #[tokio::test]
    async fn an_empty_log_verifies() {
        let (store, _dir) = temp_store();
        assert_eq!(
            verify(&store).unwrap(),
            VerifyReport {
                ok: true,
                records: 0,
                first_bad_seq: None,
                reason: None
            }
        );
    }
}
