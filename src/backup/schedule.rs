//! The scheduled `backup` job: take a backup into the backup folder, verify it by restoring it
//! into a temporary folder and comparing record counts, then rotate old ones — but only after a
//! verified backup exists, so the only good backup is never deleted.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{file_name, prune, restore, Decrypt, Encrypt};
use crate::config::Config;
use crate::jobs::Report;
use crate::service::{Actor, Services};
use crate::store::Store;

pub async fn scheduled(svc: Services, cfg: Arc<Config>) -> Result<Report, String> {
    let b = &cfg.backup;
    let (encrypt, decrypt) = match (&b.encrypt_to, &b.passphrase_file) {
        (Some(r), _) => (Encrypt::To(r.clone()), None),
        (None, Some(p)) => (
            Encrypt::PassphraseFile(p.clone()),
            Some(Decrypt::PassphraseFile(p.clone())),
        ),
        (None, None) => (Encrypt::None, Some(Decrypt::None)),
    };
    let now = svc.now_ms();
    let out = b
        .dir
        .join(file_name(now, !matches!(encrypt, Encrypt::None), false));
    let made = svc
        .write_backup(&Actor::system(), &out, &encrypt)
        .await
        .map_err(|e| e.to_string())?;
    let shown = made.path.display().to_string();

    // Verify: restore into a temporary folder and compare every tree's count.
    let verify_started = std::time::Instant::now();
    let verified = match &decrypt {
        None => None, // encrypted to a recipient: only its identity can open it
        Some(d) => Some(verify_by_restore(&made.path, d, &made.counts, now).await),
    };
    let verify_ms = verify_started.elapsed().as_millis() as i64;
    let ok = matches!(verified, Some(Ok(())));
    svc.audit_backup(
        &Actor::system(),
        &shown,
        made.bytes,
        &made.counts,
        verified.as_ref().map(|v| v.is_ok()),
    )
    .await
    .map_err(|e| e.to_string())?;
    if let Some(Err(e)) = &verified {
        return Err(format!("{shown} was written but does not verify: {e}"));
    }

    let mut pruned = Vec::new();
    if ok || verified.is_none() {
        pruned = prune(
            &b.dir,
            b.keep_daily,
            b.keep_weekly,
            b.keep_monthly,
            &made.path,
        )
        .map_err(|e| format!("rotating backups in {}: {e}", b.dir.display()))?
        .into_iter()
        .map(|p| p.display().to_string())
        .collect();
        if !pruned.is_empty() {
            svc.audit_backup_prune(&pruned)
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    let records: u64 = made.counts.values().sum();
    Ok(Report {
        counts: BTreeMap::from([
            ("records".to_owned(), records as i64),
            ("bytes".to_owned(), made.bytes as i64),
            ("write_pause_ms".to_owned(), made.paused.as_millis() as i64),
            ("elapsed_ms".to_owned(), made.elapsed.as_millis() as i64),
            ("verify_ms".to_owned(), verify_ms),
            ("pruned".to_owned(), pruned.len() as i64),
            ("verified".to_owned(), i64::from(ok)),
        ]),
        detail: Some(match verified {
            Some(_) => format!("{shown} (verified by a test restore)"),
            None => format!("{shown} (encrypted to a recipient: not verified here; run `ophiontt backup verify --identity FILE`)"),
        }),
    })
}

async fn verify_by_restore(
    file: &std::path::Path,
    decrypt: &Decrypt,
    expected: &BTreeMap<String, u64>,
    now: i64,
) -> Result<(), String> {
    let scratch = std::env::temp_dir().join(format!("ophiontt-verify-{}", uuid::Uuid::now_v7()));
    let target = scratch.join("data");
    let result = async {
        restore(file, &target, decrypt, &Default::default(), now)
            .await
            .map_err(|e| e.to_string())?;
        let store = Store::open(&target, now).map_err(|e| e.to_string())?;
        let found: BTreeMap<String, u64> = store
            .primary_counts()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        if &found != expected {
            return Err(format!(
                "the restored store holds {found:?}, the backup says {expected:?}"
            ));
        }
        Ok(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&scratch);
    result
}
