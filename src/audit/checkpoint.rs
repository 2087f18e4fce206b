//! Signed checkpoints of the audit chain: the head's sequence number and link hash, signed with
//! the instance's Ed25519 key, written as `checkpoint-<seq>.json` into a folder meant to be
//! copied off the machine. Checking a set of them against the store proves the chain still
//! extends every one — which a chain re-computed from scratch (a wholesale rewrite of the store)
//! cannot, since it would need the old link hashes. A link covers only the hash of a body, so a
//! redacted body leaves every checkpoint valid.

use crate::store::prelude::*;
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::key::CheckpointKey;
use super::VerifyReport;
use crate::store::{Store, StoreError};

/// The file format version of a checkpoint.
pub const FORMAT: u32 = 1;

/// One signed checkpoint, as written to its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub format: u32,
    /// The audit record the checkpoint covers (the head when it was made).
    pub seq: u64,
    /// That record's link hash: it commits to every record up to and including it.
    pub head: String,
    /// When it was signed, RFC 3339 UTC (informative; `at_ms` is what is signed).
    pub at: String,
    pub at_ms: i64,
    /// The signing instance's public key (hex); it identifies the instance. A verifier does not
    /// trust it: it checks against the key it was given or the instance's own.
    pub public_key: String,
    /// Ed25519 over [`Checkpoint::message`], hex.
    pub signature: String,
}

impl Checkpoint {
    /// What is signed: every field but the signature, in a fixed text form.
    pub fn message(seq: u64, head: &str, at_ms: i64, public_key: &str) -> Vec<u8> {
        format!("ophiontt audit checkpoint v{FORMAT}\nseq {seq}\nhead {head}\nat_ms {at_ms}\nkey {public_key}\n")
            .into_bytes()
    }

    /// Signs record `seq` whose link hash is `head`.
    pub fn sign(key: &CheckpointKey, seq: u64, head: &str, at_ms: i64) -> Checkpoint {
        let public_key = key.public_hex();
        let signature = key.sign_hex(&Self::message(seq, head, at_ms, &public_key));
        Checkpoint {
            format: FORMAT,
            seq,
            head: head.to_owned(),
            at: chrono::DateTime::from_timestamp_millis(at_ms)
                .unwrap_or_default()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            at_ms,
            public_key,
            signature,
        }
    }

    /// Checks the signature under `key` (never under the key the file names).
    pub fn check_signature(&self, key: &VerifyingKey) -> Result<(), String> {
        let want = hex::encode(key.to_bytes());
        if self.public_key != want {
            return Err(format!(
                "bad signature: signed by key {}…, not the expected key {}…",
                short(&self.public_key),
                short(&want)
            ));
        }
        let mut sig = [0u8; 64];
        hex::decode_to_slice(&self.signature, &mut sig)
            .map_err(|_| "bad signature: not 128 hex digits".to_owned())?;
        let msg = Self::message(self.seq, &self.head, self.at_ms, &self.public_key);
        key.verify_strict(&msg, &Signature::from_bytes(&sig))
            .map_err(|_| "bad signature: the signature does not match the checkpoint's contents (altered or forged)".to_owned())
    }

    /// The file name: sorts by `seq`.
    pub fn file_name(&self) -> String {
        format!("checkpoint-{:020}.json", self.seq)
    }
}

fn short(hex: &str) -> &str {
    hex.get(..12).unwrap_or(hex)
}

/// A checkpoint that did not hold, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointFailure {
    /// The file it came from.
    pub name: String,
    pub seq: Option<u64>,
    pub reason: String,
}

/// The outcome of checking checkpoints against the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointReport {
    pub ok: bool,
    /// The chain itself, recomputed from the first record.
    pub chain: VerifyReport,
    /// Checkpoints that held.
    pub passed: usize,
    /// The newest checkpoint that held.
    pub newest_seq: Option<u64>,
    /// Those that did not, in sequence order (files that are not checkpoints first).
    pub failures: Vec<CheckpointFailure>,
}

/// A checkpoint file's name and content, or why it could not be read.
pub type Named = (String, Result<Checkpoint, String>);

/// Checks each checkpoint: its signature under `key`, that the store still holds its record, and
/// that the record's link hash is the one signed; and recomputes the chain.
pub fn check(
    store: &Store,
    items: &[Named],
    key: &VerifyingKey,
) -> Result<CheckpointReport, StoreError> {
    let chain = super::verify(store)?;
    let head = store.audit_head()?;
    let head_seq = head.as_ref().map_or(0, |h| h.seq);
    let mut sorted: Vec<&Named> = items.iter().collect();
    sorted.sort_by_key(|(name, c)| (c.as_ref().map(|c| c.seq).ok(), name.clone()));
    let mut failures = Vec::new();
    let mut passed = 0;
    let mut newest_seq = None;
    for (name, c) in sorted {
        let fail = |seq: Option<u64>, reason: String| CheckpointFailure {
            name: name.clone(),
            seq,
            reason,
        };
        let c = match c {
            Ok(c) => c,
            Err(why) => {
                failures.push(fail(None, why.clone()));
                continue;
            }
        };
        let reason = if let Err(why) = c.check_signature(key) {
            Some(why)
        } else if c.seq > head_seq {
            Some(format!(
                "seq beyond the head: the checkpoint covers record {} but the chain ends at record {head_seq} (the store was rolled back or replaced)",
                c.seq
            ))
        } else {
            match store.audit_record(c.seq) {
                Ok(None) => Some(format!(
                    "the chain no longer contains it: record {} is missing",
                    c.seq
                )),
                Ok(Some(r)) if r.hash != c.head => Some(format!(
                    "the chain no longer contains it: record {}'s link is {}…, the checkpoint signed {}… (the log was rewritten)",
                    c.seq,
                    short(&r.hash),
                    short(&c.head)
                )),
                Ok(Some(_)) => None,
                Err(StoreError::Corrupt { reason, .. }) => Some(format!(
                    "the chain no longer contains it: record {} is unreadable ({reason})",
                    c.seq
                )),
                Err(e) => return Err(e),
            }
        };
        match reason {
            Some(r) => failures.push(fail(Some(c.seq), r)),
            None => {
                passed += 1;
                newest_seq = newest_seq.max(Some(c.seq));
            }
        }
    }
    Ok(CheckpointReport {
        ok: chain.ok && failures.is_empty(),
        chain,
        passed,
        newest_seq,
        failures,
    })
}

/// Writes `c` into `dir` (made if missing) through a temporary file, then renames it.
pub fn write(dir: &Path, c: &Checkpoint) -> Result<PathBuf, String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(c.file_name());
    let tmp = dir.join(format!(".{}.part", c.file_name()));
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut bytes = serde_json::to_vec_pretty(c).map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    // Readable by the owner's group too: a shipping agent may run under another account.
    // Nothing in it is secret.
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o640)
        .open(&tmp)
        .map_err(fail)?;
    f.write_all(&bytes)
        .and_then(|_| f.sync_all())
        .map_err(fail)?;
    std::fs::rename(&tmp, &path).map_err(fail)?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(fail)?;
    Ok(path)
}

/// Reads every `*.json` file in `dir` as a checkpoint, in name order.
pub fn read_dir(dir: &Path) -> Result<Vec<Named>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut out: Vec<Named> = Vec::new();
    for e in entries {
        let e = e.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".json") || name.starts_with('.') {
            continue;
        }
        let parsed = std::fs::read(e.path())
            .map_err(|err| format!("unreadable: {err}"))
            .and_then(|b| {
                serde_json::from_slice::<Checkpoint>(&b)
                    .map_err(|err| format!("not a checkpoint file: {err}"))
            })
            .and_then(|c| {
                if c.format == FORMAT {
                    Ok(c)
                } else {
                    Err(format!("unknown checkpoint format {}", c.format))
                }
            });
        out.push((name, parsed));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The newest checkpoint in `dir` by sequence number, if any reads.
pub fn newest_in(dir: &Path) -> Option<Checkpoint> {
    read_dir(dir)
        .ok()?
        .into_iter()
        .filter_map(|(_, c)| c.ok())
        .max_by_key(|c| c.seq)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::key::{instance_public, KEY_FILE};
    use crate::domain::audit::{AuditRecord, GENESIS};
    use crate::store::test_support::{self, temp_store};

    #[tokio::test]
    async fn checkpoints_hold_until_the_chain_is_rewritten_or_rolled_back() {
        let (store, dir) = temp_store();
        for n in 1..=5 {
            let ev = test_support::event(n, "user.created");
            store.write(|tx| tx.append_audit(&ev)).await.unwrap();
        }
        let kp = dir.path().join("keys").join(KEY_FILE);
        let key = CheckpointKey::load_or_create(&kp).unwrap();
        let pubkey = instance_public(&kp).unwrap();
        let head = store.audit_head().unwrap().unwrap();
        let c = Checkpoint::sign(&key, head.seq, &head.hash, 1_000);
        let items = vec![(c.file_name(), Ok(c.clone()))];
        let r = check(&store, &items, &pubkey).unwrap();
        assert!(r.ok, "{r:?}");
        assert_eq!((r.passed, r.newest_seq), (1, Some(5)));

        // Seq beyond the head: a store from before the checkpoint.
        let mut later = c.clone();
        later.seq = 9;
        let later = Checkpoint::sign(&key, 9, &later.head, 1_000);
        let r = check(&store, &[("x".into(), Ok(later))], &pubkey).unwrap();
        assert!(
            r.failures[0].reason.contains("seq beyond the head"),
            "{r:?}"
        );

        // A different head at that seq: the chain does not contain it.
        let other = AuditRecord::seal(&test_support::event(1, "user.updated"), 5, GENESIS);
        let forged = Checkpoint::sign(&key, 5, &other.hash, 1_000);
        let r = check(&store, &[("y".into(), Ok(forged))], &pubkey).unwrap();
        assert!(
            r.failures[0].reason.contains("no longer contains it"),
            "{r:?}"
        );

        // A changed field without a new signature.
        let mut tampered = c.clone();
        tampered.seq = 4;
        let r = check(&store, &[("z".into(), Ok(tampered))], &pubkey).unwrap();
        assert!(r.failures[0].reason.starts_with("bad signature"), "{r:?}");
    }

    #[test]
    fn redacting_a_body_keeps_the_link_a_checkpoint_signed() {
        let dir = tempfile::tempdir().unwrap();
        let key = CheckpointKey::load_or_create(&dir.path().join(KEY_FILE)).unwrap();
        let mut rec = AuditRecord::seal(&test_support::event(1, "user.created"), 1, GENESIS);
        let c = Checkpoint::sign(&key, 1, &rec.hash, 5);
        rec.redact();
        assert!(rec.check(1, GENESIS).is_ok());
        assert_eq!(rec.hash, c.head);
    }
}
