//! XLSX: one worksheet with the CSV's columns, typed (dates and times as spreadsheet dates,
//! durations, rates and amounts as numbers, billable as a boolean), the header frozen and
//! filterable. Written in the writer's constant-memory mode: rows go to a temporary file as
//! they come, and the finished workbook is copied out at the end.

use std::io::{self, Seek, Write};

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::row::{ExportInfo, ExportRow, COLUMNS};
use super::Sink;

pub(super) struct XlsxSink<'w> {
    out: Box<dyn Write + Send + 'w>,
    book: Workbook,
    next: u32,
    date: Format,
    stamp: Format,
    number: Format,
}

fn err(e: XlsxError) -> io::Error {
    io::Error::other(e.to_string())
}

/// Column widths, in characters, by [`COLUMNS`] position.
const WIDTHS: [f64; 20] = [
    38.0, 11.0, 19.0, 19.0, 10.0, 10.0, 22.0, 28.0, 20.0, 24.0, 22.0, 18.0, 48.0, 9.0, 10.0, 11.0,
    9.0, 12.0, 38.0, 18.0,
];

impl<'w> XlsxSink<'w> {
    pub(super) fn new(out: Box<dyn Write + Send + 'w>, info: &ExportInfo) -> io::Result<Self> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = book.add_worksheet_with_constant_memory().map_err(err)?;
        sheet
            .set_name(format!("{} – {}", info.from, info.to))
            .map_err(err)?;
        for (i, (name, width)) in COLUMNS.iter().zip(WIDTHS).enumerate() {
            let col = i as u16;
            sheet
                .write_string_with_format(0, col, *name, &bold)
                .map_err(err)?;
            sheet.set_column_width(col, width).map_err(err)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(err)?;
        Ok(Self {
            out,
            book,
            next: 1,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            stamp: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            number: Format::new().set_num_format("0.00"),
        })
    }

    fn write(&mut self, r: &ExportRow) -> Result<(), XlsxError> {
        let n = self.next;
        let sheet = self.book.worksheet_from_index(0)?;
        let cents = |c: i64| c as f64 / 100.0;
        sheet.write_string(n, 0, &r.entry_id)?;
        sheet.write_datetime_with_format(n, 1, r.date(), &self.date)?;
        sheet.write_datetime_with_format(n, 2, r.start.naive_local(), &self.stamp)?;
        sheet.write_datetime_with_format(n, 3, r.end.naive_local(), &self.stamp)?;
        sheet.write_number(n, 4, r.duration_seconds as f64)?;
        sheet.write_number_with_format(n, 5, r.duration_seconds as f64 / 3600.0, &self.number)?;
        sheet.write_string(n, 6, &r.user_name)?;
        sheet.write_string(n, 7, &r.user_email)?;
        sheet.write_string(n, 8, &r.client)?;
        sheet.write_string(n, 9, &r.project)?;
        sheet.write_string(n, 10, &r.task)?;
        sheet.write_string(n, 11, r.tags.join(", "))?;
        sheet.write_string(n, 12, &r.note)?;
        sheet.write_boolean(n, 13, r.billable)?;
        if let Some(c) = r.rate_cents {
            sheet.write_number_with_format(n, 14, cents(c), &self.number)?;
        }
        if let Some(c) = r.amount_cents {
            sheet.write_number_with_format(n, 15, cents(c), &self.number)?;
        }
        sheet.write_string(n, 16, &r.currency)?;
        sheet.write_string(n, 17, r.week_state.unwrap_or(""))?;
        sheet.write_string(n, 18, &r.user_id)?;
        sheet.write_string(n, 19, r.ticket_ids())?;
        self.next += 1;
        Ok(())
    }
}

impl Sink for XlsxSink<'_> {
    fn row(&mut self, r: &ExportRow) -> io::Result<()> {
        if self.next as usize > super::MAX_XLSX_ROWS {
            return Err(io::Error::other("too many entries for one worksheet"));
        }
        self.write(r).map_err(err)
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        let last = self.next.saturating_sub(1);
        let sheet = self.book.worksheet_from_index(0).map_err(err)?;
        sheet
            .autofilter(0, 0, last, (COLUMNS.len() - 1) as u16)
            .map_err(err)?;
        let mut file = tempfile::tempfile()?;
        self.book.save_to_writer(&mut file).map_err(err)?;
        file.rewind()?;
        io::copy(&mut file, &mut self.out)?;
        self.out.flush()
    }
}
