//! The outbox: every message the server sends out (a webhook delivery, an e-mail), written in
//! the same transaction as what caused it and sent afterwards by a worker that retries with
//! backoff. Sending never blocks a request; a message survives a restart; each attempt is kept
//! for the delivery log.

use serde::{Deserialize, Serialize};

use super::UserId;

/// Where a message goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Channel {
    /// An HTTP POST to a registered webhook, signed with its secret.
    Webhook { hook: uuid::Uuid, url: String },
    /// An e-mail to one address.
    Email { to: String },
}

impl Channel {
    pub fn kind(&self) -> &'static str {
        match self {
            Channel::Webhook { .. } => "webhook",
            Channel::Email { .. } => "email",
        }
    }
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting for its first or next attempt.
    Pending,
    Delivered,
    /// Every attempt failed; an admin may send it again.
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Delivered => "delivered",
            OutboxState::Failed => "failed",
        }
    }
}

/// One try at sending a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub at_ms: i64,
    pub ok: bool,
    /// The HTTP status, for a webhook that answered.
    #[serde(default)]
    pub status: Option<u16>,
    /// Why it failed: connection refused, timed out, 500…
    #[serde(default)]
    pub error: Option<String>,
    /// How long it took.
    pub millis: u64,
}

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: uuid::Uuid,
    pub channel: Channel,
    /// What it is about: `entry.created`, `week.approved`, `backup.failed`, `webhook.ping`,
    /// `email.invitation`…
    pub event: String,
    /// The person whose data it carries, if any: erasing them removes it.
    #[serde(default)]
    pub subject: Option<UserId>,
    /// What is sent: the JSON body of a webhook, the text of an e-mail.
    pub payload: String,
    /// An e-mail's subject line.
    #[serde(default)]
    pub title: Option<String>,
    pub created_at_ms: i64,
    /// When the next attempt is due (pending only).
    pub next_at_ms: i64,
    pub state: OutboxState,
    #[serde(default)]
    pub attempts: Vec<Attempt>,
    /// Attempts since it was last queued or re-sent (the retry count).
    #[serde(default)]
    pub tries: u32,
}

/// How retries are spaced and when they stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failure; each later one waits four times longer, at most
    /// six hours.
    pub base_ms: i64,
    /// How many attempts before a message is `failed`.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base_ms: 30_000,
            max_attempts: 8,
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt number `tries` (1 for the first).
    pub fn backoff_ms(&self, tries: u32) -> i64 {
        const CAP_MS: i64 = 6 * 3_600_000;
        let factor = 4i64.saturating_pow(tries.saturating_sub(1).min(15));
        self.base_ms.saturating_mul(factor).min(CAP_MS)
    }
}

impl OutboxItem {
    /// Records an attempt's outcome: delivered, due again after its backoff, or failed for
    /// good after the policy's last attempt or at once when the receiver refused it for good
    /// (`permanent`). Only the newest 20 attempts are kept.
    pub fn record(&mut self, attempt: Attempt, policy: &RetryPolicy, permanent: bool) {
        self.tries += 1;
        let at = attempt.at_ms;
        let ok = attempt.ok;
        self.attempts.push(attempt);
        if self.attempts.len() > 20 {
            self.attempts.remove(0);
        }
        if ok {
            self.state = OutboxState::Delivered;
        } else if permanent || self.tries >= policy.max_attempts {
            self.state = OutboxState::Failed;
        } else {
            self.next_at_ms = at + policy.backoff_ms(self.tries);
        }
    }

    /// Queues it again now, for a fresh round of attempts.
    pub fn resend(&mut self, now_ms: i64) {
        self.state = OutboxState::Pending;
        self.next_at_ms = now_ms;
        self.tries = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> OutboxItem {
        OutboxItem {
            id: uuid::Uuid::nil(),
            channel: Channel::Email {
                to: "a@example.com".into(),
            },
            event: "webhook.ping".into(),
            subject: None,
            payload: "{}".into(),
            title: None,
            created_at_ms: 0,
            next_at_ms: 0,
            state: OutboxState::Pending,
            attempts: Vec::new(),
            tries: 0,
        }
    }

    fn failed(at_ms: i64) -> Attempt {
        Attempt {
            at_ms,
            ok: false,
            status: Some(500),
            error: None,
            millis: 3,
        }
    }

    #[test]
    fn backoff_grows_fourfold_up_to_six_hours() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ms(1), 30_000);
        assert_eq!(p.backoff_ms(2), 120_000);
        assert_eq!(p.backoff_ms(3), 480_000);
        assert_eq!(p.backoff_ms(9), 6 * 3_600_000);
        assert_eq!(p.backoff_ms(60), 6 * 3_600_000);
    }

    #[test]
    fn an_item_retries_then_fails_and_a_resend_starts_over() {
        let p = RetryPolicy {
            base_ms: 1000,
            max_attempts: 3,
        };
        let mut it = item();
        it.record(failed(10), &p, false);
        assert_eq!((it.state, it.next_at_ms), (OutboxState::Pending, 1010));
        it.record(failed(2000), &p, false);
        assert_eq!(it.next_at_ms, 6000);
        it.record(failed(7000), &p, false);
        assert_eq!(it.state, OutboxState::Failed);
        it.resend(9000);
        assert_eq!(
            (it.state, it.next_at_ms, it.tries),
            (OutboxState::Pending, 9000, 0)
        );
        it.record(
            Attempt {
                ok: true,
                ..failed(9500)
            },
            &p,
            false,
        );
        assert_eq!(it.state, OutboxState::Delivered);
        assert_eq!(it.attempts.len(), 4);
    }

    #[test]
    fn a_permanent_refusal_fails_at_once_and_a_resend_tries_again() {
        let p = RetryPolicy {
            base_ms: 1000,
            max_attempts: 8,
        };
        let mut it = item();
        it.record(failed(10), &p, true);
        assert_eq!((it.state, it.tries), (OutboxState::Failed, 1));
        it.resend(20);
        it.record(failed(30), &p, false);
        assert_eq!((it.state, it.next_at_ms), (OutboxState::Pending, 1030));
    }
}
