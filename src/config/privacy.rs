//! The `[privacy]` keys: the law the register follows, what erasure does to entries, and the
//! purposes, recipients and retention periods a data export's README states.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::privacy::{EraseEntries, Law, Policy};

use super::BackupConfig;

/// The privacy policy and where the erasure ledger's copy is kept.
#[derive(Debug, Clone)]
pub struct PrivacyConfig {
    pub policy: Policy,
    pub ledger_file: PathBuf,
}

pub(super) fn list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Who else receives or processes the data: `privacy.processors`, then any entries of the older
/// `privacy.recipients` not already named. The notice and the export README show the same list.
pub fn recipients(get: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut all = list(&get("privacy.processors"));
    for r in list(&get("privacy.recipients")) {
        if !all.contains(&r) {
            all.push(r);
        }
    }
    all
}

fn days(d: Duration) -> String {
    let secs = d.as_secs();
    if secs % 86_400 == 0 {
        format!("{} days", secs / 86_400)
    } else {
        format!("{} hours", secs.div_ceil(3600))
    }
}

/// Builds the privacy configuration; `retention` facts come from the other keys.
pub fn build(
    get: &dyn Fn(&str) -> String,
    bad: &dyn Fn(&'static str, &str) -> String,
    backup: &BackupConfig,
    session_idle: Duration,
    session_absolute: Duration,
    data_dir: &Path,
) -> Result<PrivacyConfig, String> {
    let law =
        Law::parse(&get("privacy.law")).ok_or_else(|| bad("privacy.law", "not gdpr or ccpa"))?;
    let due_soon_days = get("privacy.due_soon_days")
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n <= 60)
        .ok_or_else(|| bad("privacy.due_soon_days", "not an integer from 0 to 60"))?;
    let erase_entries = match get("privacy.erase_entries").trim() {
        "anonymise" => EraseEntries::Anonymise,
        "delete" => EraseEntries::Delete,
        _ => return Err(bad("privacy.erase_entries", "not anonymise or delete")),
    };
    let ledger_file = match get("privacy.ledger_file").trim() {
        "" => backup.dir.join("erasure-ledger.jsonl"),
        p => data_dir.join(p),
    };
    let retention = vec![
        (
            "account, time entries, tasks and comments".to_owned(),
            "while the account exists; on erasure, entries are anonymised or deleted as configured"
                .to_owned(),
        ),
        (
            "sessions".to_owned(),
            format!(
                "until sign-out, {} of inactivity or {} at most",
                days(session_idle),
                days(session_absolute)
            ),
        ),
        (
            "audit records".to_owned(),
            "kept for accountability; their personal details are redacted on erasure".to_owned(),
        ),
        (
            "backups".to_owned(),
            format!(
                "the newest of the last {} days, {} weeks and {} months",
                backup.keep_daily, backup.keep_weekly, backup.keep_monthly
            ),
        ),
    ];
    Ok(PrivacyConfig {
        policy: Policy {
            law,
            due_soon_days,
            erase_entries,
            purposes: list(&get("privacy.purposes")),
            recipients: recipients(get),
            contact: get("privacy.contact").trim().to_owned(),
            retention,
        },
        ledger_file,
    })
}
