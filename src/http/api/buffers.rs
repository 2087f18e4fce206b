//! Reused buffers for large answers (a month of entries is about 1 MB of JSON).
//!
//! A fresh buffer of that size costs more than writing into it: the allocator takes it from
//! the OS page by page (a fault and a zeroed page per 4 KiB), grows it by copying as the JSON
//! gets longer, and hands it back after the answer is sent, since the binary asks mimalloc to
//! return freed memory after 1 ms (`src/memory.rs`). Under `perf` that was about a fifth of a
//! month's CPU at 4 connections (docs/performance.md, "A month of entries"). A buffer taken
//! from here comes back when the HTTP layer drops the answer's bytes, so the pages stay mapped
//! and written once. At most [`KEPT`] buffers of at most [`KEPT_BYTES`] each are kept.

use std::sync::Mutex;

use bytes::Bytes;

/// How many buffers are kept for reuse: one per answer being sent at once, on two cores.
const KEPT: usize = 4;
/// Buffers larger than this are dropped instead of kept (a page of 2,000 entries is ~1.3 MB).
const KEPT_BYTES: usize = 4 << 20;

static FREE: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

/// An empty buffer with room for at least `hint` bytes, a kept one when there is one.
pub(super) fn take(hint: usize) -> Vec<u8> {
    let kept = FREE.lock().unwrap_or_else(|e| e.into_inner()).pop();
    let mut buf = kept.unwrap_or_default();
    buf.clear();
    buf.reserve(hint.min(KEPT_BYTES));
    buf
}

/// `buf` as an answer's bytes; the buffer goes back to the free list when they are dropped.
pub(super) fn into_bytes(buf: Vec<u8>) -> Bytes {
    Bytes::from_owner(Returned(buf))
}

struct Returned(Vec<u8>);

impl AsRef<[u8]> for Returned {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Returned {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.0);
        if buf.capacity() > KEPT_BYTES {
            return;
        }
        let mut free = FREE.lock().unwrap_or_else(|e| e.into_inner());
        if free.len() < KEPT {
            free.push(buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The free list is shared by every test in this binary; this is the only one touching it.
    #[test]
    fn buffers_come_back_when_the_bytes_are_dropped_and_only_up_to_the_limits() {
        let mut a = take(100_000);
        assert!(a.capacity() >= 100_000 && a.is_empty());
        a.extend_from_slice(b"month");
        let ptr = a.as_ptr();
        let bytes = into_bytes(a);
        assert_eq!(&bytes[..], b"month");
        let clone = bytes.clone();
        drop(bytes);
        assert!(FREE.lock().unwrap().iter().all(|b| b.as_ptr() != ptr));
        drop(clone);
        let again = take(10);
        assert_eq!(again.as_ptr(), ptr, "the same buffer, reused");
        assert!(again.is_empty());

        let big = take(KEPT_BYTES * 2);
        assert!(big.capacity() < KEPT_BYTES * 2, "the hint is capped");
        let mut huge = Vec::with_capacity(KEPT_BYTES + 1);
        huge.push(1);
        drop(into_bytes(huge));
        let held: Vec<Bytes> = (0..KEPT + 3).map(|_| into_bytes(take(1))).collect();
        drop(held);
        let free = FREE.lock().unwrap();
        assert!(free.len() <= KEPT);
        assert!(free.iter().all(|b| b.capacity() <= KEPT_BYTES));
    }
}
