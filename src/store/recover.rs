//! Recovery after an I/O error, in-process: reopen the sled folder, check it, prove a write.
//!
//! An I/O error during a flush leaves sled 0.34 with a sticky error that only a new page cache
//! clears: every `Db` and `Tree` handle dropped, the folder opened again. A supervisor thread
//! (one per store, asleep while it is healthy) tries once a second while the store is unhealthy:
//!
//! 1. probe: write and sync a few MiB beside the store; if the disk still refuses, wait;
//! 2. take the write gate exclusively, so no transaction runs on either engine;
//! 3. close the slot (new readers wait) and wait until no reader holds the old engine; if
//!    some still do after a few seconds, open the slot again and retry later;
//! 4. drop the old engine (its flusher stops; waiters still queued on it are told their write
//!    failed) and open the folder again;
//! 5. verify the reopened store: the marker, the schema version, the audit head against the
//!    newest audit record, and against the head the last successful flush covered (writes
//!    acknowledged before the outage must all be there; unacknowledged ones may have vanished,
//!    which is allowed: none of them was answered with a 2xx);
//! 6. install it, append a `store.recovered` audit record (start, end, cause) and flush it: the
//!    write that proves the disk takes writes again; then mark the store healthy.
//!
//! A write is only ever confirmed by the flusher of the engine it committed to, so nothing a
//! failed engine held in memory is acknowledged by a flush of its replacement.

use super::prelude::*;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use super::audit::AuditHead;
use super::health::{self, Episode};
use super::trees::meta;
use super::{codec, keys, marker, migrate, Engine, Inner, Store, TreeId};
use crate::domain::audit::{AuditEvent, AuditRecord};

/// How often an unhealthy store tries to recover.
const RETRY_EVERY: Duration = Duration::from_secs(1);
/// How long a recovery waits for readers of the old engine to finish before it gives way
/// (new readers wait meanwhile, so keep it short)…
const READERS_WAIT: Duration = Duration::from_secs(2);
/// …and the longest pause between attempts after giving way.
const BUSY_BACKOFF_MAX: Duration = Duration::from_secs(30);

/// Why an attempt did not end the outage.
enum NotYet {
    /// Readers held the old engine too long; nothing was changed.
    Busy(String),
    /// The disk, the reopen, the checks or the test write failed.
    Failed(String),
}

/// Starts the supervisor of `inner`; it ends once the store is dropped.
pub(super) fn supervise(inner: &Arc<Inner>) {
    let weak: Weak<Inner> = Arc::downgrade(inner);
    let health = inner.health.clone();
    let spawned = std::thread::Builder::new()
        .name("ophiontt-store-health".into())
        .spawn(move || {
            let mut pause = RETRY_EVERY;
            loop {
                std::thread::sleep(pause);
                if weak.strong_count() == 0 {
                    return;
                }
                let Some(ep) = health.episode().filter(|e| !e.permanent) else {
                    continue;
                };
                let Some(inner) = weak.upgrade() else {
                    return;
                };
                pause = match (Store { inner }).recover(&ep) {
                    Ok(()) => RETRY_EVERY,
                    // Closing the slot stalls every reader: back off from a long-running one.
                    Err(NotYet::Busy(why)) => {
                        tracing::info!(reason = %why, "store recovery gave way to readers; retrying later");
                        (pause * 2).min(BUSY_BACKOFF_MAX)
                    }
                    Err(NotYet::Failed(why)) => {
                        tracing::debug!(reason = %why, "store recovery attempt failed; retrying");
                        RETRY_EVERY
                    }
                };
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "could not start the store's recovery thread; after an I/O error a restart will be needed");
    }
}

impl Store {
    /// One recovery attempt (see the module documentation).
    fn recover(&self, ep: &Episode) -> Result<(), NotYet> {
        let inner = &self.inner;
        health::probe_disk(&inner.data_dir)
            .map_err(|e| NotYet::Failed(format!("the disk still refuses writes: {e}")))?;
        // On the supervisor's own thread, never a runtime worker: blocking here is fine.
        let _gate = inner.gate.blocking_write();
        self.close_engine().map_err(NotYet::Busy)?;
        let generation = inner.generations.fetch_add(1, Ordering::AcqRel) + 1;
        let engine =
            Engine::open(&inner.data_dir.join("db"), &inner.health, generation).map_err(|e| {
                // The slot stays closed: readers wait for the next attempt.
                tracing::warn!(error = %e, "reopening the store failed; retrying");
                NotYet::Failed(format!("reopening failed: {e}"))
            })?;
        let checked = verify(&engine, inner);
        let engine = Arc::new(engine);
        self.open_slot(Some(engine.clone()));
        if let Err(why) = checked {
            inner.health.give_up(why.clone());
            return Err(NotYet::Failed(why));
        }
        let until_ms = health::now_ms();
        let ev = AuditEvent {
            at_ms: until_ms,
            actor: "system".into(),
            ip: None,
            action: "store.recovered".into(),
            target: None,
            body: serde_json::json!({
                "cause": ep.cause.code(),
                "error": ep.detail,
                "since": ep.since_ms,
                "until": until_ms,
                "engine_generation": generation,
            }),
        };
        self.transact(&engine, |tx| tx.append_audit(&ev))
            .map_err(|e| NotYet::Failed(format!("the test write failed: {e}")))?;
        if let Err(e) = engine.db.flush() {
            inner.health.note(&e);
            return Err(NotYet::Failed(format!("the test flush failed: {e}")));
        }
        drop(engine);
        if let Some(ep) = inner.health.recovered() {
            tracing::warn!(
                cause = ep.cause.code(),
                since_ms = ep.since_ms,
                outage_ms = until_ms - ep.since_ms,
                "store recovered: reopened, verified and writable again"
            );
        }
        Ok(())
    }

    /// Stops handing out the engine, waits until nobody holds it, and drops it. Gives way
    /// (opens the slot again, `Err`) if readers still hold it after [`READERS_WAIT`].
    fn close_engine(&self) -> Result<(), String> {
        let slot = &self.inner.slot;
        slot.write().unwrap_or_else(|p| p.into_inner()).closing = true;
        let deadline = Instant::now() + READERS_WAIT;
        loop {
            let busy = {
                let s = slot.read().unwrap_or_else(|p| p.into_inner());
                s.engine.as_ref().map_or(0, |e| Arc::strong_count(e) - 1)
            };
            if busy == 0 {
                break;
            }
            if Instant::now() > deadline {
                self.open_slot(None);
                return Err(format!("{busy} readers still hold the store"));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let old = slot
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .engine
            .take();
        // Stops its flusher and releases sled's handles, and with them its file lock.
        drop(old);
        Ok(())
    }

    /// Installs `engine` (if given) and lets readers in again.
    fn open_slot(&self, engine: Option<Arc<Engine>>) {
        {
            let mut s = self.inner.slot.write().unwrap_or_else(|p| p.into_inner());
            if engine.is_some() {
                s.engine = engine;
            }
            s.closing = false;
        }
        let (lock, cv) = &self.inner.reopened;
        let _g = lock.lock().unwrap_or_else(|p| p.into_inner());
        cv.notify_all();
    }
}

/// Checks a reopened engine before it serves: see the module documentation, step 5.
fn verify(engine: &Engine, inner: &Inner) -> Result<(), String> {
    let tree = |t: TreeId| &engine.trees[t.index()];
    let e = |what: &str, err: &dyn std::fmt::Display| format!("{what}: {err}");
    let mark = marker::read(&inner.data_dir).map_err(|x| e("reading the marker", &x))?;
    if mark.as_ref().is_some_and(|m| m.has_data)
        && tree(TreeId::Users).is_empty()
        && tree(TreeId::Audit).is_empty()
    {
        return Err("the store reopened empty, but its marker says it held data".into());
    }
    let version = match tree(TreeId::Meta).get(meta::SCHEMA_VERSION) {
        Ok(Some(v)) => v.as_ref().try_into().map(u32::from_be_bytes).ok(),
        Ok(None) => Some(0),
        Err(x) => return Err(e("reading the schema version", &x)),
    };
    if version != Some(migrate::LATEST_SCHEMA) {
        return Err(format!(
            "the reopened store has schema {version:?}, expected {}",
            migrate::LATEST_SCHEMA
        ));
    }
    let head: Option<AuditHead> = super::get(tree(TreeId::Meta), TreeId::Meta, meta::AUDIT_HEAD)
        .map_err(|x| e("reading the audit head", &x))?;
    let last: Option<AuditRecord> = match tree(TreeId::Audit).last() {
        Ok(Some((k, v))) => Some(
            codec::decode(TreeId::Audit, &k, &v).map_err(|x| e("reading the audit chain", &x))?,
        ),
        Ok(None) => None,
        Err(x) => return Err(e("reading the audit chain", &x)),
    };
    match (&head, &last) {
        (None, None) => {}
        (Some(h), Some(r)) if h.seq == r.seq && h.hash == r.hash => {}
        _ => {
            return Err(format!(
                "the audit head ({:?}) does not match the newest audit record ({:?})",
                head.as_ref().map(|h| h.seq),
                last.as_ref().map(|r| r.seq)
            ))
        }
    }
    if let Some(raw) = inner.health.durable_head() {
        let durable: AuditHead = codec::decode(TreeId::Meta, meta::AUDIT_HEAD, &raw)
            .map_err(|x| e("reading the flushed audit head", &x))?;
        let at: Option<AuditRecord> =
            super::get(tree(TreeId::Audit), TreeId::Audit, &keys::seq(durable.seq))
                .map_err(|x| e("reading the audit chain", &x))?;
        if at.is_none_or(|r| r.hash != durable.hash) {
            return Err(format!(
                "audit record {} was on disk before the outage but is missing or different after reopening",
                durable.seq
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::health::Cause;
    use crate::store::test_support::{event, temp_store};

    async fn wait_healthy(store: &Store) -> bool {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(15) {
            if store.health().healthy {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_unhealthy_store_reopens_itself_after_its_readers_let_go() {
        let (store, _dir) = temp_store();
        for n in 1..=5 {
            store
                .write(|tx| tx.append_audit(&event(n, "user.created")))
                .await
                .unwrap();
        }
        let head = store.audit_head().unwrap().unwrap();

        // An I/O error (simulated: the recovery cannot tell) refuses writes at once.
        store.inner.health.fail(Cause::DiskFull, "simulated".into());
        let e = store
            .write(|tx| tx.append_audit(&event(6, "user.created")))
            .await
            .unwrap_err();
        assert_eq!(
            e.unavailable_code(),
            Some(crate::domain::codes::STORE_DISK_FULL)
        );

        // A reader holding the engine delays the reopen; it is not cut off.
        let reader = store.tree(TreeId::Audit);
        let held = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(1500));
            reader.len()
        });
        assert_eq!(held.join().unwrap(), 5);
        assert!(wait_healthy(&store).await, "{:?}", store.health());

        // The same data on a new engine, the outage recorded, writes accepted again.
        assert_eq!(store.engine().generation, 2);
        let after = store.audit_from(head.seq + 1, 10).unwrap();
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].action, "store.recovered");
        assert_eq!(
            after[0].body.as_ref().unwrap()["cause"],
            crate::domain::codes::STORE_DISK_FULL
        );
        store
            .write(|tx| tx.append_audit(&event(7, "user.created")))
            .await
            .unwrap();
        let h = store.health();
        assert_eq!((h.recoveries, h.io_failures), (1, 1));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_flush_on_a_new_engine_does_not_confirm_writes_made_on_the_old_one() {
        let (store, _dir) = temp_store();
        {
            let ex = store.exclusive().await;
            ex.write_unflushed(|tx| tx.append_audit(&event(1, "user.created")))
                .unwrap();
        }
        store.inner.health.fail(Cause::Io, "simulated".into());
        assert!(wait_healthy(&store).await, "{:?}", store.health());
        let e = store.flush().await.unwrap_err();
        assert_eq!(
            e.unavailable_code(),
            Some(crate::domain::codes::STORE_UNAVAILABLE)
        );
        // Reported once, to the flush that came first after the swap.
        store.flush().await.unwrap();
    }
}
