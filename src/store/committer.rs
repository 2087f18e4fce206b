//! The commit queue: many requests' changes in one sled transaction.
//!
//! sled 0.34 writes its log buffer twice for every transaction, however small
//! (`PageCache::pin_log`), and wakes its whole I/O thread pool for each buffer
//! (docs/performance.md, "Where a write's time goes"). So a change that arrives while another
//! commits waits in a queue, and one thread commits everything waiting in one transaction: the
//! transaction's fixed cost is shared, as the flusher shares one fsync.
//!
//! When nothing is committing, a change commits at once on the caller's thread, as a
//! transaction of its own: a lone client pays no hand-off.
//!
//! Each change is still checked inside the transaction that writes it, against everything
//! committed before it and the changes ahead of it in the same transaction. A change that
//! aborts (a business conflict, a stale read) must not take the others with it, and its error
//! must be true of committed state: the transaction is abandoned and the changes before the
//! failing one are committed on their own; a change that fails first in its transaction
//! answers with its error; the rest go on in the next one.

use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use sled::transaction::{TransactionError, Transactional, TransactionalTree};
use tokio::sync::oneshot;

use super::health::Health;
use super::{storage_failure, Abort, Store, StoreError, Tx};

/// At most this many changes in one transaction (a transaction's writes are held in memory
/// until it commits).
const MAX_BATCH: usize = 64;

/// One request's change: re-runnable (a transaction may run it more than once).
pub(super) type Change = Box<dyn Fn(&Tx<'_>) -> Result<(), Abort> + Send>;

struct Job {
    change: Change,
    done: oneshot::Sender<Result<(), StoreError>>,
    /// Kept until the job is done: the write gate's guard, so that a backup's dump never starts
    /// while a queued change of a request that went away is still to commit.
    _hold: Box<dyn Send>,
}

struct State {
    queue: VecDeque<Job>,
    /// A transaction is running (on the committer thread or a caller's).
    busy: bool,
    stop: bool,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    trees: Vec<sled::Tree>,
    health: Arc<Health>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The queue and its thread; dropping it commits what is queued, then stops the thread.
pub(super) struct Committer {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Clears `busy` when a caller's own commit ends, even by a panic, and hands the queue that
/// built up meanwhile to the committer thread.
struct Busy<'a>(&'a Shared);

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        let mut s = self.0.lock();
        s.busy = false;
        if !s.queue.is_empty() {
            self.0.wake.notify_one();
        }
    }
}

impl Committer {
    pub fn start(trees: Vec<sled::Tree>, health: Arc<Health>) -> Self {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                busy: false,
                stop: false,
            }),
            wake: Condvar::new(),
            trees,
            health,
        });
        let s = shared.clone();
        let thread = std::thread::Builder::new()
            .name("ophiontt-commit".into())
            .spawn(move || run_queue(&s))
            .expect("spawning the commit thread at start-up");
        Self {
            shared,
            thread: Some(thread),
        }
    }

    /// Commits `change` (not yet durable: wait for the flusher after). `hold` is dropped once
    /// the change has committed or failed.
    pub async fn commit(&self, change: Change, hold: Box<dyn Send>) -> Result<(), StoreError> {
        let (done, answer) = oneshot::channel();
        let job = Job {
            change,
            done,
            _hold: hold,
        };
        let mine = {
            let mut s = self.shared.lock();
            if !s.busy && s.queue.is_empty() {
                s.busy = true;
                Some(job)
            } else {
                s.queue.push_back(job);
                if !s.busy {
                    self.shared.wake.notify_one();
                }
                None
            }
        };
        if let Some(job) = mine {
            let _busy = Busy(&self.shared);
            commit_all(&self.shared, VecDeque::from([job]));
        }
        answer
            .await
            .unwrap_or_else(|_| Err(StoreError::Refused("the commit queue stopped".into())))
    }
}

impl Drop for Committer {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.wake.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The committer thread: waits for queued changes while no transaction runs, then commits up
/// to [`MAX_BATCH`] of them together.
fn run_queue(shared: &Shared) {
    loop {
        let batch: VecDeque<Job> = {
            let mut s = shared.lock();
            loop {
                if !s.busy && !s.queue.is_empty() {
                    break;
                }
                if s.stop && s.queue.is_empty() {
                    return;
                }
                s = shared.wake.wait(s).unwrap_or_else(|p| p.into_inner());
            }
            s.busy = true;
            let n = s.queue.len().min(MAX_BATCH);
            s.queue.drain(..n).collect()
        };
        let _busy = Busy(shared);
        // A panic in a change fails that batch (its callers hear that the queue stopped), not
        // every later write.
        let _ =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| commit_all(shared, batch)));
    }
}

/// Commits every job of `jobs`, in order, in as few transactions as their failures allow, and
/// tells each caller its outcome.
fn commit_all(shared: &Shared, mut jobs: VecDeque<Job>) {
    while !jobs.is_empty() {
        // The jobs of this attempt: all that are left, or the ones before a job that failed.
        let mut take = jobs.len();
        loop {
            let failed_at = Cell::new(0usize);
            let r = shared
                .trees
                .as_slice()
                .transaction(|v: &Vec<TransactionalTree>| {
                    let tx = Tx { trees: v };
                    for (i, job) in jobs.iter().take(take).enumerate() {
                        if let Err(Abort(e)) = (job.change)(&tx) {
                            failed_at.set(i);
                            return Err(e);
                        }
                    }
                    Ok(())
                });
            match r {
                Ok(()) => {
                    shared.health.count_commit(take);
                    for job in jobs.drain(..take) {
                        let _ = job.done.send(Ok(()));
                    }
                    break;
                }
                Err(TransactionError::Abort(e)) if failed_at.get() == 0 => {
                    // Checked against committed state: this job's own answer.
                    if let Some(job) = jobs.pop_front() {
                        let _ = job.done.send(Err(e));
                    }
                    break;
                }
                Err(TransactionError::Abort(_)) => take = failed_at.get(),
                Err(TransactionError::Storage(e)) => {
                    let cause = shared.health.note(&e);
                    for job in jobs.drain(..take) {
                        let _ = job.done.send(Err(storage_failure(cause, &e)));
                    }
                    break;
                }
            }
        }
    }
}

impl Store {
    /// Like [`Store::write`], through the commit queue (`committer.rs`): while another write
    /// commits, this one waits and commits in one transaction with the others that waited.
    /// For the frequent writes (time entries); `f` owns what it needs, as it may run on the
    /// commit thread.
    pub async fn write_queued<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Fn(&Tx<'_>) -> Result<T, Abort> + Send + 'static,
    {
        self.writable()?;
        let gate = self.inner.gate.clone().read_owned().await;
        self.writable()?;
        let engine = self.engine();
        let slot = Arc::new(Mutex::new(None));
        let out = slot.clone();
        let change: Change = Box::new(move |tx| {
            let v = f(tx)?;
            // The run that commits is the last one: its output is the answer.
            *out.lock().unwrap_or_else(|p| p.into_inner()) = Some(v);
            Ok(())
        });
        engine.committer.commit(change, Box::new(gate)).await?;
        let out = slot
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .ok_or_else(|| StoreError::Refused("a committed change left no answer".into()))?;
        self.durable(engine).await?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::tracking::Entry;
    use crate::domain::{codes, EntryId, ProjectId, UserId};
    use crate::store::prelude::*;
    use crate::store::test_support::temp_store;
    use crate::store::{conflict, StoreError};

    fn entry(n: i64, note: &str) -> Entry {
        Entry {
            id: EntryId::from_bytes((n as u128).to_be_bytes()),
            user_id: UserId::new(1),
            project_id: ProjectId::new(2),
            task_id: None,
            tags: vec![],
            note: note.into(),
            start_ms: n * 1000,
            end_ms: Some(n * 1000 + 500),
            billable: false,
            rate_cents: None,
            currency: "EUR".into(),
            created_at_ms: 0,
            updated_at_ms: 0,
        }
    }

    /// 300 writes at once, through the queue: those that must fail fail alone and with their
    /// own error, everything else commits, nothing a failed change wrote is kept, and the
    /// writes shared transactions.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn queued_changes_commit_together_and_fail_alone() {
        let (store, _dir) = temp_store();
        let mut tasks = Vec::new();
        for n in 0..300i64 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let r = match n % 10 {
                    // Two writers of the same new id: exactly one may win.
                    0 | 1 => {
                        let e = entry(n - n % 10, &format!("writer {n}"));
                        store.write_queued(move |tx| tx.insert_entry(&e)).await
                    }
                    // Writes, then refuses: what it wrote must not stay.
                    2 => {
                        let e = entry(n, "refused");
                        store
                            .write_queued(move |tx| {
                                tx.insert_entry(&e)?;
                                Err::<(), _>(conflict(codes::TIMER_ALREADY_RUNNING))
                            })
                            .await
                    }
                    _ => {
                        let e = entry(n, "plain");
                        store.write_queued(move |tx| tx.insert_entry(&e)).await
                    }
                };
                (n, r)
            }));
        }
        let mut won = std::collections::BTreeMap::new();
        for t in tasks {
            let (n, r) = t.await.unwrap();
            match (n % 10, r) {
                (0 | 1, Ok(())) => *won.entry(n - n % 10).or_insert(0) += 1,
                (0 | 1, Err(StoreError::Stale("entries"))) => {}
                (2, Err(StoreError::Conflict(c))) => assert_eq!(c, codes::TIMER_ALREADY_RUNNING),
                (k, Ok(())) if k > 2 => {}
                (_, r) => panic!("write {n}: {r:?}"),
            }
        }
        assert_eq!(won.len(), 30);
        assert!(won.values().all(|&w| w == 1), "{won:?}");
        for n in 0..300i64 {
            let stored = store.entry(entry(n, "").id).unwrap();
            match n % 10 {
                0 => assert!(stored.is_some_and(|e| e.note.starts_with("writer"))),
                1 | 2 => assert_eq!(stored, None, "entry {n}"),
                _ => assert_eq!(stored.map(|e| e.note), Some("plain".into())),
            }
        }
        assert_eq!(store.count_entries(), 240);
        let h = store.health();
        assert!(
            h.queued_commits < h.queued_changes,
            "{} transactions for {} changes: none shared",
            h.queued_commits,
            h.queued_changes
        );
    }

    /// Two writers of the same new entry, again and again: one wins and is told so, the other
    /// is told its read is stale, and the stored entry is the winner's.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn of_two_racing_creates_the_one_told_it_won_is_the_one_kept() {
        let (store, _dir) = temp_store();
        for round in 0..50i64 {
            let (a, b) = (store.clone(), store.clone());
            let e1 = entry(round, "first");
            let e2 = entry(round, "second");
            let (r1, r2) = tokio::join!(
                tokio::spawn(async move { a.write_queued(move |tx| tx.insert_entry(&e1)).await }),
                tokio::spawn(async move { b.write_queued(move |tx| tx.insert_entry(&e2)).await }),
            );
            let (r1, r2) = (r1.unwrap(), r2.unwrap());
            assert!(r1.is_ok() != r2.is_ok(), "round {round}: {r1:?} {r2:?}");
            let kept = store.entry(entry(round, "").id).unwrap().unwrap().note;
            assert_eq!(kept, if r1.is_ok() { "first" } else { "second" });
        }
    }
}
