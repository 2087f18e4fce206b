//! Removing what has expired: sessions past their idle or absolute limit and one-time links past
//! their end. An expired session is refused anyway; purging it also drops the IP address and
//! user agent it holds. Runs at start and hourly (TODO(#5): move onto the job scheduler).

use serde_json::json;

use super::{Actor, Result, Services};

/// What a purge removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Purged {
    pub sessions: usize,
    pub tokens: usize,
}

impl Services {
    /// Deletes expired sessions and one-time tokens, audited with the counts.
    pub async fn purge_expired(&self) -> Result<Purged> {
        let now = self.now();
        let st = self.settings();
        let sessions: Vec<_> = self
            .store()
            .all_sessions()?
            .into_iter()
            .filter(|s| now > st.session_ends_at(s))
            .collect();
        let tokens: Vec<_> = self
            .store()
            .all_tokens()?
            .into_iter()
            .filter(|(_, t)| t.expires_at_ms <= now)
            .map(|(k, _)| k)
            .collect();
        let purged = Purged {
            sessions: sessions.len(),
            tokens: tokens.len(),
        };
        if purged == Purged::default() {
            return Ok(purged);
        }
        let ev = self.event(
            &Actor::system(),
            "maintenance.expired_purged",
            None,
            json!({ "sessions": purged.sessions, "one_time_links": purged.tokens }),
        );
        self.store()
            .write(|tx| {
                for s in &sessions {
                    tx.delete_session(s.user_id, &s.key())?;
                }
                for k in &tokens {
                    tx.delete_token(k)?;
                }
                tx.append_audit(&ev)?;
                Ok(())
            })
            .await?;
        tracing::info!(
            sessions = purged.sessions,
            one_time_links = purged.tokens,
            "expired records purged"
        );
        Ok(purged)
    }
}
