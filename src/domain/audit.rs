//! The audit chain's records and hashing rule — pure, so store, verify and tests share one definition.
//!
//! link = SHA-256(prev ‖ seq ‖ at ‖ actor ‖ action ‖ target ‖ SHA-256({body, ip})), with each
//! variable-length part length-prefixed so no two different records hash alike. The payload
//! (body and client IP, both personal data) is hashed on its own and that hash stored beside
//! it, so the payload can be redacted and the chain still verifies.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A state change to record, computed before the write transaction starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub at_ms: i64,
    /// `user:<id>`, `cli:<unix user>`, `system` or `anonymous`.
    pub actor: String,
    pub ip: Option<String>,
    /// A dotted name from [`ACTIONS`].
    pub action: String,
    /// `user:<id>` and the like, when the change has one subject.
    pub target: Option<String>,
    pub body: serde_json::Value,
}

/// One link of the chain, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: u64,
    pub at_ms: i64,
    pub actor: String,
    pub ip: Option<String>,
    pub action: String,
    pub target: Option<String>,
    /// `None` once redacted; `body_hash` still proves what it was.
    pub body: Option<serde_json::Value>,
    /// SHA-256 of the payload: the body together with the IP.
    pub body_hash: String,
    pub prev: String,
    pub hash: String,
}

/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Every action name the log can hold; the audit page offers these as a filter and
/// docs/reference/audit.md lists them. `Services::event`, the one door records go through,
/// refuses (in debug builds, so in every test) an action missing here.
pub const ACTIONS: &[&str] = &[
    "account.notifications_changed",
    "api_token.created",
    "api_token.revoked",
    "audit.checkpoint_signed",
    "audit.viewed",
    "backup.created",
    "backup.pruned",
    "calendar_feed.created",
    "calendar_feed.revoked",
    "client.created",
    "client.updated",
    "data.accessed",
    "email.test_sent",
    "entry.created",
    "entry.deleted",
    "entry.updated",
    "export.written",
    "hold.placed",
    "hold.released",
    "import.completed",
    "incident.affected_set",
    "incident.authority_notified",
    "incident.closed",
    "incident.notified",
    "incident.opened",
    "incident.updated",
    "instance.setup_completed",
    "instance.setup_link_issued",
    "job.run_requested",
    "maintenance.api_tokens_purged",
    "maintenance.expired_purged",
    "outbox.resent",
    "password.changed",
    "password.reset",
    "privacy.notice_updated",
    "privacy.corrected",
    "privacy.erased",
    "privacy.exported",
    "privacy.ledger_reapplied",
    "privacy.objected",
    "privacy.register_viewed",
    "privacy.request_acknowledged",
    "privacy.request_closed",
    "privacy.request_created",
    "privacy.request_extended",
    "privacy.restricted",
    "privacy.restriction_lifted",
    "privacy.scanned",
    "profile.updated",
    "project.created",
    "project.updated",
    "retention.held",
    "retention.purged",
    "retention.rule_changed",
    "security_events.viewed",
    "seed.entries_loaded",
    "session.created",
    "session.link_sent",
    "session.login_failed",
    "session.login_refused",
    "session.revoked",
    "store.recovered",
    "tag.renamed",
    "task.commented",
    "task.created",
    "task.updated",
    "timer.started",
    "timer.stopped",
    "user.created",
    "user.disabled",
    "user.enabled",
    "user.reset_link_issued",
    "user.updated",
    "user.viewed",
    "users.listed",
    "webhook.created",
    "webhook.deleted",
    "webhook.updated",
    "week.approved",
    "week.rejected",
    "week.reopened",
    "week.submitted",
    "weeks.locked",
];

/// SHA-256 of a record's payload (body and client IP) in canonical form: serde_json sorts
/// object keys.
pub fn payload_hash(body: &serde_json::Value, ip: Option<&str>) -> String {
    let payload = serde_json::json!({ "body": body, "ip": ip });
    let bytes = serde_json::to_vec(&payload).unwrap_or_default();
    hex::encode(Sha256::digest(&bytes))
}

/// The link hash of a record given the previous hash.
pub fn link_hash(
    prev: &str,
    seq: u64,
    at_ms: i64,
    actor: &str,
    action: &str,
    target: Option<&str>,
    body_hash: &str,
) -> String {
    let mut h = Sha256::new();
    let mut part = |b: &[u8]| {
        h.update((b.len() as u64).to_be_bytes());
        h.update(b);
    };
    part(prev.as_bytes());
    part(&seq.to_be_bytes());
    part(&at_ms.to_be_bytes());
    part(actor.as_bytes());
    part(action.as_bytes());
    part(target.unwrap_or("").as_bytes());
    part(body_hash.as_bytes());
    hex::encode(h.finalize())
}

impl AuditRecord {
    /// Seals `ev` as record `seq` after `prev`.
    pub fn seal(ev: &AuditEvent, seq: u64, prev: &str) -> Self {
        let bh = payload_hash(&ev.body, ev.ip.as_deref());
        let hash = link_hash(
            prev,
            seq,
            ev.at_ms,
            &ev.actor,
            &ev.action,
            ev.target.as_deref(),
            &bh,
        );
        Self {
            seq,
            at_ms: ev.at_ms,
            actor: ev.actor.clone(),
            ip: ev.ip.clone(),
            action: ev.action.clone(),
            target: ev.target.clone(),
            body: Some(ev.body.clone()),
            body_hash: bh,
            prev: prev.to_owned(),
            hash,
        }
    }

    /// Checks this record against the previous hash; `Err` says what is wrong.
    pub fn check(&self, expected_seq: u64, prev: &str) -> Result<(), String> {
        if self.seq != expected_seq {
            return Err(format!(
                "expected record {expected_seq}, found {}",
                self.seq
            ));
        }
        if self.prev != prev {
            return Err("does not link to the record before it".into());
        }
        match &self.body {
            Some(body) if payload_hash(body, self.ip.as_deref()) != self.body_hash => {
                return Err("body or IP does not match its hash".into());
            }
            None if self.ip.is_some() => return Err("a redacted record carries an IP".into()),
            _ => {}
        }
        let want = link_hash(
            prev,
            self.seq,
            self.at_ms,
            &self.actor,
            &self.action,
            self.target.as_deref(),
            &self.body_hash,
        );
        if want != self.hash {
            return Err("record hash does not match its contents".into());
        }
        Ok(())
    }

    /// Drops the body and the IP, keeping their hash: the chain still verifies.
    pub fn redact(&mut self) {
        self.body = None;
        self.ip = None;
    }
}

/// Which records a page holds. All fields are optional and combine with AND.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

impl AuditFilter {
    pub fn matches(&self, r: &AuditRecord) -> bool {
        self.actor.as_ref().is_none_or(|a| &r.actor == a)
            && self.action.as_ref().is_none_or(|a| &r.action == a)
            && self.from_ms.is_none_or(|f| r.at_ms >= f)
            && self.to_ms.is_none_or(|t| r.at_ms < t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(action: &str) -> AuditEvent {
        AuditEvent {
            at_ms: 1_700_000_000_000,
            actor: "system".into(),
            ip: None,
            action: action.into(),
            target: Some("user:x".into()),
            body: serde_json::json!({"email": "ada@example.com", "a": 1}),
        }
    }

    #[test]
    fn a_sealed_chain_verifies_and_survives_redaction() {
        let a = AuditRecord::seal(&ev("user.created"), 1, GENESIS);
        let mut b = AuditRecord::seal(&ev("user.updated"), 2, &a.hash);
        assert!(a.check(1, GENESIS).is_ok());
        b.redact();
        assert!(b.check(2, &a.hash).is_ok());
    }

    #[test]
    fn any_change_breaks_the_link() {
        let a = AuditRecord::seal(&ev("user.created"), 1, GENESIS);
        let mut t = a.clone();
        t.action = "user.disabled".into();
        assert!(t.check(1, GENESIS).is_err());
        let mut t = a.clone();
        t.body = Some(serde_json::json!({"email": "eve@example.com"}));
        assert!(t.check(1, GENESIS).is_err());
        let mut t = a.clone();
        t.ip = Some("10.0.0.66".into());
        assert!(t.check(1, GENESIS).is_err(), "the IP is covered");
        assert!(a.check(2, GENESIS).is_err());
        assert!(a.check(1, &"1".repeat(64)).is_err());
    }

    #[test]
    fn length_prefixes_keep_fields_apart() {
        let x = link_hash(GENESIS, 1, 0, "ab", "c", None, "h");
        let y = link_hash(GENESIS, 1, 0, "a", "bc", None, "h");
        assert_ne!(x, y);
    }
}
