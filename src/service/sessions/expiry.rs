//! Removing what has expired: sessions past their idle or absolute limit and one-time links past
//! their end, but not those of a person under a legal hold (the same rule as the `sessions`
//! retention category, `expired_access`). An expired session is refused anyway; purging it also
//! drops the IP address and user agent it holds. Also the idempotency keys of requests done
//! over eight days ago (`store::done_requests`: ids only, no evidence of anything). Runs at start
//! and hourly.

use serde_json::json;

use crate::service::{Actor, Result, Sessions};
use crate::store::prelude::*;

/// What a purge removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Purged {
    pub sessions: usize,
    pub tokens: usize,
    /// Idempotency keys older than eight days.
    pub done_requests: usize,
}

impl Sessions<'_> {
    /// Deletes expired sessions and one-time tokens, audited with the counts.
    pub async fn purge_expired(&self) -> Result<Purged> {
        // The same rule as the `sessions` retention category: a person under a legal hold
        // keeps their sessions and links (they are evidence of access) until it is released.
        // Every session and link is read: off the worker threads (`offload.rs`).
        let (sessions, tokens, _held) = self
            .off_runtime(|s| {
                s.retention()
                    .expired_access(s.now(), &s.holds().coverage()?)
            })
            .await?;
        let old_requests = self.store().stale_done_requests(self.now())?;
        let purged = Purged {
            sessions: sessions.len(),
            tokens: tokens.len(),
            done_requests: old_requests.len(),
        };
        if purged == Purged::default() {
            return Ok(purged);
        }
        let ev = self.event(
            &Actor::system(),
            "maintenance.expired_purged",
            None,
            json!({ "sessions": purged.sessions, "one_time_links": purged.tokens,
                    "idempotency_keys": purged.done_requests }),
        );
        self.retention()
            .delete_access(&sessions, &tokens, &old_requests, &ev)
            .await?;
        tracing::info!(
            sessions = purged.sessions,
            one_time_links = purged.tokens,
            idempotency_keys = purged.done_requests,
            "expired records purged"
        );
        Ok(purged)
    }
}
