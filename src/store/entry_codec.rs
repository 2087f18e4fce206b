//! The stored form of a time entry and of the pointer to it (schema 5).
//!
//! An entry is stored once, as the value of its row in the person's timeline
//! (`entries_by_user_start`: user ‖ start ‖ id → record), so that listing a month is one range
//! scan; the `entries` tree maps each id to where its record is ([`pointer`]).
//!
//! The record is binary (format tag 2), about a third of the JSON it replaces (format tag 1,
//! still read: old rows and old backups). Layout, in order:
//!
//! | field | bytes |
//! |---|---|
//! | tag `2` | 1 |
//! | id, user, project | 16 each |
//! | flags: 1 task, 2 end, 4 billable, 8 rate | 1 |
//! | task (if flag 1) | 16 |
//! | start ms, little-endian | 8 |
//! | end − start (if flag 2), rate cents (if flag 8), created − start, updated − created | zig-zag varint each |
//! | currency, note | varint length, UTF-8 |
//! | tags | varint count, then each: varint length, UTF-8 |
//!
//! Nothing may follow the last tag. A new field means a new tag (and a migration), never a
//! change to this one: the golden rows (`tests/golden/store-records.txt`) hold it.

use super::stored::StoredEntry;
use super::{codec, StoreError, TreeId};
use crate::domain::tracking::Entry;
use crate::domain::{EntryId, ProjectId, TaskId, UserId};

/// The format tag of a binary entry record.
pub const TAG_ENTRY: u8 = 2;
/// The format tag of an `entries` value that points at the record's timeline row.
pub const TAG_POINTER: u8 = 3;

const TASK: u8 = 1;
const END: u8 = 2;
const BILLABLE: u8 = 4;
const RATE: u8 = 8;

/// The binary record of `e`.
pub fn encode(e: &Entry) -> Vec<u8> {
    let mut out = Vec::with_capacity(96 + e.note.len() + e.tags.len() * 8);
    out.push(TAG_ENTRY);
    out.extend_from_slice(e.id.as_bytes());
    out.extend_from_slice(e.user_id.as_bytes());
    out.extend_from_slice(e.project_id.as_bytes());
    let flags = if e.task_id.is_some() { TASK } else { 0 }
        | if e.end_ms.is_some() { END } else { 0 }
        | if e.billable { BILLABLE } else { 0 }
        | if e.rate_cents.is_some() { RATE } else { 0 };
    out.push(flags);
    if let Some(t) = e.task_id {
        out.extend_from_slice(t.as_bytes());
    }
    out.extend_from_slice(&e.start_ms.to_le_bytes());
    if let Some(end) = e.end_ms {
        signed(&mut out, end.wrapping_sub(e.start_ms));
    }
    if let Some(r) = e.rate_cents {
        signed(&mut out, r);
    }
    signed(&mut out, e.created_at_ms.wrapping_sub(e.start_ms));
    signed(&mut out, e.updated_at_ms.wrapping_sub(e.created_at_ms));
    text(&mut out, &e.currency);
    text(&mut out, &e.note);
    varint(&mut out, e.tags.len() as u64);
    for t in &e.tags {
        text(&mut out, t);
    }
    out
}

/// An entry record of either format (binary, or JSON from schema 4 and older).
pub fn decode(tree: TreeId, key: &[u8], bytes: &[u8]) -> Result<Entry, StoreError> {
    match bytes.first() {
        Some(&TAG_ENTRY) => {
            let mut r = Reader { bytes, at: 1 };
            read(&mut r).ok_or_else(|| {
                StoreError::corrupt(
                    tree.name(),
                    key,
                    format!("binary entry record cut or malformed at byte {}", r.at),
                )
            })
        }
        _ => codec::decode::<StoredEntry>(tree, key, bytes).map(Entry::from),
    }
}

/// The `entries` value for an entry of `user` starting at `start_ms`: where its timeline row is.
pub fn pointer(user: UserId, start_ms: i64) -> [u8; 25] {
    let mut v = [0u8; 25];
    v[0] = TAG_POINTER;
    v[1..17].copy_from_slice(user.as_bytes());
    v[17..].copy_from_slice(&super::keys::instant(start_ms));
    v
}

/// The timeline key an `entries` value points to, for the entry `id`; `None` if the value is
/// not a pointer.
pub fn pointed(id: EntryId, v: &[u8]) -> Option<[u8; 40]> {
    if v.len() != 25 || v[0] != TAG_POINTER {
        return None;
    }
    let mut k = [0u8; 40];
    k[..24].copy_from_slice(&v[1..]);
    k[24..].copy_from_slice(id.as_bytes());
    Some(k)
}

fn read(r: &mut Reader<'_>) -> Option<Entry> {
    let id = EntryId::from_bytes(r.array()?);
    let user_id = UserId::from_bytes(r.array()?);
    let project_id = ProjectId::from_bytes(r.array()?);
    let flags = r.byte()?;
    let task_id = if flags & TASK != 0 {
        Some(TaskId::from_bytes(r.array()?))
    } else {
        None
    };
    let start_ms = i64::from_le_bytes(r.array()?);
    let end_ms = if flags & END != 0 {
        Some(start_ms.wrapping_add(r.signed()?))
    } else {
        None
    };
    let rate_cents = if flags & RATE != 0 {
        Some(r.signed()?)
    } else {
        None
    };
    let created_at_ms = start_ms.wrapping_add(r.signed()?);
    let updated_at_ms = created_at_ms.wrapping_add(r.signed()?);
    let currency = r.text()?;
    let note = r.text()?;
    let n = r.varint()?;
    // Each tag takes at least one byte: a count beyond what is left is corrupt, not a huge
    // allocation.
    if n > (r.bytes.len() - r.at) as u64 {
        return None;
    }
    let mut tags = Vec::with_capacity(n as usize);
    for _ in 0..n {
        tags.push(r.text()?);
    }
    if r.at != r.bytes.len() || flags & !(TASK | END | BILLABLE | RATE) != 0 {
        return None;
    }
    Some(Entry {
        id,
        user_id,
        project_id,
        task_id,
        tags,
        note,
        start_ms,
        end_ms,
        billable: flags & BILLABLE != 0,
        rate_cents,
        currency,
        created_at_ms,
        updated_at_ms,
    })
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn signed(out: &mut Vec<u8>, n: i64) {
    varint(out, ((n << 1) ^ (n >> 63)) as u64);
}

fn text(out: &mut Vec<u8>, s: &str) {
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let a = self
            .bytes
            .get(self.at..self.at.checked_add(N)?)?
            .try_into()
            .ok()?;
        self.at += N;
        Some(a)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn signed(&mut self) -> Option<i64> {
        let z = self.varint()?;
        Some(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    fn text(&mut self) -> Option<String> {
        let n = usize::try_from(self.varint()?).ok()?;
        let b = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        String::from_utf8(b.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(note: &str, tags: &[&str], end: Option<i64>, task: bool, rate: Option<i64>) -> Entry {
        Entry {
            id: EntryId::new(1_767_225_600_000),
            user_id: UserId::new(2),
            project_id: ProjectId::new(3),
            task_id: task.then(|| TaskId::new(4)),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            note: note.into(),
            start_ms: 1_767_225_600_000,
            end_ms: end,
            billable: rate.is_some(),
            rate_cents: rate,
            currency: "EUR".into(),
            created_at_ms: 1_767_229_200_000,
            updated_at_ms: 1_767_229_200_500,
        }
    }

    #[test]
    fn records_round_trip_with_every_optional_field_on_and_off() {
        let cases = [
            entry("", &[], None, false, None),
            entry(
                "rotated the keys — ünïcode",
                &["ops", "Night"],
                Some(1_767_229_200_000),
                true,
                Some(9500),
            ),
            entry("x", &["a"], Some(i64::MAX), false, Some(-1)),
            Entry {
                start_ms: i64::MIN,
                created_at_ms: i64::MAX,
                updated_at_ms: 0,
                ..entry("", &[], Some(i64::MAX), true, None)
            },
        ];
        for e in cases {
            let b = encode(&e);
            assert_eq!(decode(TreeId::EntriesByUserStart, b"k", &b).unwrap(), e);
        }
    }

    #[test]
    fn a_binary_record_is_about_a_third_of_the_json() {
        let e = entry(
            "rotated the keys",
            &["ops"],
            Some(1_767_229_200_000),
            true,
            Some(9500),
        );
        let bin = encode(&e).len();
        let json = codec::encode(&StoredEntry::from(&e)).len();
        assert!(bin * 3 <= json + 30, "binary {bin} bytes, JSON {json}");
    }

    #[test]
    fn json_records_of_schema_four_still_decode() {
        let e = entry("n", &["t"], Some(1_767_229_200_000), false, None);
        let json = codec::encode(&StoredEntry::from(&e));
        assert_eq!(decode(TreeId::Entries, b"k", &json).unwrap(), e);
    }

    #[test]
    fn cut_padded_or_flag_garbage_records_are_corrupt_not_a_panic() {
        let b = encode(&entry(
            "note",
            &["a", "b"],
            Some(1_767_229_200_000),
            true,
            Some(1),
        ));
        for n in 1..b.len() {
            assert!(
                decode(TreeId::EntriesByUserStart, b"k", &b[..n]).is_err(),
                "cut at {n}"
            );
        }
        let mut padded = b.clone();
        padded.push(0);
        assert!(decode(TreeId::EntriesByUserStart, b"k", &padded).is_err());
        let mut flags = b.clone();
        flags[49] |= 0x40;
        assert!(decode(TreeId::EntriesByUserStart, b"k", &flags).is_err());
        let mut huge = encode(&entry("", &[], None, false, None));
        huge.pop();
        huge.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert!(decode(TreeId::EntriesByUserStart, b"k", &huge).is_err());
    }

    #[test]
    fn a_pointer_names_the_timeline_key_and_nothing_else_is_one() {
        let e = entry("", &[], None, false, None);
        let p = pointer(e.user_id, e.start_ms);
        assert_eq!(
            pointed(e.id, &p),
            Some(super::super::keys::user_timeline(
                e.user_id, e.start_ms, e.id
            ))
        );
        assert_eq!(pointed(e.id, &encode(&e)), None);
        assert_eq!(pointed(e.id, &p[..24]), None);
    }
}
