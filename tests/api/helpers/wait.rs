//! Waiting for a condition with a deadline instead of sleeping for a guessed time. The poll
//! interval below is the only pause the API tests take while waiting for something to happen;
//! a test that must let time pass on purpose says so where it does.

use std::future::Future;
use std::time::{Duration, Instant};

/// How often a condition is checked again.
const POLL: Duration = Duration::from_millis(20);

/// Polls `check` until it yields a value or `within` has passed; `None` on timeout. The check
/// runs at least once, and once more at the deadline.
pub async fn poll_for<T, F, Fut>(within: Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = check().await {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
        // Polling interval, not a wait for the condition.
        tokio::time::sleep(POLL).await;
    }
}

/// Polls `cond` until it holds or `within` has passed; whether it held. Callers assert on the
/// result with their own message: `assert!(wait_until(…).await, "what did not happen")`.
pub async fn wait_until<F, Fut>(within: Duration, mut cond: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    poll_for(within, || {
        let f = cond();
        async move { f.await.then_some(()) }
    })
    .await
    .is_some()
}

/// [`poll_for`] for code outside the async runtime (std threads, `Drop`).
pub fn poll_for_blocking<T>(within: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = check() {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
        // Polling interval, not a wait for the condition.
        std::thread::sleep(POLL);
    }
}
