//! Reads of other people's data, as the audit log records them: which actions count, and how a
//! record says whose data was read and what. Pure: `audit accessed` (breach investigation) and
//! its tests share this one reading.
//!
//! Whose data: `data.accessed` names its subjects in the body (`subjects`: user ids) and, when
//! there is one, in the target too (`user:<id>`), which survives redaction of the body. A
//! backup, the user list and the audit log hold everyone's data.

use serde::{Deserialize, Serialize};

use super::audit::AuditRecord;

/// The action recorded for a read of other people's data that has no older name of its own.
pub const DATA_ACCESSED: &str = "data.accessed";

/// Every action that records a read of other people's data.
pub const ACCESS_ACTIONS: &[&str] = &[
    "audit.viewed",
    "backup.created",
    DATA_ACCESSED,
    "export.written",
    "privacy.exported",
    "user.viewed",
    "users.listed",
];

/// Whose data a read covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "ids")]
pub enum Subjects {
    /// Everyone's (a backup, the user list, the audit log, an export without its list).
    Everyone,
    /// These users' (ids).
    Users(Vec<String>),
    /// The body was redacted and named no single target: not known any more.
    Unknown,
}

/// One read of other people's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    pub seq: u64,
    pub at_ms: i64,
    /// `user:<id>`, `cli:<os user>` or `system`.
    pub actor: String,
    pub action: String,
    /// What was read, in words: "time entries", "account", "export file", …
    pub what: String,
    pub subjects: Subjects,
    /// How many records were read, when known.
    pub count: Option<u64>,
    /// The file written, or the filter used, when there is one.
    pub detail: Option<String>,
    pub redacted: bool,
}

impl Access {
    /// Whether user `id`'s data was (or may have been) part of this read.
    pub fn concerns(&self, id: &str) -> bool {
        match &self.subjects {
            Subjects::Everyone | Subjects::Unknown => true,
            Subjects::Users(ids) => ids.iter().any(|s| s == id),
        }
    }
}

/// The read `r` records, if it records one.
pub fn access_of(r: &AuditRecord) -> Option<Access> {
    if !ACCESS_ACTIONS.contains(&r.action.as_str()) {
        return None;
    }
    let body = r.body.as_ref();
    let field = |k: &str| body.and_then(|b| b.get(k));
    let text = |k: &str| field(k).and_then(|v| v.as_str()).map(str::to_owned);
    let count = |k: &str| field(k).and_then(|v| v.as_u64());
    let target_user = r
        .target
        .as_deref()
        .and_then(|t| t.strip_prefix("user:"))
        .map(str::to_owned);
    let listed = field("subjects").and_then(|v| v.as_array()).map(|a| {
        a.iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect::<Vec<_>>()
    });
    let named = match (listed, target_user) {
        (Some(ids), _) => Subjects::Users(ids),
        (None, Some(id)) => Subjects::Users(vec![id]),
        (None, None) if body.is_none() => Subjects::Unknown,
        (None, None) => Subjects::Everyone,
    };
    let (what, subjects, n, detail) = match r.action.as_str() {
        "audit.viewed" => (
            "audit log".to_owned(),
            Subjects::Everyone,
            None,
            text("query"),
        ),
        "backup.created" => (
            "backup of all data".to_owned(),
            Subjects::Everyone,
            None,
            text("file"),
        ),
        "export.written" => (
            "time entries export".to_owned(),
            named,
            count("entries"),
            text("file"),
        ),
        "user.viewed" => ("account".to_owned(), named, None, None),
        "privacy.exported" => (
            "personal data export (ZIP)".to_owned(),
            named,
            count("bytes"),
            text("request").map(|r| format!("privacy request {r}")),
        ),
        "users.listed" => (
            "user list".to_owned(),
            Subjects::Everyone,
            count("count"),
            text("q").map(|q| format!("search {q:?}")),
        ),
        _ => (
            text("what").unwrap_or_else(|| "personal data".to_owned()),
            named,
            count("count"),
            match (text("from"), text("to")) {
                (Some(f), Some(t)) => Some(format!("{f} to {t}")),
                _ => None,
            },
        ),
    };
    Some(Access {
        seq: r.seq,
        at_ms: r.at_ms,
        actor: r.actor.clone(),
        action: r.action.clone(),
        what,
        subjects,
        count: n,
        detail,
        redacted: body.is_none(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::{AuditEvent, GENESIS};
    use serde_json::json;

    fn rec(action: &str, target: Option<&str>, body: serde_json::Value) -> AuditRecord {
        let ev = AuditEvent {
            at_ms: 1,
            actor: "user:m".into(),
            ip: None,
            action: action.into(),
            target: target.map(str::to_owned),
            body,
        };
        AuditRecord::seal(&ev, 1, GENESIS)
    }

    #[test]
    fn reads_name_their_subjects_and_writes_are_not_reads() {
        let r = rec(
            DATA_ACCESSED,
            Some("user:u1"),
            json!({"what": "time entries", "subjects": ["u1"], "count": 3}),
        );
        let a = access_of(&r).unwrap();
        assert_eq!(a.subjects, Subjects::Users(vec!["u1".into()]));
        assert_eq!((a.what.as_str(), a.count), ("time entries", Some(3)));
        assert!(a.concerns("u1") && !a.concerns("u2"));

        let mut r = rec("user.viewed", Some("user:u2"), json!({}));
        r.redact();
        let a = access_of(&r).unwrap();
        assert_eq!(
            a.subjects,
            Subjects::Users(vec!["u2".into()]),
            "the target survives redaction"
        );

        let b = access_of(&rec("backup.created", None, json!({"file": "f"}))).unwrap();
        assert!(b.concerns("anyone"));
        let mut e = rec("export.written", None, json!({"file": "f"}));
        e.redact();
        assert_eq!(access_of(&e).unwrap().subjects, Subjects::Unknown);
        assert!(access_of(&rec("user.created", None, json!({}))).is_none());
    }
}
