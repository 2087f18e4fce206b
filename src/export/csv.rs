//! CSV: one header line ([`COLUMNS`](super::COLUMNS)), one line per entry, RFC 4180 quoting,
//! ISO 8601 times with their offset, optionally a BOM and, for spreadsheets in locales whose
//! decimal mark is a comma, `;` between fields and `1,50` for decimals.

use std::io::{self, Write};

use super::row::{money, ExportRow, COLUMNS};
use super::{CsvOptions, Sink};

pub(super) struct CsvSink<'w> {
    w: ::csv::Writer<Box<dyn Write + Send + 'w>>,
    /// Decimal commas (`1,50`): with `;` between fields, for spreadsheets in such locales.
    comma: bool,
}

impl<'w> CsvSink<'w> {
    pub(super) fn new(mut out: Box<dyn Write + Send + 'w>, opts: CsvOptions) -> io::Result<Self> {
        if opts.bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let mut w = ::csv::WriterBuilder::new()
            .delimiter(if opts.semicolon { b';' } else { b',' })
            // The RFC's line ending: Excel and LibreOffice read it, and so does everything else.
            .terminator(::csv::Terminator::CRLF)
            .buffer_capacity(64 * 1024)
            .from_writer(out);
        w.write_record(COLUMNS).map_err(io::Error::other)?;
        Ok(Self {
            w,
            comma: opts.semicolon,
        })
    }
}

/// Text a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading `'`, which spreadsheets show as text (OWASP's advice on CSV
/// injection). Only text columns: numbers, dates and ids are ours. The JSON and XLSX exports
/// keep the text exactly.
fn inert(s: &str) -> std::borrow::Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

impl Sink for CsvSink<'_> {
    fn row(&mut self, r: &ExportRow) -> io::Result<()> {
        let decimal = |s: String| if self.comma { s.replace('.', ",") } else { s };
        let rate = r.rate_cents.map(money).map(decimal).unwrap_or_default();
        let amount = r.amount_cents.map(money).map(decimal).unwrap_or_default();
        let hours = decimal(r.hours());
        self.w
            .write_record([
                r.entry_id.as_str(),
                &r.date().to_string(),
                &r.start
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
                &r.end.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
                &r.duration_seconds.to_string(),
                &hours,
                &inert(&r.user_name),
                &inert(&r.user_email),
                &inert(&r.client),
                &inert(&r.project),
                &inert(&r.task),
                &inert(&r.tags.join(", ")),
                &inert(&r.note),
                if r.billable { "true" } else { "false" },
                &rate,
                &amount,
                &r.currency,
                r.week_state.unwrap_or(""),
                &r.user_id,
                &inert(&r.ticket_ids()),
            ])
            .map_err(io::Error::other)
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        let mut out = self.w.into_inner().map_err(|e| e.into_error())?;
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_kept_as_text() {
        assert_eq!(super::inert("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(super::inert("@cmd"), "'@cmd");
        assert_eq!(super::inert("plain, text"), "plain, text");
        assert_eq!(super::inert(""), "");
    }
}
