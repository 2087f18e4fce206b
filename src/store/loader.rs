//! Loading a stream of primary records into an empty store (a restore): records and the index
//! rows derived from them are written in batches by a second thread while the caller goes on
//! reading, so decompressing and inserting overlap, and no tree is read back afterwards.

use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;

use super::tags::TagUse;
use super::{codec, entry_codec, keys, Store, StoreError, TreeId};

const BATCH: usize = 20_000;
/// Writer threads: one for the entries tree, one for the rest. A third did not pay on two
/// cores (docs/performance.md).
const WRITERS: usize = 2;

type Rows = Vec<(Vec<u8>, Vec<u8>)>;

/// One writer thread and the channel feeding it.
struct Writer {
    send: SyncSender<(TreeId, Rows)>,
    thread: JoinHandle<Result<(), StoreError>>,
}

pub struct Loader {
    store: Store,
    batches: BTreeMap<usize, (TreeId, Rows)>,
    tags: BTreeMap<String, TagUse>,
    writers: Vec<Writer>,
}

impl Store {
    /// A loader for this (empty) store; see [`Loader::finish`].
    pub fn loader(&self) -> Loader {
        let writers = (0..WRITERS)
            .map(|_| {
                let (send, recv) = sync_channel::<(TreeId, Rows)>(4);
                let store = self.clone();
                let thread = std::thread::spawn(move || {
                    for (tree, rows) in recv {
                        store.bulk_put(tree, rows)?;
                    }
                    Ok(())
                });
                Writer { send, thread }
            })
            .collect();
        Loader {
            store: self.clone(),
            batches: BTreeMap::new(),
            tags: BTreeMap::new(),
            writers,
        }
    }
}

impl Loader {
    fn push(&mut self, tree: TreeId, k: Vec<u8>, v: Vec<u8>) -> Result<(), StoreError> {
        let slot = self
            .batches
            .entry(tree.index())
            .or_insert_with(|| (tree, Vec::with_capacity(BATCH)));
        slot.1.push((k, v));
        if slot.1.len() >= BATCH {
            let rows = std::mem::replace(&mut slot.1, Vec::with_capacity(BATCH));
            self.send(tree, rows)?;
        }
        Ok(())
    }

    /// Hands rows to a writer. The timeline, which holds the entries' records and is the
    /// largest tree, has a writer of its own; the other trees share the other.
    fn send(&mut self, tree: TreeId, rows: Rows) -> Result<(), StoreError> {
        let i = usize::from(tree != TreeId::EntriesByUserStart);
        match self.writers.get(i).map(|w| w.send.send((tree, rows))) {
            Some(Ok(())) => Ok(()),
            // The writer stopped: its error is what `finish` reports.
            _ => self
                .join()
                .and(Err(StoreError::Refused("the store writer stopped".into()))),
        }
    }

    /// Closes the channels and waits for every writer; the first error wins.
    fn join(&mut self) -> Result<(), StoreError> {
        let mut result = Ok(());
        for w in self.writers.drain(..) {
            drop(w.send);
            let r = match w.thread.join() {
                Ok(r) => r,
                Err(_) => Err(StoreError::Refused("the store writer panicked".into())),
            };
            result = result.and(r);
        }
        result
    }

    /// Adds one primary record and the index rows it implies.
    pub fn add(&mut self, tree: TreeId, k: Vec<u8>, v: Vec<u8>) -> Result<(), StoreError> {
        match tree {
            TreeId::Entries => {
                // A backup's entry (id → record, binary or the JSON of schema 4 and older) goes
                // into its timeline row, binary, and `entries` gets the pointer to it.
                let e = entry_codec::decode(tree, &k, &v)?;
                let record = match v.first() {
                    Some(&entry_codec::TAG_ENTRY) => v,
                    _ => entry_codec::encode(&e),
                };
                self.push(
                    TreeId::EntriesByUserStart,
                    keys::user_timeline(e.user_id, e.start_ms, e.id).to_vec(),
                    record,
                )?;
                self.push(
                    TreeId::Entries,
                    k,
                    entry_codec::pointer(e.user_id, e.start_ms).to_vec(),
                )?;
                self.push(
                    TreeId::EntriesByProject,
                    super::project_entries::key(&e).to_vec(),
                    e.user_id.as_bytes().to_vec(),
                )?;
                for t in e.tags {
                    self.push(TreeId::EntriesByTag, keys::tag_entry(&t, e.id), Vec::new())?;
                    self.tags
                        .entry(t.to_lowercase())
                        .or_insert_with(|| TagUse { name: t, count: 0 })
                        .count += 1;
                }
                return Ok(());
            }
            TreeId::Users => {
                let r = super::users::decode(&k, &v)?;
                self.push(
                    TreeId::UsersByEmail,
                    keys::email(r.user.email.as_str()),
                    keys::user(r.user.id).to_vec(),
                )?;
            }
            TreeId::Sessions => {
                let s = super::sessions::decode(&k, &v)?;
                self.push(
                    TreeId::SessionsByUser,
                    keys::user_session(s.user_id, &s.key()).to_vec(),
                    Vec::new(),
                )?;
            }
            TreeId::SecurityEvents => {
                let e = super::security::decode(&k, &v)?;
                if let Some(u) = e.user_id {
                    self.push(
                        TreeId::SecurityEventsByUser,
                        keys::user_event(u, e.at_ms, e.id).to_vec(),
                        Vec::new(),
                    )?;
                }
            }
            _ => {}
        }
        self.push(tree, k, v)
    }

    /// Writes what is left, waits for the writer, and flushes.
    pub async fn finish(mut self) -> Result<(), StoreError> {
        let rest: Vec<(TreeId, Rows)> = std::mem::take(&mut self.batches).into_values().collect();
        for (tree, rows) in rest {
            self.send(tree, rows)?;
        }
        let tags: Rows = std::mem::take(&mut self.tags)
            .into_iter()
            .map(|(lower, t)| (lower.into_bytes(), codec::encode(&t)))
            .collect();
        self.send(TreeId::Tags, tags)?;
        self.join()?;
        self.store.flush().await
    }
}

impl Drop for Loader {
    /// A load abandoned half-way (a bad file) still waits for the writer, so nothing writes
    /// into the folder while it is being removed.
    fn drop(&mut self) {
        let _ = self.join();
    }
}
