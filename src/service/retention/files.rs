//! Purging files: scheduled exports, log files and backups. Each file mixes everyone's data,
//! so while any legal hold is in force none of them is deleted.

use crate::service::Retention;
use crate::store::prelude::*;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{Pass, Tally};
use crate::domain::codes;
use crate::domain::jobs::Outcome;
use crate::service::{Result, ServiceError};

#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    Exports,
    Logs,
    Backups,
}

fn modified_ms(path: &Path) -> Option<i64> {
    let m = std::fs::metadata(path).ok()?.modified().ok()?;
    let d = m.duration_since(SystemTime::UNIX_EPOCH).ok()?;
    Some(d.as_millis() as i64)
}

/// The regular files directly in `dir` with their last-write time, oldest first.
fn files_in(dir: &Path) -> std::io::Result<Vec<(PathBuf, i64)>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            if let Some(ms) = modified_ms(&entry.path()) {
                out.push((entry.path(), ms));
            }
        }
    }
    out.sort_by_key(|(_, ms)| *ms);
    Ok(out)
}

impl Retention<'_> {
    /// The files of `kind` that expired, except those that must stay: the log file being written
    /// (the newest) and, for backups, the newest one and the newest that verified.
    fn expired_files(&self, p: &Pass<'_>, kind: Kind) -> std::io::Result<Vec<PathBuf>> {
        let st = self.settings();
        Ok(match kind {
            Kind::Exports => files_in(&st.data_dir.join("exports"))?
                .into_iter()
                .filter(|(_, ms)| *ms < p.cutoff)
                .map(|(p, _)| p)
                .collect(),
            Kind::Logs => {
                let mut all = files_in(&st.data_dir.join("logs"))?;
                all.pop(); // the current file
                all.into_iter()
                    .filter(|(_, ms)| *ms < p.cutoff)
                    .map(|(p, _)| p)
                    .collect()
            }
            Kind::Backups => {
                let all = crate::backup::rotate::list(&st.backup_dir)?; // newest first
                let newest = all.first().map(|f| f.path.clone());
                let verified = self.newest_verified_backup();
                all.into_iter()
                    .filter(|f| f.created.timestamp_millis() < p.cutoff)
                    .map(|f| f.path)
                    .filter(|path| Some(path) != newest.as_ref() && Some(path) != verified.as_ref())
                    .collect()
            }
        })
    }

    /// The file of the newest scheduled backup run that verified.
    fn newest_verified_backup(&self) -> Option<PathBuf> {
        let runs = self.store().job_runs("backup", 1000).ok()?;
        runs.into_iter()
            .filter(|r| r.outcome == Outcome::Ok && r.counts.get("verified") == Some(&1))
            .find_map(|r| {
                let detail = r.detail?;
                let path = detail.split(" (").next()?.to_owned();
                Some(PathBuf::from(path))
            })
    }

    pub(super) async fn purge_files(&self, p: &Pass<'_>, kind: Kind) -> Result<Tally> {
        let failed = |e: std::io::Error| ServiceError::Failed {
            code: codes::RETENTION_FAILED,
            message: format!("listing {kind:?} files: {e}").to_lowercase(),
        };
        let found = self.expired_files(p, kind).map_err(failed)?;
        let mut t = Tally::default();
        if !p.cov.is_empty() {
            t.held = found.len() as u64;
            return Ok(t);
        }
        t.expired = found.len() as u64;
        if p.dry_run || found.is_empty() {
            return Ok(t);
        }
        let mut removed = 0;
        for path in &found {
            match std::fs::remove_file(path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    t.note = Some(format!("could not delete {}: {e}", path.display()));
                    tracing::warn!(file = %path.display(), error = %e, "retention could not delete a file");
                }
            }
        }
        t.expired = removed;
        let ev = self.purge_event(p, removed as usize);
        self.store()
            .write(|tx| tx.append_audit(&ev).map(|_| ()))
            .await?;
        Ok(t)
    }
}
