//! JSON: one object naming the export (`format`, `version`, range, zone) with an `entries`
//! array, written entry by entry. OphionTT's importer reads it back (`import::ophiontt`).

use std::io::{self, Write};

use serde::Serialize;

use super::row::{ExportInfo, ExportRow};
use super::Sink;

/// What the file says it is; the importer refuses anything else.
pub const FORMAT: &str = "ophiontt.entries";
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Header<'a> {
    format: &'static str,
    version: u32,
    title: &'a str,
    from: String,
    to: String,
    time_zone: &'a str,
    generated_at: String,
}

#[derive(Serialize)]
struct Entry<'a> {
    entry_id: &'a str,
    user_id: &'a str,
    user_email: &'a str,
    user_name: &'a str,
    client: &'a str,
    project: &'a str,
    task: &'a str,
    tags: &'a [String],
    note: &'a str,
    start: String,
    end: String,
    duration_seconds: i64,
    billable: bool,
    rate_cents: Option<i64>,
    amount_cents: Option<i64>,
    currency: &'a str,
    week_state: Option<&'static str>,
    tickets: Vec<Ticket<'a>>,
}

/// A ticket the entry refers to.
#[derive(Serialize)]
struct Ticket<'a> {
    id: &'a str,
    url: &'a str,
    source: &'a str,
}

pub(super) struct JsonSink<'w> {
    out: io::BufWriter<Box<dyn Write + Send + 'w>>,
    first: bool,
}

impl<'w> JsonSink<'w> {
    pub(super) fn new(out: Box<dyn Write + Send + 'w>, info: &ExportInfo) -> io::Result<Self> {
        let mut out = io::BufWriter::with_capacity(64 * 1024, out);
        let header = Header {
            format: FORMAT,
            version: VERSION,
            title: &info.title,
            from: info.from.to_string(),
            to: info.to.to_string(),
            time_zone: &info.time_zone,
            generated_at: info.generated_at.to_rfc3339(),
        };
        let head = serde_json::to_string(&header).map_err(io::Error::other)?;
        // The header object, reopened for the entries: `{…,"entries":[`.
        out.write_all(&head.as_bytes()[..head.len() - 1])?;
        out.write_all(b",\"entries\":[")?;
        Ok(Self { out, first: true })
    }
}

impl Sink for JsonSink<'_> {
    fn row(&mut self, r: &ExportRow) -> io::Result<()> {
        let e = Entry {
            entry_id: &r.entry_id,
            user_id: &r.user_id,
            user_email: &r.user_email,
            user_name: &r.user_name,
            client: &r.client,
            project: &r.project,
            task: &r.task,
            tags: &r.tags,
            note: &r.note,
            start: r
                .start
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
            end: r.end.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
            duration_seconds: r.duration_seconds,
            billable: r.billable,
            rate_cents: r.rate_cents,
            amount_cents: r.amount_cents,
            currency: &r.currency,
            week_state: r.week_state,
            tickets: (r.tickets.iter())
                .map(|t| Ticket {
                    id: &t.id,
                    url: &t.url,
                    source: &t.source,
                })
                .collect(),
        };
        self.out
            .write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        serde_json::to_writer(&mut self.out, &e).map_err(io::Error::other)
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.out.write_all(b"\n]}\n")?;
        self.out.flush()
    }
}
