//! Ids for rows that have none in their file, and what makes a row a duplicate.
//!
//! A fingerprint is `"row:"` and the hex SHA-256 of the row's normalised content: the person
//! (lower-cased e-mail, else lower-cased name), start and end in UTC milliseconds, project, task
//! and note. Each part goes into the hash with its length in front, so no two different rows
//! hash the same text. The tool is not part of it: the same entry exported from Toggl and,
//! later, from Clockify (or a file imported as the wrong tool's whose columns happen to read)
//! is the same row, and is not imported twice.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::row::{ImportRow, Parsed, RowError, Source};

/// The fingerprint id of `row` (its `source_id` field is not read); `_source` is the tool the
/// row came from, which does not change it.
pub fn fingerprint(_source: Source, row: &ImportRow) -> String {
    let person = row
        .user_email
        .as_deref()
        .or(row.user_name.as_deref())
        .unwrap_or("")
        .trim()
        .to_lowercase();
    let start = row.start_ms.to_string();
    let end = row.end_ms.to_string();
    let parts = [
        person.as_str(),
        start.as_str(),
        end.as_str(),
        row.project.as_deref().unwrap_or(""),
        row.task.as_deref().unwrap_or(""),
        row.note.as_str(),
    ];
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.len().to_string().as_bytes());
        hash.update(b":");
        hash.update(part.as_bytes());
    }
    format!("row:{}", hex::encode(hash.finalize()))
}

/// Adds `row` to `parsed`, unless an earlier row has its `source_id`: then the row becomes a
/// `RowError` ("duplicate of line N"). `seen` maps the ids taken so far to their lines.
pub fn push_unique(parsed: &mut Parsed, seen: &mut HashMap<String, usize>, row: ImportRow) {
    match seen.get(&row.source_id) {
        Some(&first) => parsed.errors.push(RowError {
            line: row.line,
            message: format!("duplicate of line {first}: the same entry twice"),
        }),
        None => {
            seen.insert(row.source_id.clone(), row.line);
            parsed.rows.push(row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> ImportRow {
        ImportRow {
            line: 2,
            source_id: String::new(),
            user_email: Some("ada@example.com".into()),
            user_name: Some("Ada".into()),
            client: Some("Acme".into()),
            project: Some("Backups".into()),
            task: None,
            tags: vec!["ops".into()],
            note: "nightly run".into(),
            start_ms: 1_793_606_400_000,
            end_ms: 1_793_611_800_000,
            billable: true,
        }
    }

    #[test]
    fn stable_and_distinct() {
        let a = fingerprint(Source::Toggl, &row());
        assert_eq!(a, fingerprint(Source::Toggl, &row()));
        assert!(a.starts_with("row:"));
        assert_eq!(a.len(), "row:".len() + 64);
        // What is not part of an entry's identity does not change it.
        let same = ImportRow {
            line: 9,
            tags: vec![],
            billable: false,
            client: None,
            ..row()
        };
        assert_eq!(a, fingerprint(Source::Toggl, &same));
        let others = [
            ImportRow {
                end_ms: row().end_ms + 1,
                ..row()
            },
            ImportRow {
                note: "nightly run ".into(),
                ..row()
            },
            ImportRow {
                user_email: Some("bob@example.com".into()),
                ..row()
            },
            ImportRow {
                project: None,
                ..row()
            },
            ImportRow {
                project: None,
                task: Some("Backups".into()),
                ..row()
            },
        ];
        for other in &others {
            assert_ne!(a, fingerprint(Source::Toggl, other));
        }
        // The same entry from another tool is the same row.
        assert_eq!(a, fingerprint(Source::Clockify, &row()));
    }

    #[test]
    fn the_second_of_two_is_a_duplicate() {
        let mut parsed = Parsed::default();
        let mut seen = HashMap::new();
        let first = ImportRow {
            source_id: "x".into(),
            ..row()
        };
        push_unique(&mut parsed, &mut seen, first.clone());
        push_unique(&mut parsed, &mut seen, ImportRow { line: 7, ..first });
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(
            parsed.errors,
            [RowError {
                line: 7,
                message: "duplicate of line 2: the same entry twice".into()
            }]
        );
    }
}
