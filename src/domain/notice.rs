//! The instance's privacy notice, as data: what it stores and why, how long (from the
//! `retention.*` configuration), the one cookie, and who else processes the data (as the admin
//! lists them). Pure: the service stamps it with the date its content last changed, the web layer
//! renders it. Nothing here is invented: every line is either fixed by how OphionTT works or read
//! from the configuration.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Everything the notice is generated from. Its hash decides the "last updated" date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeInputs {
    /// Who is responsible for the data (`privacy.controller`); empty when not configured.
    pub controller: String,
    /// How to reach them about privacy (`privacy.contact`).
    pub contact: String,
    /// Processors and recipients (`privacy.processors`), as the admin wrote them.
    pub processors: Vec<String>,
    /// `(category key, rule)` from `retention.*`, e.g. `("security_events", "90d")`.
    pub retention: Vec<(String, String)>,
    /// The session cookie's real name: `__Host-ophiontt` under TLS, else `ophiontt_session`.
    pub cookie_name: String,
    pub session_idle_secs: u64,
    pub session_absolute_secs: u64,
    /// Scheduled backups: kept daily / weekly / monthly.
    pub backup_keep: (u32, u32, u32),
    pub backups_encrypted: bool,
    /// Whether the scheduled export job is on.
    pub exports_scheduled: bool,
}

impl NoticeInputs {
    /// SHA-256 of the inputs in canonical form (hex).
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(serde_json::to_vec(self).unwrap_or_default()))
    }
}

/// One category of personal data: what, why, and the retention key that governs it.
pub struct DataCategory {
    pub name: &'static str,
    pub what: &'static str,
    pub purpose: &'static str,
    /// The `retention.*` key (without the prefix) that governs it, if one does.
    pub retention_key: Option<&'static str>,
    /// How long it is kept when no retention key governs it.
    pub fixed: &'static str,
}

/// What OphionTT stores about people, fixed by how it works.
pub const CATEGORIES: &[DataCategory] = &[
    DataCategory {
        name: "Account",
        what: "name, email address, role, time zone, a salted hash of the password (never the password), whether the account is enabled",
        purpose: "to let you sign in and to show who recorded what",
        retention_key: Some("disabled_accounts"),
        fixed: "while the account exists",
    },
    DataCategory {
        name: "Time entries",
        what: "project, task, start and end, note, tags, billable flag and rate",
        purpose: "time tracking and timesheets, including billable time and rates: the reason this service exists",
        retention_key: Some("time_entries"),
        fixed: "until deleted",
    },
    DataCategory {
        name: "Tasks and comments",
        what: "task titles, descriptions, assignees and comments",
        purpose: "planning and recording work",
        retention_key: Some("tasks"),
        fixed: "until deleted",
    },
    DataCategory {
        name: "Sessions",
        what: "a hash of your session token, when it was created and last used",
        purpose: "keeping you signed in (strictly necessary)",
        retention_key: Some("sessions"),
        fixed: "until the session expires",
    },
    DataCategory {
        name: "Requests sent again",
        what: "for a timer start or stop or a quick-add line sent with a retry key (the web app's offline queue): when, and which entry it made; no text",
        purpose: "making sure a request sent again after a lost answer is not carried out twice (strictly necessary)",
        retention_key: None,
        fixed: "8 days",
    },
    DataCategory {
        name: "Security events",
        what: "sign-ins, failed sign-ins, lockouts, password and role changes, with IP address and browser (user agent)",
        purpose: "protecting accounts and investigating misuse (legitimate interest, security)",
        retention_key: Some("security_events"),
        fixed: "90 days",
    },
    DataCategory {
        name: "Audit log",
        what: "who changed or read what and when, with IP address; details of each change",
        purpose: "accountability and tamper evidence (every change is recorded in a hash chain; reads of other people's data are recorded too)",
        retention_key: Some("audit_bodies"),
        fixed: "the record is kept; its details until redacted",
    },
    DataCategory {
        name: "Privacy requests",
        what: "requests for access, correction or erasure, and what was done about them",
        purpose: "answering and documenting privacy requests (legal obligation)",
        retention_key: Some("privacy_requests"),
        fixed: "until deleted",
    },
    DataCategory {
        name: "Personal-data breaches",
        what: "when a breach concerns you: that you were affected, how that was found, and when you were told (your account id, not your name)",
        purpose: "documenting breaches and notifying the authority and the people concerned (legal obligation, GDPR Art. 33 and 34)",
        retention_key: None,
        fixed: "until deleted",
    },
    DataCategory {
        name: "Exports",
        what: "files of time entries written by the scheduled export",
        purpose: "handing time data to payroll or invoicing",
        retention_key: Some("exports"),
        fixed: "until deleted",
    },
    DataCategory {
        name: "Server logs",
        what: "requests (method, path, status, timing) and operational events; never passwords, tokens or cookies",
        purpose: "running and troubleshooting the service",
        retention_key: Some("logs"),
        fixed: "as the operating system keeps them",
    },
    DataCategory {
        name: "Backups",
        what: "copies of all the data above",
        purpose: "recovering from loss or failure",
        retention_key: Some("backups"),
        fixed: "as rotated (see below)",
    },
];

/// A retention rule in words: `forever` → "kept until deleted by hand", `90d` → "90 days".
pub fn rule_in_words(rule: &str) -> String {
    let r = rule.trim();
    if r.eq_ignore_ascii_case("forever") || r.is_empty() {
        return "kept until deleted by hand".into();
    }
    let (num, unit) = r.split_at(r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len()));
    let n: u64 = match num.parse() {
        Ok(n) => n,
        Err(_) => return r.to_owned(),
    };
    let unit = match unit {
        "d" => "day",
        "w" => "week",
        "mo" => "month",
        "y" => "year",
        "h" => "hour",
        _ => return r.to_owned(),
    };
    match n {
        0 => "deleted as soon as it expires".into(),
        1 => format!("1 {unit}"),
        n => format!("{n} {unit}s"),
    }
}

impl NoticeInputs {
    /// The retention of `c` in words, from its configured rule when there is one.
    pub fn retention_of(&self, c: &DataCategory) -> String {
        c.retention_key
            .and_then(|k| self.retention.iter().find(|(key, _)| key == k))
            .map(|(_, rule)| rule_in_words(rule))
            .unwrap_or_else(|| c.fixed.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_as_words_and_configured_ones_win() {
        assert_eq!(rule_in_words("forever"), "kept until deleted by hand");
        assert_eq!(rule_in_words("90d"), "90 days");
        assert_eq!(rule_in_words("1y"), "1 year");
        assert_eq!(rule_in_words("18mo"), "18 months");
        assert_eq!(rule_in_words("0d"), "deleted as soon as it expires");
        let mut i = NoticeInputs {
            controller: "Acme".into(),
            contact: "privacy@acme.example".into(),
            processors: vec![],
            retention: vec![("security_events".into(), "30d".into())],
            cookie_name: "ophiontt_session".into(),
            session_idle_secs: 1,
            session_absolute_secs: 2,
            backup_keep: (7, 4, 6),
            backups_encrypted: false,
            exports_scheduled: false,
        };
        let sec = CATEGORIES
            .iter()
            .find(|c| c.name == "Security events")
            .unwrap();
        assert_eq!(i.retention_of(sec), "30 days");
        let before = i.hash();
        i.processors.push("Hoster GmbH".into());
        assert_ne!(i.hash(), before);
    }
}
