//! The entries page's body, written straight from the service's views into the answer's
//! buffer: the same JSON as [`EntryPageDto`](super::entries_dto::EntryPageDto) (the spec's
//! type), without a DTO of owned strings per entry and without serde's per-field calls. Ids and
//! instants need no escaping and are written from stack buffers; text goes through
//! [`string`], which escapes as serde_json does. A test holds the bytes equal to the spec
//! types' (docs/performance.md, "A month of entries").

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
            .map(|v| v.entry.note.len() + v.labels.project_name.len() + v.tickets.len() * 96)
            .sum();
        128 + self.items.len() * 560 + text * 5 / 4
    }

    /// The body, appended to `out`; the fields of `EntryPageDto` in its order.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"items\":[");
        for (i, v) in self.items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            item(out, v, self.now_ms);
        }
        out.extend_from_slice(b"],\"next_cursor\":");
        opt_string(out, self.next_cursor);
        out.extend_from_slice(b",\"total_seconds\":");
        int(out, self.total_seconds);
        out.push(b'}');
    }
}

/// One entry: the fields of `EntryDto`, in its order.
fn item(out: &mut Vec<u8>, v: &EntryView, now_ms: i64) {
    let (e, l, can) = (&v.entry, &v.labels, &v.can);
    out.extend_from_slice(b"{\"id\":");
    id(out, e.id.as_bytes());
    out.extend_from_slice(b",\"user_id\":");
    id(out, e.user_id.as_bytes());
    out.extend_from_slice(b",\"user_name\":");
    opt_string(out, l.user_name.as_deref());
    out.extend_from_slice(b",\"project_id\":");
    id(out, e.project_id.as_bytes());
    out.extend_from_slice(b",\"project_name\":");
    string(out, &l.project_name);
    out.extend_from_slice(b",\"project_color\":");
    string(out, &l.project_color);
    out.extend_from_slice(b",\"client_name\":");
    opt_string(out, l.client_name.as_deref());
    out.extend_from_slice(b",\"task_id\":");
    match &e.task_id {
        Some(t) => id(out, t.as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"task_title\":");
    opt_string(out, l.task_title.as_deref());
    out.extend_from_slice(b",\"note\":");
    string(out, &e.note);
    out.extend_from_slice(b",\"tags\":[");
    for (i, t) in e.tags.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, t);
    }
    out.extend_from_slice(b"],\"tickets\":[");
    for (i, t) in v.tickets.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"id\":");
        string(out, &t.id);
        out.extend_from_slice(b",\"url\":");
        string(out, &t.url);
        out.extend_from_slice(b",\"source\":");
        string(out, &t.source);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"start\":");
    instant_or_chrono(out, e.start_ms);
    out.extend_from_slice(b",\"end\":");
    match e.end_ms {
        Some(end) => instant_or_chrono(out, end),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"duration_seconds\":");
    int(out, duration_secs(e.start_ms, e.end_ms.unwrap_or(now_ms)));
    out.extend_from_slice(if e.billable {
        b",\"billable\":true,\"rate_cents\":"
    } else {
        b",\"billable\":false,\"rate_cents\":"
    });
    match e.rate_cents {
        Some(r) => int(out, r),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"currency\":");
    string(out, &e.currency);
    out.extend_from_slice(b",\"created_at\":");
    instant_or_chrono(out, e.created_at_ms);
    out.extend_from_slice(b",\"updated_at\":");
    instant_or_chrono(out, e.updated_at_ms);
    out.extend_from_slice(if v.locked {
        b",\"locked\":true"
    } else {
        b",\"locked\":false"
    });
    out.extend_from_slice(match (can.edit, can.delete) {
        (true, true) => b",\"can\":{\"edit\":true,\"delete\":true}}",
        (true, false) => b",\"can\":{\"edit\":true,\"delete\":false}}",
        (false, true) => b",\"can\":{\"edit\":false,\"delete\":true}}",
        (false, false) => b",\"can\":{\"edit\":false,\"delete\":false}}",
    });
}

/// An id as the API writes it: a lower-case hyphenated UUID, quoted.
fn id(out: &mut Vec<u8>, bytes: &[u8; 16]) {
    let mut buf = uuid::Uuid::encode_buffer();
    let text = uuid::Uuid::from_bytes(*bytes)
        .hyphenated()
        .encode_lower(&mut buf);
    out.push(b'"');
    out.extend_from_slice(text.as_bytes());
    out.push(b'"');
}

fn int(out: &mut Vec<u8>, n: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// An instant as the API writes it (`crate::domain::time::rfc3339`), quoted.
fn instant_or_chrono(out: &mut Vec<u8>, ms: i64) {
    let mut buf = [0u8; 20];
    out.push(b'"');
    match instant(ms, &mut buf) {
        Some(text) => out.extend_from_slice(text.as_bytes()),
        None => out.extend_from_slice(crate::domain::time::rfc3339(ms).as_bytes()),
    }
    out.push(b'"');
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string, escaped as serde_json escapes (so as the spec types' answers are): `"` and
/// `\\` with a backslash, the short escapes for backspace, form feed, newline, carriage return
/// and tab, other control characters as `\u00xx`; everything else as it is (UTF-8).
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut plain = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0c => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x00..=0x1f => b'u',
            _ => continue,
        };
        out.extend_from_slice(&bytes[plain..i]);
        plain = i + 1;
        out.extend_from_slice(&[b'\\', short]);
        if short == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]);
        }
    }
    out.extend_from_slice(&bytes[plain..]);
    out.push(b'"');
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
                edit: n % 3 != 1,
                delete: odd,
            },
            tickets: (0..n % 3)
                .map(|i| crate::domain::tickets::Ticket {
                    id: format!("OPS-{i}"),
                    url: format!("https://t.example/browse/OPS-{i}?a=\"b\"&c"),
                    source: "jira ✓".into(),
                })
                .collect(),
            locked: n % 4 == 3,
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
            let mut written = Vec::new();
            body.write(&mut written);
            assert_eq!(
                String::from_utf8(written).unwrap(),
                String::from_utf8(serde_json::to_vec(&spec).unwrap()).unwrap()
            );
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_ascii: String = (0u8..=0x7f).map(char::from).collect();
        let cases = [
            "",
            "plain",
            every_ascii.as_str(),
            "\"\\\"\\",
            "ünï ✓ \u{1f600} \u{7f}\u{80}\u{2028}",
            "\n",
            "ends with a tab\t",
        ];
        for case in cases {
            let mut out = Vec::new();
            string(&mut out, case);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(case).unwrap()
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
