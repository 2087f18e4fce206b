//! The entries page's body, written by serde straight from the service's views: the same JSON
//! as [`EntryPageDto`](super::entries_dto::EntryPageDto) (the spec's type), without building
//! a DTO of owned strings per entry first. Ids are formatted into stack buffers and instants
//! by [`instant`]; a month's answer (1,550 entries) made five ids, four instants and the
//! copies of its labels per entry before (docs/performance.md, "A month of entries").

use serde::ser::{SerializeSeq, SerializeStruct, Serializer};
use serde::Serialize;

use crate::domain::time::duration_secs;
use crate::service::EntryView;

/// A page of entries as the answer's JSON.
pub(super) struct PageBody<'a> {
    pub items: &'a [EntryView],
    pub next_cursor: Option<&'a str>,
    pub total_seconds: i64,
    /// The instant a running entry's duration runs to.
    pub now_ms: i64,
}

impl PageBody<'_> {
    /// About the bytes of the body: an entry is about 600 bytes with short names and notes.
    pub fn size_hint(&self) -> usize {
        let text: usize = (self.items.iter())
            .map(|v| v.entry.note.len() + v.labels.project_name.len())
            .sum();
        128 + self.items.len() * 560 + text * 5 / 4
    }
}

impl Serialize for PageBody<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("EntryPageDto", 3)?;
        st.serialize_field("items", &Items(self.items, self.now_ms))?;
        st.serialize_field("next_cursor", &self.next_cursor)?;
        st.serialize_field("total_seconds", &self.total_seconds)?;
        st.end()
    }
}

struct Items<'a>(&'a [EntryView], i64);

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for v in self.0 {
            seq.serialize_element(&Item(v, self.1))?;
        }
        seq.end()
    }
}

struct Item<'a>(&'a EntryView, i64);

impl Serialize for Item<'_> {
    /// The fields of `EntryDto`, in its order.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, l, can) = (&self.0.entry, &self.0.labels, &self.0.can);
        let mut st = s.serialize_struct("EntryDto", 20)?;
        st.serialize_field("id", &Id(e.id.as_bytes()))?;
        st.serialize_field("user_id", &Id(e.user_id.as_bytes()))?;
        st.serialize_field("user_name", &l.user_name)?;
        st.serialize_field("project_id", &Id(e.project_id.as_bytes()))?;
        st.serialize_field("project_name", &l.project_name)?;
        st.serialize_field("project_color", &l.project_color)?;
        st.serialize_field("client_name", &l.client_name)?;
        st.serialize_field("task_id", &e.task_id.as_ref().map(|t| Id(t.as_bytes())))?;
        st.serialize_field("task_title", &l.task_title)?;
        st.serialize_field("note", &e.note)?;
        st.serialize_field("tags", &e.tags)?;
        st.serialize_field("start", &Instant(e.start_ms))?;
        st.serialize_field("end", &e.end_ms.map(Instant))?;
        let end = e.end_ms.unwrap_or(self.1);
        st.serialize_field("duration_seconds", &duration_secs(e.start_ms, end))?;
        st.serialize_field("billable", &e.billable)?;
        st.serialize_field("rate_cents", &e.rate_cents)?;
        st.serialize_field("currency", &e.currency)?;
        st.serialize_field("created_at", &Instant(e.created_at_ms))?;
        st.serialize_field("updated_at", &Instant(e.updated_at_ms))?;
        st.serialize_field("can", &Can(can.edit, can.delete))?;
        st.end()
    }
}

/// An id as the API writes it: a lower-case hyphenated UUID.
struct Id<'a>(&'a [u8; 16]);

impl Serialize for Id<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = uuid::Uuid::encode_buffer();
        s.serialize_str(
            uuid::Uuid::from_bytes(*self.0)
                .hyphenated()
                .encode_lower(&mut buf),
        )
    }
}

/// An instant as the API writes it (`crate::domain::time::rfc3339`).
struct Instant(i64);

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 20];
        match instant(self.0, &mut buf) {
            Some(text) => s.serialize_str(text),
            None => s.serialize_str(&crate::domain::time::rfc3339(self.0)),
        }
    }
}

/// `EntryCanDto`.
struct Can(bool, bool);

impl Serialize for Can {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("EntryCanDto", 2)?;
        st.serialize_field("edit", &self.0)?;
        st.serialize_field("delete", &self.1)?;
        st.end()
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` for instants from 1970 to 9999 (the rest: `None`, and the caller
/// uses chrono), as `rfc3339` writes them: whole seconds, truncated.
fn instant(ms: i64, buf: &mut [u8; 20]) -> Option<&str> {
    const MAX_MS: i64 = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
    if !(0..=MAX_MS).contains(&ms) {
        return None;
    }
    let secs = ms / 1000;
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm, for days ≥ 0).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let put = |buf: &mut [u8; 20], at: usize, n: i64, width: usize| {
        let mut n = n;
        for i in (0..width).rev() {
            buf[at + i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(buf, 0, year, 4);
    buf[4] = b'-';
    put(buf, 5, month, 2);
    buf[7] = b'-';
    put(buf, 8, day, 2);
    buf[10] = b'T';
    put(buf, 11, rest / 3600, 2);
    buf[13] = b':';
    put(buf, 14, rest % 3600 / 60, 2);
    buf[16] = b':';
    put(buf, 17, rest % 60, 2);
    buf[19] = b'Z';
    std::str::from_utf8(buf).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::rfc3339;
    use crate::domain::tracking::Entry;
    use crate::domain::{EntryId, ProjectId, TaskId, UserId};
    use crate::service::{EntryLabels, EntryPermissions};

    fn view(n: i64) -> EntryView {
        let odd = n % 2 == 1;
        let some = |s: &str| odd.then(|| s.to_owned());
        EntryView {
            entry: Entry {
                id: EntryId::new(1_767_225_600_000 + n),
                user_id: UserId::new(2),
                project_id: ProjectId::new(3),
                task_id: odd.then(|| TaskId::new(4)),
                tags: if odd {
                    vec!["ops".into(), "ünï \"q\"".into()]
                } else {
                    vec![]
                },
                note: ["", "line one\tand \\ two\n\u{1}", "✓ done"][n as usize % 3].into(),
                start_ms: 1_767_225_600_000 + n * 3_600_123,
                end_ms: (n % 3 != 2).then_some(1_767_229_200_000 + n * 3_600_000),
                billable: odd,
                rate_cents: odd.then_some(9000),
                currency: "EUR".into(),
                created_at_ms: [0, -5, 253_402_300_800_000][n as usize % 3],
                updated_at_ms: 1_767_229_200_999,
            },
            labels: EntryLabels {
                user_name: some("Ada \"the\" Admin"),
                project_name: "Backups ✓".into(),
                project_color: "#2f6fde".into(),
                client_name: some("Acme\nCorp"),
                task_title: some("Rotate keys"),
            },
            can: EntryPermissions {
                edit: true,
                delete: odd,
            },
        }
    }

    /// The body is byte for byte what the spec's types give for the same entries.
    #[test]
    fn the_page_body_is_the_json_of_the_spec_types() {
        use super::super::entries_dto::{view_dto, EntryPageDto};
        let now = 1_767_300_000_000;
        for (n, cursor) in [(0, None), (1, Some("AAAA")), (7, Some("x"))] {
            let views: Vec<EntryView> = (0..n).map(view).collect();
            let body = PageBody {
                items: &views,
                next_cursor: cursor,
                total_seconds: 5400,
                now_ms: now,
            };
            let spec = EntryPageDto {
                items: views.iter().cloned().map(|v| view_dto(now, v)).collect(),
                next_cursor: cursor.map(str::to_owned),
                total_seconds: 5400,
            };
            assert_eq!(
                String::from_utf8(serde_json::to_vec(&body).unwrap()).unwrap(),
                String::from_utf8(serde_json::to_vec(&spec).unwrap()).unwrap()
            );
        }
    }

    #[test]
    fn instants_are_written_as_rfc3339_writes_them() {
        let mut buf = [0u8; 20];
        let mut ms: i64 = 0;
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let edges = [
            0,
            999,
            1000,
            951_782_400_000,     // 2000-02-29
            4_107_542_400_000,   // 2100-03-01
            253_402_300_799_999, // the last instant written here
        ];
        for &e in &edges {
            assert_eq!(instant(e, &mut buf), Some(rfc3339(e).as_str()), "{e}");
        }
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ms = (ms + (x % 9_000_000_000_000) as i64) % 253_402_300_800_000;
            assert_eq!(instant(ms, &mut buf), Some(rfc3339(ms).as_str()), "{ms}");
        }
        assert_eq!(instant(-1, &mut buf), None);
        assert_eq!(instant(253_402_300_800_000, &mut buf), None);
    }
}
