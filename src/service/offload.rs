//! Work that must not run on the runtime's worker threads. There are as many workers as cores
//! (two here), and every request, health check included, is served on them: a scan of the
//! store that walks more than a page (the audit log, every entry, the record counts) runs on
//! tokio's blocking pool instead, so a long one delays only its own caller.
//!
//! Reads of one page stay inline (a week of entries: a hop to another thread would cost more
//! than the read).

use super::{Result, Services};

impl Services {
    /// Runs `f` on the blocking pool with a handle on the services, and waits for it without
    /// holding up a worker. A panic in `f` goes on in the caller, as it would have inline.
    pub(crate) async fn off_runtime<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Services) -> Result<T> + Send + 'static,
    {
        let svc = self.clone();
        match tokio::task::spawn_blocking(move || f(&svc)).await {
            Ok(out) => out,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => Err(anyhow::Error::new(e).into()),
        }
    }
}
