//! Export formats: the same rows ([`ExportRow`]) written as CSV, JSON, iCalendar, XLSX or PDF.
//! A mechanism only services call (`service::exports` decides what goes in and who may see it).
//!
//! CSV, JSON and iCalendar stream: each row is written as it comes, so a million entries cost
//! no more memory than one. XLSX and PDF are laid out whole: XLSX through the writer's
//! constant-memory mode (rows go to a temporary file), PDF in memory, which is why a PDF has a
//! row limit ([`MAX_PDF_ROWS`]).

mod csv;
mod ics;
mod json;
mod pdf;
mod pdf_metrics;
pub mod row;
mod xlsx;

use std::io::{self, Write};

pub use row::{ExportInfo, ExportRow, COLUMNS};

/// The most entries one PDF holds (about 250 pages); larger exports are CSV or XLSX.
pub const MAX_PDF_ROWS: usize = 10_000;
/// The most entries one XLSX sheet holds (a worksheet's 1,048,576 rows, less the header).
pub const MAX_XLSX_ROWS: usize = 1_048_575;

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Xlsx,
    Ics,
    Pdf,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Csv,
        Format::Json,
        Format::Xlsx,
        Format::Ics,
        Format::Pdf,
    ];

    /// The name in URLs, config and file extensions.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Ics => "ics",
            Format::Pdf => "pdf",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Ics => "text/calendar; charset=utf-8",
            Format::Pdf => "application/pdf",
        }
    }

    /// The most rows the format holds, if it has a limit.
    pub fn max_rows(self) -> Option<usize> {
        match self {
            Format::Pdf => Some(MAX_PDF_ROWS),
            Format::Xlsx => Some(MAX_XLSX_ROWS),
            _ => None,
        }
    }
}

/// How a CSV file is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// A UTF-8 byte-order mark first: Excel then reads the file as UTF-8.
    pub bom: bool,
    /// `;` between fields (spreadsheets in locales whose decimal mark is a comma), else `,`.
    pub semicolon: bool,
}

/// Takes rows one at a time and writes them in one format.
pub trait Sink {
    fn row(&mut self, row: &ExportRow) -> io::Result<()>;
    /// Writes what is left (a JSON array's end, a whole XLSX or PDF) and flushes.
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// A sink writing `format` into `out`; `info` names what the whole export covers.
pub fn sink<'w>(
    format: Format,
    csv: CsvOptions,
    info: &ExportInfo,
    out: Box<dyn Write + Send + 'w>,
) -> io::Result<Box<dyn Sink + 'w>> {
    Ok(match format {
        Format::Csv => Box::new(csv::CsvSink::new(out, csv)?),
        Format::Json => Box::new(json::JsonSink::new(out, info)?),
        Format::Ics => Box::new(ics::IcsSink::new(out, info)?),
        Format::Xlsx => Box::new(xlsx::XlsxSink::new(out, info)?),
        Format::Pdf => Box::new(PdfSink {
            out,
            info: info.clone(),
            rows: Vec::new(),
        }),
    })
}

/// Collects rows, then lays out the PDF.
struct PdfSink<'w> {
    out: Box<dyn Write + Send + 'w>,
    info: ExportInfo,
    rows: Vec<ExportRow>,
}

impl Sink for PdfSink<'_> {
    fn row(&mut self, row: &ExportRow) -> io::Result<()> {
        if self.rows.len() >= MAX_PDF_ROWS {
            return Err(io::Error::other("too many entries for one PDF"));
        }
        self.rows.push(row.clone());
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        pdf::write(&self.info, &self.rows, &mut self.out)?;
        self.out.flush()
    }
}

/// A file written through a temporary sibling (mode 0600), fsynced and renamed into place by
/// [`AtomicFile::commit`]: a reader never sees half an export, and a failed one leaves nothing.
pub struct AtomicFile {
    file: std::fs::File,
    tmp: std::path::PathBuf,
    path: std::path::PathBuf,
}

impl AtomicFile {
    pub fn create(path: &std::path::Path) -> io::Result<AtomicFile> {
        use std::os::unix::fs::OpenOptionsExt;
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        if let Some(dir) = dir {
            std::fs::create_dir_all(dir)?;
        }
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".part");
        let tmp = path.with_file_name(name);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        Ok(AtomicFile {
            file,
            tmp,
            path: path.to_owned(),
        })
    }

    /// Where the rows go (a second handle on the file, buffered; flushed by the sink).
    pub fn writer(&self) -> io::Result<io::BufWriter<std::fs::File>> {
        Ok(io::BufWriter::with_capacity(
            64 * 1024,
            self.file.try_clone()?,
        ))
    }

    /// Makes the file durable under its name.
    pub fn commit(self) -> io::Result<()> {
        self.file.sync_all()?;
        std::fs::rename(&self.tmp, &self.path)?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Gone once renamed; a failed export's temporary file is removed.
        let _ = std::fs::remove_file(&self.tmp);
    }
}
