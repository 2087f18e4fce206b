//! Downloads of time entries in any export format (`crate::export`), filtered like the entries
//! list and reports. The answer streams: its first bytes leave before the last entry is read,
//! and text formats are gzipped on the way when the client accepts it. Roles: admin, manager,
//! member, auditor (each exports the time they may read).

use std::io::{self, Write};

use bytes::Bytes;
use poem::http::header;
use poem::{Body, Request};
use poem_openapi::param::Query;
use poem_openapi::payload::Binary;
use poem_openapi::{ApiResponse, Object, OpenApi, ResponseContent};
use tokio::sync::mpsc;

use super::enums::{CsvDelimiter, ExportFormat};
use super::reports::{date, ids, items};
use super::rules::{DateText, OneOf, UuidList};
use super::{ApiTags, HttpState};
use crate::export::{CsvOptions, Format};
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::ExportQuery;

pub struct ExportsApi(pub HttpState);

/// The file, by format.
#[derive(ResponseContent)]
enum File {
    #[oai(content_type = "text/csv; charset=utf-8")]
    Csv(Binary<Body>),
    /// The JSON file, streamed; its shape is [`ExportFileDto`].
    #[oai(actual_type = "poem_openapi::payload::Json<ExportFileDto>")]
    Json(Binary<Body>),
    #[oai(content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    Xlsx(Binary<Body>),
    #[oai(content_type = "text/calendar; charset=utf-8")]
    Ics(Binary<Body>),
    #[oai(content_type = "application/pdf")]
    Pdf(Binary<Body>),
}

/// The JSON export (`format=json`): what the export covers, then its entries. Written by
/// `crate::export` as it streams; declared here for the spec.
#[derive(Object)]
struct ExportFileDto {
    /// Always `ophiontt.entries`.
    format: String,
    /// Always 1.
    version: u32,
    title: String,
    from: String,
    to: String,
    time_zone: String,
    generated_at: String,
    entries: Vec<ExportEntryDto>,
}

/// One entry of the JSON export; the CSV's columns (docs/exports.md), tags as a list and money
/// in minor units.
#[derive(Object)]
struct ExportEntryDto {
    entry_id: String,
    user_id: String,
    user_email: String,
    user_name: String,
    client: String,
    project: String,
    task: String,
    tags: Vec<String>,
    note: String,
    /// RFC 3339 with the export zone's offset.
    start: String,
    end: String,
    duration_seconds: i64,
    billable: bool,
    #[oai(nullable)]
    rate_cents: Option<i64>,
    #[oai(nullable)]
    amount_cents: Option<i64>,
    currency: String,
    /// With week approval on: `open`, `submitted`, `approved`, `rejected` or `locked`.
    #[oai(nullable)]
    week_state: Option<String>,
}

#[derive(ApiResponse)]
enum Download {
    /// The export, as an attachment named after its range.
    #[oai(status = 200)]
    Ok(
        File,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
        /// `gzip` when the client accepts it and the format is text (CSV, JSON, iCalendar).
        #[oai(header = "Content-Encoding")]
        Option<String>,
    ),
}

/// Chunks of about this size go to the client.
const CHUNK: usize = 64 * 1024;

/// A `Write` whose bytes become the response body: blocking sends of [`CHUNK`]-sized pieces
/// into a small channel, so a slow client slows the walk instead of filling memory. A client
/// gone away ends the walk (`BrokenPipe`).
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// Gzip around the channel, finished when the sink flushes at the end.
struct Gzipped(Option<flate2::write::GzEncoder<ChannelWriter>>);

impl Write for Gzipped {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        match &mut self.0 {
            Some(z) => z.write(data),
            None => Err(io::Error::other("written after the end")),
        }
    }

    /// The sinks flush once, at the end: the gzip trailer goes out then.
    fn flush(&mut self) -> io::Result<()> {
        match self.0.take() {
            Some(z) => z.finish()?.flush(),
            None => Ok(()),
        }
    }
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl ExportsApi {
    /// The finished entries the caller may read that start on the local dates `from..=to`
    /// (the caller's time zone; default this month so far), filtered like the entries list and
    /// reports, as `csv` (docs/exports.md gives the columns; `bom=true` for Excel,
    /// `delimiter=semicolon` for locales whose decimal mark is a comma), `json` (what
    /// `ophiontt import --from ophiontt` reads back), `xlsx`, `ics` (one event per entry) or
    /// `pdf` (a timesheet with daily and weekly totals, week approval states and page numbers;
    /// at most 10,000 entries). Members export their own time, managers also everyone's on
    /// the projects they manage, admins and auditors everyone's; other people's time in an
    /// export is recorded as a read of it. The answer streams; a failure after it started cuts
    /// it short. Roles: admin, manager, member, auditor.
    #[oai(path = "/exports/entries", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn entries(
        &self,
        actor: SignedIn,
        req: &Request,
        /// `csv` (default), `json`, `xlsx`, `ics` or `pdf`.
        format: Query<Option<OneOf<ExportFormat>>>,
        from: Query<Option<DateText>>,
        to: Query<Option<DateText>>,
        user_id: Query<Option<UuidList>>,
        project_id: Query<Option<UuidList>>,
        client_id: Query<Option<UuidList>>,
        task_id: Query<Option<UuidList>>,
        /// Tag names, comma-separated: entries carrying any of them.
        tag: Query<Option<String>>,
        billable: Query<Option<bool>>,
        /// Text the note contains.
        q: Query<Option<String>>,
        /// Ticket ids, comma-separated, any letter case: entries whose note or task title refers
        /// to any of them.
        ticket: Query<Option<String>>,
        /// CSV only: a UTF-8 byte-order mark first (Excel then reads the file as UTF-8).
        bom: Query<Option<bool>>,
        /// CSV only: `comma` (default) or `semicolon` between fields (and decimal commas).
        delimiter: Query<Option<OneOf<CsvDelimiter>>>,
    ) -> Result<Download, ApiError> {
        let svc = &self.0.svc;
        let name = format.0.as_deref().unwrap_or("csv");
        let format = Format::parse(name).ok_or_else(|| {
            invalid_field("format", "invalid", "one of csv, json, xlsx, ics, pdf")
        })?;
        let semicolon = match delimiter.0.as_deref() {
            None | Some("comma") => false,
            Some("semicolon") => true,
            Some(_) => {
                return Err(invalid_field("delimiter", "invalid", "comma or semicolon").into())
            }
        };
        let query = ExportQuery {
            csv: CsvOptions {
                bom: bom.0.unwrap_or(false),
                semicolon,
            },
            from: date(svc, "from", from.0)?,
            to: date(svc, "to", to.0)?,
            users: ids("user_id", user_id.0)?,
            projects: ids("project_id", project_id.0)?,
            clients: ids("client_id", client_id.0)?,
            tasks: ids("task_id", task_id.0)?,
            tags: items(&tag.0).into_iter().map(str::to_owned).collect(),
            billable: billable.0,
            text: q.0.filter(|t| !t.trim().is_empty()),
            tickets: super::reports::ticket_ids(&ticket.0)?,
            ..ExportQuery::new(format)
        };
        let prepared = svc.exports().prepare(&actor, query).await?;
        let disposition = format!("attachment; filename=\"{}\"", prepared.file_name);
        let gzip = matches!(format, Format::Csv | Format::Json | Format::Ics)
            && (req.headers().get(header::ACCEPT_ENCODING))
                .and_then(|v| v.to_str().ok())
                .is_some_and(crate::http::compress::accepts_gzip);
        let (tx, mut rx) = mpsc::channel::<io::Result<Bytes>>(4);
        let chan = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(CHUNK),
        };
        let out: Box<dyn Write + Send> = if gzip {
            let level = flate2::Compression::new(5);
            Box::new(Gzipped(Some(flate2::write::GzEncoder::new(chan, level))))
        } else {
            Box::new(chan)
        };
        let (svc2, actor2) = (svc.clone(), actor.actor.clone());
        // The task holds a sender until the read is recorded: the download ends only then.
        tokio::spawn(async move {
            if let Err(e) = svc2.exports().send(&actor2, prepared, out, None).await {
                tracing::warn!(error = %e, "an export stopped part-way");
                let _ = tx.send(Err(io::Error::other(e.to_string()))).await;
            }
        });
        let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
        let body = Body::from_bytes_stream(stream);
        let file = match format {
            Format::Csv => File::Csv(Binary(body)),
            Format::Json => File::Json(Binary(body)),
            Format::Xlsx => File::Xlsx(Binary(body)),
            Format::Ics => File::Ics(Binary(body)),
            Format::Pdf => File::Pdf(Binary(body)),
        };
        Ok(Download::Ok(
            file,
            disposition,
            "no-store".into(),
            gzip.then(|| "gzip".to_owned()),
        ))
    }
}
