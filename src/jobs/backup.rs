//! The scheduled `backup` job: the `[backup]` configuration as a policy for
//! `Services::scheduled_backup`, and its run as the job's report.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Report;
use crate::config::Config;
use crate::service::{Actor, BackupPolicy, Encrypt, Services};

pub async fn run(svc: Services, cfg: Arc<Config>) -> Result<Report, String> {
    let b = &cfg.backup;
    let policy = BackupPolicy {
        dir: b.dir.clone(),
        encrypt: Encrypt::choose(b.encrypt_to.clone(), b.passphrase_file.clone()),
        keep_daily: b.keep_daily,
        keep_weekly: b.keep_weekly,
        keep_monthly: b.keep_monthly,
    };
    let run = svc
        .backups()
        .scheduled(&Actor::system(), &policy)
        .await
        .map_err(|e| e.to_string())?;
    let made = &run.made;
    let shown = made.path.display().to_string();
    let records: u64 = made.counts.values().sum();
    Ok(Report {
        counts: BTreeMap::from([
            ("records".to_owned(), records as i64),
            ("bytes".to_owned(), made.bytes as i64),
            ("write_pause_ms".to_owned(), made.paused.as_millis() as i64),
            ("elapsed_ms".to_owned(), made.elapsed.as_millis() as i64),
            ("verify_ms".to_owned(), run.verify_ms),
            ("pruned".to_owned(), run.pruned.len() as i64),
            ("verified".to_owned(), i64::from(run.verified == Some(true))),
        ]),
        detail: Some(match run.verified {
            Some(_) => format!("{shown} (verified by a test restore)"),
            None => format!("{shown} (encrypted to a recipient: not verified here; run `ophiontt backup verify --identity FILE`)"),
        }),
    })
}
