//! The `audit` tree: append inside a write transaction, read pages, walk the whole chain.
//! The chain's hashing rule lives in `domain::audit`; verification in `crate::audit`.

use super::prelude::*;
use serde::{Deserialize, Serialize};

use super::{codec, keys, trees::meta, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::audit::{AuditEvent, AuditFilter, AuditRecord, GENESIS};
use crate::domain::codes;

/// The newest record's sequence number and hash, kept in `meta` so an append needs no scan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditHead {
    pub seq: u64,
    pub hash: String,
}

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait AuditStore {
    /// Up to `limit` records from `from_seq` on, in chain order.
    fn audit_from(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditRecord>, StoreError>;

    fn audit_head(&self) -> Result<Option<AuditHead>, StoreError>;

    /// Newest first, starting below `before` (exclusive); returns the page and the next cursor.
    fn audit_page(
        &self,
        before: Option<u64>,
        limit: usize,
        filter: &AuditFilter,
    ) -> Result<(Vec<AuditRecord>, Option<u64>), StoreError>;

    /// Records appended in `[from_ms, to_ms)` that `keep` accepts, oldest first.
    fn audit_between(
        &self,
        from_ms: i64,
        to_ms: i64,
        keep: impl Fn(&AuditRecord) -> bool,
    ) -> Result<Vec<AuditRecord>, StoreError>;

    /// Every stored record in key order, each decoded or reported with its key's number.
    fn audit_walk(&self) -> impl Iterator<Item = (u64, Result<AuditRecord, StoreError>)> + '_;

    /// Like [`Store::audit_walk`], from sequence number `from` on.
    fn audit_walk_from(
        &self,
        from: u64,
    ) -> impl Iterator<Item = (u64, Result<AuditRecord, StoreError>)> + '_;

    /// The record with sequence number `seq`, if stored.
    fn audit_record(&self, seq: u64) -> Result<Option<AuditRecord>, StoreError>;

    fn count_audit(&self) -> usize;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait AuditTx {
    /// Appends `ev` to the chain; returns its sequence number.
    ///
    /// A change made by a person commits only while their account exists and is enabled: a
    /// request that signed in before an erasure or a disable and writes after it is refused
    /// (`auth.account_gone`) rather than leaving data behind under a removed account.
    fn append_audit(&self, ev: &AuditEvent) -> Result<u64, Abort>;

    /// Drops a record's body and IP, keeping their hash (the chain still verifies). Returns
    /// whether there was anything to redact.
    fn redact_audit(&self, seq: u64) -> Result<bool, Abort>;
}

impl AuditTx for Tx<'_> {
    fn append_audit(&self, ev: &AuditEvent) -> Result<u64, Abort> {
        if let Some(id) = ev.actor.strip_prefix("user:") {
            let active = match id.parse() {
                Ok(id) => self.user(id)?.is_some_and(|r| !r.user.disabled),
                Err(_) => false,
            };
            if !active {
                return Err(super::conflict(codes::ACCOUNT_GONE));
            }
        }
        let head: Option<AuditHead> = tx_get(self.t(TreeId::Meta), TreeId::Meta, meta::AUDIT_HEAD)?;
        let (seq, prev) = match head {
            Some(h) => (h.seq + 1, h.hash),
            None => (1, GENESIS.to_owned()),
        };
        let rec = AuditRecord::seal(ev, seq, &prev);
        self.t(TreeId::Audit)
            .insert(&keys::seq(seq), codec::encode(&rec))?;
        self.t(TreeId::Meta).insert(
            meta::AUDIT_HEAD,
            codec::encode(&AuditHead {
                seq,
                hash: rec.hash.clone(),
            }),
        )?;
        Ok(seq)
    }

    fn redact_audit(&self, seq: u64) -> Result<bool, Abort> {
        let Some(mut rec) =
            tx_get::<AuditRecord>(self.t(TreeId::Audit), TreeId::Audit, &keys::seq(seq))?
        else {
            return Ok(false);
        };
        if rec.body.is_none() && rec.ip.is_none() {
            return Ok(false);
        }
        rec.redact();
        self.t(TreeId::Audit)
            .insert(&keys::seq(seq), codec::encode(&rec))?;
        Ok(true)
    }
}

impl AuditStore for Store {
    fn audit_from(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditRecord>, StoreError> {
        let mut out = Vec::with_capacity(limit);
        for item in self.tree(TreeId::Audit).range(keys::seq(from_seq)..) {
            let (k, v) = item?;
            out.push(codec::decode(TreeId::Audit, &k, &v)?);
            if out.len() == limit {
                break;
            }
        }
        Ok(out)
    }

    fn audit_head(&self) -> Result<Option<AuditHead>, StoreError> {
        super::get(self.tree(TreeId::Meta), TreeId::Meta, meta::AUDIT_HEAD)
    }

    fn audit_page(
        &self,
        before: Option<u64>,
        limit: usize,
        filter: &AuditFilter,
    ) -> Result<(Vec<AuditRecord>, Option<u64>), StoreError> {
        let end = keys::seq(before.unwrap_or(u64::MAX));
        let mut out: Vec<AuditRecord> = Vec::new();
        for item in self.tree(TreeId::Audit).range(..end).rev() {
            let (k, v) = item?;
            let r: AuditRecord = codec::decode(TreeId::Audit, &k, &v)?;
            if let Some(from) = filter.from_ms {
                // Records are appended in time order, so nothing older can match.
                if r.at_ms < from.saturating_sub(60_000) {
                    break;
                }
            }
            if !filter.matches(&r) {
                continue;
            }
            if out.len() == limit {
                let cursor = out.last().map(|r| r.seq);
                return Ok((out, cursor));
            }
            out.push(r);
        }
        Ok((out, None))
    }

    fn audit_between(
        &self,
        from_ms: i64,
        to_ms: i64,
        keep: impl Fn(&AuditRecord) -> bool,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(TreeId::Audit).iter().rev() {
            let (k, v) = item?;
            let r: AuditRecord = codec::decode(TreeId::Audit, &k, &v)?;
            // Appended in time order (give or take a clock step), so nothing older matches.
            if r.at_ms < from_ms.saturating_sub(60_000) {
                break;
            }
            if r.at_ms >= from_ms && r.at_ms < to_ms && keep(&r) {
                out.push(r);
            }
        }
        out.reverse();
        Ok(out)
    }

    fn audit_walk(&self) -> impl Iterator<Item = (u64, Result<AuditRecord, StoreError>)> + '_ {
        self.audit_walk_from(0)
    }

    fn audit_walk_from(
        &self,
        from: u64,
    ) -> impl Iterator<Item = (u64, Result<AuditRecord, StoreError>)> + '_ {
        let tree = self.tree(TreeId::Audit);
        tree.range(keys::seq(from)..).map(move |item| {
            // Moved in, so the iterator keeps the engine it reads open (see `TreeRef`).
            let _engine = &tree;
            match item {
                Ok((k, v)) => {
                    let seq = keys::seq_from(&k).unwrap_or(0);
                    (seq, codec::decode(TreeId::Audit, &k, &v))
                }
                Err(e) => (0, Err(StoreError::Sled(e))),
            }
        })
    }

    fn audit_record(&self, seq: u64) -> Result<Option<AuditRecord>, StoreError> {
        super::get(self.tree(TreeId::Audit), TreeId::Audit, &keys::seq(seq))
    }

    fn count_audit(&self) -> usize {
        self.tree(TreeId::Audit).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{self, temp_store};

    fn ev(n: i64) -> AuditEvent {
        let action = if n % 2 == 0 {
            "user.created"
        } else {
            "user.updated"
        };
        test_support::event(n, action)
    }

    #[tokio::test]
    async fn appends_chain_and_pages_newest_first_with_filters() {
        let (store, _dir) = temp_store();
        for n in 1..=7 {
            let seq = store.write(|tx| tx.append_audit(&ev(n))).await.unwrap();
            assert_eq!(seq, n as u64);
        }
        let (page, next) = store.audit_page(None, 3, &AuditFilter::default()).unwrap();
        assert_eq!(
            page.iter().map(|r| r.seq).collect::<Vec<_>>(),
            vec![7, 6, 5]
        );
        assert_eq!(next, Some(5));
        let (page, _) = store.audit_page(next, 3, &AuditFilter::default()).unwrap();
        assert_eq!(page[0].seq, 4);
        let f = AuditFilter {
            action: Some("user.created".into()),
            ..Default::default()
        };
        let (page, next) = store.audit_page(None, 10, &f).unwrap();
        assert_eq!(
            page.iter().map(|r| r.seq).collect::<Vec<_>>(),
            vec![6, 4, 2]
        );
        assert_eq!(next, None);
        assert_eq!(store.audit_head().unwrap().unwrap().seq, 7);
    }
}
