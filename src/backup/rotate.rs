//! Listing backup files and rotating scheduled ones: keep the newest backup of each of the
//! last N days, N ISO weeks and N months that have one, and never the file just verified.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};

/// A backup file in the backup folder.
#[derive(Debug, Clone)]
pub struct BackupFile {
    pub path: PathBuf,
    pub created: DateTime<Utc>,
    pub bytes: u64,
    pub encrypted: bool,
    /// Taken by `backup create` rather than the schedule: rotation leaves it alone.
    pub manual: bool,
}

/// The time in a name written by [`super::file_name`].
fn created_of(name: &str) -> Option<DateTime<Utc>> {
    let rest = name.strip_prefix("ophiontt-")?;
    let stamp = rest
        .strip_prefix("manual-")
        .unwrap_or(rest)
        .split(".backup.zst")
        .next()?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%S%.3fZ")
        .ok()
        .map(|t| t.and_utc())
}

/// The backups in `dir`, newest first (files not named like ours are left out).
pub fn list(dir: &Path) -> std::io::Result<Vec<BackupFile>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(created) = created_of(&name) else {
            continue;
        };
        if !(name.ends_with(".backup.zst") || name.ends_with(".backup.zst.age")) {
            continue;
        }
        out.push(BackupFile {
            bytes: entry.metadata()?.len(),
            encrypted: name.ends_with(".age"),
            manual: name.starts_with("ophiontt-manual-"),
            path: entry.path(),
            created,
        });
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.created));
    Ok(out)
}

/// Which of `files` (newest first) to keep: the newest of each of the latest `daily` days,
/// `weekly` ISO weeks and `monthly` months, and `always`.
pub fn keep_set(
    files: &[BackupFile],
    daily: u32,
    weekly: u32,
    monthly: u32,
    always: &Path,
) -> BTreeSet<PathBuf> {
    let mut keep = BTreeSet::new();
    keep.insert(always.to_owned());
    let mut pick = |n: u32, bucket: &dyn Fn(&DateTime<Utc>) -> (i32, u32)| {
        let mut seen = BTreeSet::new();
        for f in files {
            if seen.len() as u32 >= n {
                break;
            }
            if seen.insert(bucket(&f.created)) {
                keep.insert(f.path.clone());
            }
        }
    };
    pick(daily, &|t| (t.year(), t.ordinal()));
    pick(weekly, &|t| (t.iso_week().year(), t.iso_week().week()));
    pick(monthly, &|t| (t.year(), t.month()));
    keep
}

/// Deletes the scheduled backups in `dir` outside [`keep_set`] (manual ones stay); returns what was deleted.
pub fn prune(
    dir: &Path,
    daily: u32,
    weekly: u32,
    monthly: u32,
    verified: &Path,
) -> std::io::Result<Vec<PathBuf>> {
    let files: Vec<BackupFile> = list(dir)?.into_iter().filter(|f| !f.manual).collect();
    let keep = keep_set(&files, daily, weekly, monthly, verified);
    let mut removed = Vec::new();
    for f in files {
        if !keep.contains(&f.path) {
            std::fs::remove_file(&f.path)?;
            removed.push(f.path);
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> BackupFile {
        let created = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_utc();
        BackupFile {
            path: PathBuf::from(s),
            created,
            bytes: 1,
            encrypted: false,
            manual: false,
        }
    }

    #[test]
    fn rotation_keeps_the_newest_per_day_week_and_month_and_the_verified_file() {
        // Newest first: two a day for ten days in November, and one in each earlier month.
        let mut files = Vec::new();
        for d in (1..=10).rev() {
            files.push(at(&format!("2026-11-{d:02} 14:00")));
            files.push(at(&format!("2026-11-{d:02} 02:30")));
        }
        for m in (1..=10).rev() {
            files.push(at(&format!("2026-{m:02}-15 02:30")));
        }
        let keep = keep_set(&files, 3, 3, 4, Path::new("2026-11-05 02:30"));
        let kept: Vec<_> = files
            .iter()
            .filter(|f| keep.contains(&f.path))
            .map(|f| f.path.display().to_string())
            .collect();
        assert_eq!(
            kept,
            [
                "2026-11-10 14:00",
                "2026-11-09 14:00",
                "2026-11-08 14:00", // 3 days
                "2026-11-05 02:30", // the verified one
                "2026-11-01 14:00", // the third ISO week (44)
                "2026-10-15 02:30",
                "2026-09-15 02:30",
                "2026-08-15 02:30", // months
            ]
        );
        assert!(
            keep_set(&files, 0, 0, 0, Path::new("x")).len() == 1,
            "only the verified one"
        );
    }
}
