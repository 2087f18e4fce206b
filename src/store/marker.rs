//! The marker file beside the store: its schema version and whether it ever held data.
//!
//! sled has been reported to open an unreadable store as an empty one. If the marker says the
//! store held data and it comes up empty, start-up is refused instead of silently starting over.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::StoreError;

pub const FILE: &str = "store-marker.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Marker {
    pub schema_version: u32,
    pub has_data: bool,
    pub app_version: String,
    pub updated_at_ms: i64,
}

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

pub fn read(data_dir: &Path) -> Result<Option<Marker>, StoreError> {
    let p = path(data_dir);
    match std::fs::read(&p) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            StoreError::Refused(format!(
                "{} is unreadable ({e}); it records whether the store held data. \
                 Inspect it; if the store is intact, delete the file and start again",
                p.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::Io {
            path: p.display().to_string(),
            source: e,
        }),
    }
}

/// Writes the marker atomically: temp file, fsync, rename.
pub fn write(data_dir: &Path, m: &Marker) -> Result<(), StoreError> {
    let p = path(data_dir);
    let tmp = data_dir.join(format!("{FILE}.tmp"));
    let io = |e| StoreError::Io {
        path: p.display().to_string(),
        source: e,
    };
    let mut f = std::fs::File::create(&tmp).map_err(io)?;
    f.write_all(&serde_json::to_vec_pretty(m).expect("marker serialises"))
        .map_err(io)?;
    f.sync_all().map_err(io)?;
    std::fs::rename(&tmp, &p).map_err(io)?;
    if let Ok(dir) = std::fs::File::open(data_dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}
