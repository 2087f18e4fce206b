//! The write gate never takes a thread from the runtime: writers waiting while it is held
//! exclusively (a backup's copy, an erasure) park their task, not their worker thread. Each test
//! runs on a runtime with a single thread, where a gate that blocked its waiter would stop the
//! test itself; it asserts what happens in order, never how long anything takes.

use super::test_support::{event, temp_store};
use crate::store::prelude::*;

#[tokio::test(flavor = "current_thread")]
async fn a_write_waiting_at_the_gate_leaves_the_thread_to_reads() {
    let (store, _dir) = temp_store();
    store
        .write(|tx| tx.append_audit(&event(1, "user.created")))
        .await
        .unwrap();

    // An erasure's hold on the gate, taken through the same call an erasure makes.
    let held = store.exclusive().await;
    let writer = tokio::spawn({
        let store = store.clone();
        async move {
            store
                .write(|tx| tx.append_audit(&event(2, "user.created")))
                .await
        }
    });
    // The writer runs until it waits at the gate; on this one thread, that the test goes on
    // at all is the point.
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(!writer.is_finished(), "a write went past a held gate");
    // Reads go on meanwhile, and a write whose loss is harmless is skipped, not waited for.
    assert_eq!(store.audit_head().unwrap().unwrap().seq, 1);
    let skipped = store
        .try_write_unflushed(|tx| tx.append_audit(&event(3, "session.touched")))
        .unwrap();
    assert!(skipped.is_none());

    drop(held);
    writer.await.unwrap().unwrap();
    assert_eq!(store.audit_head().unwrap().unwrap().seq, 2);
}

#[tokio::test(flavor = "current_thread")]
async fn a_backup_waits_for_the_gate_without_blocking_the_thread_and_sees_one_instant() {
    let (store, _dir) = temp_store();
    store
        .write(|tx| tx.append_audit(&event(1, "user.created")))
        .await
        .unwrap();

    let held = store.exclusive().await;
    let backup = tokio::spawn({
        let store = store.clone();
        async move { store.dump().await }
    });
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(!backup.is_finished(), "a dump went past a held gate");
    // What the holder writes before letting go is in the dump, whole.
    held.write_unflushed(|tx| tx.append_audit(&event(2, "user.created")))
        .unwrap();
    drop(held);

    let dump = backup.await.unwrap().unwrap();
    let audit = dump
        .records
        .iter()
        .filter(|(t, _, _)| matches!(t, super::TreeId::Audit))
        .count();
    assert_eq!(audit, 2);
}
