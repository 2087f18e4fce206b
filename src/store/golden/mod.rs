//! Golden fixtures of the stored formats: one record of every kind the store writes, encoded by
//! the version that made `tests/golden/`, so that a change which can no longer read old data (or
//! silently writes a different layout) fails a test instead of a customer's upgrade.
//!
//! - `tests/golden/store-records.txt`: every primary tree's rows (key and value bytes) after
//!   [`populate`] wrote [`Fixtures`] through the store's own write methods.
//! - `tests/golden/audit-events.jsonl`: audit events (bodies included) as the running server
//!   wrote them for a few real actions (made by `tests/api/golden.rs`); [`populate`] appends them,
//!   so their stored records are in `store-records.txt` too.
//! - `tests/golden/backup*.zst*`: a backup of the same store, plain and age-encrypted
//!   (`src/backup/golden.rs`).
//!
//! The tests only read. To regenerate (allowed only together with a migration that reads the
//! old layout, see docs/admin-guide.md "Stored formats"):
//! `OPHIONTT_WRITE_GOLDEN=1 cargo test --test api golden -- --ignored` (audit events first), then
//! `OPHIONTT_WRITE_GOLDEN=1 cargo test --lib golden`.

mod check;
mod fixtures;
mod incidents;
mod integrations;

use std::path::PathBuf;

use super::{Store, TreeId};
pub use check::assert_holds;
pub use fixtures::{fixtures, populate};

/// Set to `1` to rewrite the golden files instead of reading them.
pub const WRITE_ENV: &str = "OPHIONTT_WRITE_GOLDEN";

/// 2026-01-01T00:00:00Z: every instant of the fixtures is this plus a few seconds.
pub const T0: i64 = 1_767_225_600_000;

/// Whether this run rewrites the golden files.
pub fn writing() -> bool {
    std::env::var(WRITE_ENV).is_ok_and(|v| v == "1")
}

/// A file under `tests/golden/`.
pub fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// One stored row: tree, key, value.
pub type Row = (TreeId, Vec<u8>, Vec<u8>);

/// The golden text form of stored rows, one per line: `<tree> <key in hex> <value>`, where the
/// value is `j:` and the JSON after a value's format tag 1, or `x:` and the raw bytes in hex.
pub fn format_rows(rows: &[Row]) -> String {
    let mut out = format!(
        "# Stored rows of every primary tree, as written by ophiontt (schema {}). Made by\n\
         # src/store/golden/; read by its tests. Do not edit; see docs/admin-guide.md.\n",
        super::LATEST_SCHEMA
    );
    for (t, k, v) in rows {
        let value = match v.split_first() {
            Some((1, json)) if std::str::from_utf8(json).is_ok_and(|s| !s.contains('\n')) => {
                format!("j:{}", std::str::from_utf8(json).unwrap())
            }
            _ => format!("x:{}", hex::encode(v)),
        };
        out.push_str(&format!("{} {} {value}\n", t.name(), hex::encode(k)));
    }
    out
}

/// Parses [`format_rows`]' text.
pub fn parse_rows(text: &str) -> Vec<Row> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let (t, k, v) = (
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
            );
            let tree = TreeId::ALL
                .into_iter()
                .find(|x| x.name() == t)
                .unwrap_or_else(|| panic!("unknown tree {t}"));
            let value = match v.split_at(2) {
                ("j:", json) => [&[1u8][..], json.as_bytes()].concat(),
                ("x:", h) => hex::decode(h).unwrap(),
                _ => panic!("bad value in line {l}"),
            };
            (tree, hex::decode(k).unwrap(), value)
        })
        .collect()
}

/// Every primary row of `store`, in tree then key order.
pub async fn rows_of(store: &Store) -> Vec<Row> {
    store
        .dump()
        .await
        .unwrap()
        .records
        .into_iter()
        .map(|(t, k, v)| (t, k.to_vec(), v.to_vec()))
        .collect()
}

/// A store in a fresh folder holding the golden rows of `file` (`store-records.txt`, or an older
/// schema's), loaded as a restore loads a backup (records as they are, indexes derived from
/// them, an older schema migrated).
pub async fn load_golden(file: &str) -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), T0).unwrap();
    for t in super::PRIMARY {
        store.clear_tree(t).unwrap();
    }
    let text = std::fs::read_to_string(path(file)).unwrap();
    let mut loader = store.loader();
    for (t, k, v) in parse_rows(&text) {
        loader.add(t, k, v).unwrap();
    }
    loader.finish().await.unwrap();
    store.finish_restore(T0).await.unwrap();
    (store, dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Old data stays readable: the golden rows decode to the fixtures.
    #[tokio::test(flavor = "multi_thread")]
    async fn golden_rows_decode_to_the_fixtures() {
        if writing() {
            return; // the file is being rewritten by the test below: run again without it
        }
        let f = fixtures();
        let (store, _dir) = load_golden("store-records.txt").await;
        assert_holds(&store, &f);
    }

    /// Rows of schema 4 (entries as JSON in `entries`, kept when schema 5 moved them into the
    /// timeline, binary) still load, and migrate, to the same fixtures.
    #[tokio::test(flavor = "multi_thread")]
    async fn schema_four_rows_load_and_migrate_to_the_fixtures() {
        let (store, _dir) = load_golden("store-records-schema4.txt").await;
        assert_holds(&store, &fixtures().before_weeks());
        assert_eq!(
            super::super::migrate::current_version(&store).unwrap(),
            super::super::LATEST_SCHEMA
        );
    }

    /// Rows of schema 5 (money from each entry's copy of its project's rate, no project index)
    /// load, and migrate, to the same fixtures.
    #[tokio::test(flavor = "multi_thread")]
    async fn schema_five_rows_load_and_migrate_to_the_fixtures() {
        let (store, _dir) = load_golden("store-records-schema5.txt").await;
        assert_holds(&store, &fixtures().before_weeks());
        assert_eq!(
            super::super::migrate::current_version(&store).unwrap(),
            super::super::LATEST_SCHEMA
        );
    }

    /// The layout does not drift: writing the fixtures today gives the golden bytes. With
    /// `OPHIONTT_WRITE_GOLDEN=1` this rewrites `store-records.txt` instead.
    #[tokio::test(flavor = "multi_thread")]
    async fn writing_the_fixtures_gives_the_golden_rows() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), T0).unwrap();
        populate(&store, &fixtures()).await;
        let text = format_rows(&rows_of(&store).await);
        let file = path("store-records.txt");
        if writing() {
            std::fs::write(&file, &text).unwrap();
            return;
        }
        let golden = std::fs::read_to_string(&file).unwrap();
        let data = |t: &str| -> Vec<String> {
            t.lines()
                .filter(|l| !l.starts_with('#'))
                .map(str::to_owned)
                .collect()
        };
        let (golden, text) = (data(&golden), data(&text));
        for (i, (want, got)) in golden.iter().zip(&text).enumerate() {
            assert_eq!(
                got,
                want,
                "row {} of {} differs: the stored layout changed. A layout change needs a \
                 migration and new fixtures (docs/admin-guide.md, \"Stored formats\")",
                i + 1,
                file.display()
            );
        }
        assert_eq!(text.len(), golden.len());
    }

    #[test]
    fn the_row_text_round_trips() {
        let rows: Vec<Row> = vec![
            (TreeId::Meta, b"schema_version".to_vec(), vec![0, 0, 0, 4]),
            (TreeId::Users, vec![1, 2], b"\x01{\"a\":\"b c\"}".to_vec()),
        ];
        assert_eq!(parse_rows(&format_rows(&rows)), rows);
    }

    #[test]
    fn every_primary_tree_has_golden_rows() {
        if writing() {
            return;
        }
        let text = std::fs::read_to_string(path("store-records.txt")).unwrap();
        let rows = parse_rows(&text);
        for t in super::super::PRIMARY {
            assert!(
                rows.iter().any(|(x, _, _)| *x == t),
                "no golden row for tree {}",
                t.name()
            );
        }
    }
}
