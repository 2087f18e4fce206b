//! Group commit: a write is acknowledged only after a flush that began after it committed.
//!
//! sled flushes by itself only every 500 ms, and one fsync costs ~0.4 ms, so one flusher thread
//! serves every waiting writer: each writer takes a ticket after its commit; the thread reads the
//! newest ticket, fsyncs the whole database (which covers every earlier write), then releases
//! every ticket up to the one it read.
//!
//! A failed flush marks the store unhealthy (`health.rs`) before its waiters hear of it, and
//! releases them with an error: nothing is acknowledged that a flush did not cover. Each flusher
//! belongs to one engine (one open of the sled folder); a write waits on the flusher of the
//! engine it committed to, never on a later one.

use std::sync::{Arc, Condvar, Mutex};

use tokio::sync::watch;

use super::health::Health;
use super::trees::meta;
use super::StoreError;

#[derive(Debug, Clone, Copy, Default)]
struct Done {
    /// Every ticket ≤ this is durable.
    flushed: u64,
    /// Every ticket ≤ this (and > flushed at the time) failed to flush.
    failed: u64,
}

struct Queue {
    issued: u64,
    stop: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
}

/// The flusher handle; dropping the last one stops the thread after a final flush.
pub struct Flusher {
    shared: Arc<Shared>,
    done: watch::Receiver<Done>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Flusher {
    /// Starts the flusher of `db`; `meta_tree` is its `meta` tree (for the audit head a successful
    /// flush covered), `health` where a failure is reported.
    pub fn start(db: sled::Db, meta_tree: sled::Tree, health: Arc<Health>) -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                issued: 0,
                stop: false,
            }),
            wake: Condvar::new(),
        });
        let (tx, rx) = watch::channel(Done::default());
        let s = shared.clone();
        let thread = std::thread::Builder::new()
            .name("ophiontt-flusher".into())
            .spawn(move || run(db, meta_tree, health, s, tx))
            .expect("spawning the flusher thread at start-up");
        Self {
            shared,
            done: rx,
            thread: Some(thread),
        }
    }

    /// Waits until everything committed before this call is on disk.
    pub async fn durable(&self) -> Result<(), StoreError> {
        let ticket = {
            let mut q = self.shared.queue.lock().unwrap_or_else(|p| p.into_inner());
            q.issued += 1;
            q.issued
        };
        self.shared.wake.notify_one();
        let mut rx = self.done.clone();
        let state = rx
            .wait_for(|d| d.flushed >= ticket || d.failed >= ticket)
            .await
            .map_err(|_| StoreError::FlushFailed)?;
        if state.flushed >= ticket {
            Ok(())
        } else {
            Err(StoreError::FlushFailed)
        }
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        self.shared
            .queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .stop = true;
        self.shared.wake.notify_one();
        // Joining releases the thread's handle on the database, and with it sled's file lock.
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(
    db: sled::Db,
    meta_tree: sled::Tree,
    health: Arc<Health>,
    shared: Arc<Shared>,
    tx: watch::Sender<Done>,
) {
    let mut served = 0u64;
    loop {
        let (target, stop) = {
            let mut q = shared.queue.lock().unwrap_or_else(|p| p.into_inner());
            while q.issued == served && !q.stop {
                q = shared.wake.wait(q).unwrap_or_else(|p| p.into_inner());
            }
            (q.issued, q.stop)
        };
        if target > served {
            // Read before the flush, so the flush covers it.
            let head = meta_tree.get(meta::AUDIT_HEAD).ok().flatten();
            match db.flush() {
                Ok(_) => {
                    if head.is_some() {
                        health.set_durable_head(head);
                    }
                    tx.send_modify(|d| d.flushed = target)
                }
                Err(e) => {
                    // Logged once per outage by `Health`; every waiter answers with the cause.
                    if health.note(&e).is_none() {
                        tracing::error!(error = %e, "store flush failed; writers are told their write failed");
                    }
                    tx.send_modify(|d| d.failed = target)
                }
            }
            served = target;
        }
        if stop {
            let _ = db.flush();
            return;
        }
    }
}
