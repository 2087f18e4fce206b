//! The backup file: JSON Lines — a header (format version, schema version, app version,
//! created, record counts), one line per primary record (tree, key and value in base64), and a
//! trailer (counts and the SHA-256 of every line before it) — zstd-compressed with its frame
//! checksum, optionally age-encrypted around that.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::crypt::{decrypting, encrypting, Decrypt, Encrypt};
use super::BackupError;
use crate::store::{Dump, TreeId, LATEST_SCHEMA, PRIMARY};

pub const FORMAT: &str = "ophiontt-backup";
/// The format version this build writes and the newest it reads.
pub const VERSION: u32 = 1;
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];
const AGE_MAGIC: &[u8] = b"age-encryption.org/";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub schema: u32,
    pub app: String,
    pub created: String,
    pub counts: BTreeMap<String, u64>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Trailer {
    trailer: bool,
    counts: BTreeMap<String, u64>,
    sha256: String,
}

#[derive(Deserialize)]
struct Rec {
    t: String,
    k: String,
    v: String,
}

/// Bytes of the backup file read so far, for a progress bar.
pub type Progress = std::sync::Arc<std::sync::atomic::AtomicU64>;

struct Counting<R>(R, Progress);

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        self.1
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// Counts records per tree name.
pub fn counts_of(dump: &Dump) -> BTreeMap<String, u64> {
    let mut counts: BTreeMap<String, u64> =
        PRIMARY.iter().map(|t| (t.name().to_owned(), 0)).collect();
    for (t, _, _) in &dump.records {
        *counts.entry(t.name().to_owned()).or_default() += 1;
    }
    counts
}

/// Writes `dump` to `out`; returns the header written.
pub fn write<W: Write + 'static>(
    dump: &Dump,
    created: String,
    encrypt: &Encrypt,
    out: W,
) -> Result<Header, BackupError> {
    let io = BackupError::io("writing the backup");
    let sink = encrypting(encrypt, out)?;
    let mut z = zstd::Encoder::new(sink, 3).map_err(&io)?;
    z.include_checksum(true).map_err(&io)?;
    let mut hash = Sha256::new();
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        schema: LATEST_SCHEMA,
        app: env!("CARGO_PKG_VERSION").into(),
        created,
        counts: counts_of(dump),
    };
    let mut line = serde_json::to_vec(&header).expect("the header serialises");
    line.push(b'\n');
    hash.update(&line);
    z.write_all(&line).map_err(&io)?;
    for (t, k, v) in &dump.records {
        line.clear();
        line.extend_from_slice(b"{\"t\":\"");
        line.extend_from_slice(t.name().as_bytes());
        line.extend_from_slice(b"\",\"k\":\"");
        line.extend_from_slice(B64.encode(k).as_bytes());
        line.extend_from_slice(b"\",\"v\":\"");
        line.extend_from_slice(B64.encode(v).as_bytes());
        line.extend_from_slice(b"\"}\n");
        hash.update(&line);
        z.write_all(&line).map_err(&io)?;
    }
    let trailer = Trailer {
        trailer: true,
        counts: header.counts.clone(),
        sha256: hex::encode(hash.finalize()),
    };
    let mut last = serde_json::to_vec(&trailer).expect("the trailer serialises");
    last.push(b'\n');
    z.write_all(&last).map_err(&io)?;
    z.finish().map_err(&io)?.finish().map_err(&io)?;
    Ok(header)
}

/// Reads `file` from end to end, checking everything; `record` gets each record in order
/// (a restore writes them, a verify ignores them). Returns the header.
pub fn read(
    file: &Path,
    decrypt: &Decrypt,
    progress: &Progress,
    mut record: impl FnMut(TreeId, Vec<u8>, Vec<u8>) -> Result<(), BackupError>,
) -> Result<Header, BackupError> {
    let f = std::fs::File::open(file).map_err(|e| BackupError::Input {
        what: format!("cannot open {}: {e}", file.display()),
    })?;
    let mut raw = BufReader::new(Counting(f, progress.clone()));
    let start = raw
        .fill_buf()
        .map_err(BackupError::io("reading the backup"))?;
    let compressed: Box<dyn Read> = if start.starts_with(&ZSTD_MAGIC) {
        Box::new(raw)
    } else if start.starts_with(AGE_MAGIC) {
        decrypting(file, decrypt, raw)?
    } else {
        return Err(BackupError::NotABackup {
            file: file.to_owned(),
        });
    };
    let z = zstd::Decoder::new(compressed).map_err(BackupError::io("reading the backup"))?;
    let mut lines = BufReader::with_capacity(1 << 20, z);
    let mut hash = Sha256::new();
    let mut line = Vec::new();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut records = 0u64;
    let stream_err = |e: std::io::Error, records: u64| classify(file, e, records);

    lines
        .read_until(b'\n', &mut line)
        .map_err(|e| stream_err(e, 0))?;
    let header: Header = serde_json::from_slice(&line)
        .ok()
        .filter(|h: &Header| h.format == FORMAT)
        .ok_or_else(|| BackupError::NotABackup {
            file: file.to_owned(),
        })?;
    if header.version > VERSION || header.schema > LATEST_SCHEMA {
        return Err(BackupError::TooNew {
            file: file.to_owned(),
            what: format!(
                "it was written by ophiontt {} (backup format {}, store schema {}); this ophiontt {} \
                 reads format {VERSION} and schema {LATEST_SCHEMA} at most: restore it with that \
                 version or newer",
                header.app,
                header.version,
                header.schema,
                env!("CARGO_PKG_VERSION")
            ),
        });
    }
    hash.update(&line);
    loop {
        line.clear();
        let n = lines
            .read_until(b'\n', &mut line)
            .map_err(|e| stream_err(e, records))?;
        if n == 0 || line.last() != Some(&b'\n') {
            return Err(BackupError::Truncated {
                file: file.to_owned(),
                records,
            });
        }
        if line.starts_with(b"{\"trailer\"") {
            let trailer: Trailer = serde_json::from_slice(&line)
                .map_err(|e| damaged(file, format!("its trailer is unreadable ({e})")))?;
            let digest = hex::encode(hash.finalize());
            if trailer.sha256 != digest {
                return Err(damaged(
                    file,
                    "its SHA-256 does not match the trailer (a byte changed?)".into(),
                ));
            }
            if trailer.counts != seen_all(&header, &seen) || trailer.counts != header.counts {
                return Err(damaged(
                    file,
                    format!("it holds {seen:?} records but says {:?}", trailer.counts),
                ));
            }
            // Nothing may follow the trailer.
            let mut rest = [0u8; 1];
            if lines.read(&mut rest).map_err(|e| stream_err(e, records))? != 0 {
                return Err(damaged(file, "data follows its trailer".into()));
            }
            return Ok(header);
        }
        hash.update(&line);
        let rec: Rec = serde_json::from_slice(&line)
            .map_err(|e| damaged(file, format!("record {} is unreadable ({e})", records + 1)))?;
        let tree = PRIMARY
            .iter()
            .copied()
            .find(|t| t.name() == rec.t)
            .ok_or_else(|| {
                damaged(
                    file,
                    format!("record {} names an unknown tree `{}`", records + 1, rec.t),
                )
            })?;
        let (Ok(k), Ok(v)) = (B64.decode(rec.k), B64.decode(rec.v)) else {
            return Err(damaged(
                file,
                format!("record {} is not valid base64", records + 1),
            ));
        };
        *seen.entry(rec.t).or_default() += 1;
        records += 1;
        record(tree, k, v)?;
    }
}

/// The counts seen, with every tree of the header present (a tree may hold nothing).
fn seen_all(header: &Header, seen: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    header
        .counts
        .keys()
        .map(|k| (k.clone(), seen.get(k).copied().unwrap_or(0)))
        .chain(seen.iter().map(|(k, v)| (k.clone(), *v)))
        .collect()
}

fn damaged(file: &Path, why: String) -> BackupError {
    BackupError::Damaged {
        file: file.to_owned(),
        why,
    }
}

/// An error from the decompressing (or decrypting) stream: cut short, or damaged.
fn classify(file: &Path, e: std::io::Error, records: u64) -> BackupError {
    let text = e.to_string().to_lowercase();
    if e.kind() == std::io::ErrorKind::UnexpectedEof
        || text.contains("incomplete")
        || text.contains("unexpected end")
    {
        BackupError::Truncated {
            file: file.to_owned(),
            records,
        }
    } else {
        damaged(
            file,
            format!("it cannot be read past record {records} ({e})"),
        )
    }
}
