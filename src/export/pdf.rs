//! PDF: a printable timesheet on A4 portrait pages. Entries are grouped by person, ISO week
//! and day, with week subtotals (and their approval state), per-person totals and a summary.
//!
//! The standard Helvetica fonts with WinAnsiEncoding (nothing embedded); text is measured
//! with their AFM widths ([`super::pdf_metrics`]). All pages are laid out first, so that the
//! footer can say "Page N of M", then written.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};

use chrono::{Datelike, NaiveDate, Weekday};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::pdf_metrics::{bytes_width, encode_winansi};
use super::row::{clock, hours, money, ExportInfo, ExportRow};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 40.0;
const RIGHT: f32 = PAGE_W - MARGIN;
const WIDTH: f32 = RIGHT - MARGIN;
/// Nothing of the body goes below this line; the footer sits under it.
const BODY_BOTTOM: f32 = 52.0;
const FOOTER_Y: f32 = 28.0;
const ROW_H: f32 = 12.0;
const TABLE_HEAD_H: f32 = 16.0;
const HEADER_LEAD: f32 = 12.0;

/// A font (Helvetica or Helvetica-Bold) at a size.
#[derive(Clone, Copy)]
struct Style {
    bold: bool,
    size: f32,
}

impl Style {
    const fn new(bold: bool, size: f32) -> Self {
        Style { bold, size }
    }
}

const BODY: Style = Style::new(false, 8.0);
const BODY_BOLD: Style = Style::new(true, 8.0);
const HEADER: Style = Style::new(false, 9.0);
const HEADING: Style = Style::new(true, 9.0);
const SUMMARY_TITLE: Style = Style::new(true, 11.0);
const TITLE: Style = Style::new(true, 16.0);
const FOOT: Style = Style::new(false, 7.0);

/// Table columns: left edge and width.
const C_DATE: (f32, f32) = (MARGIN, 62.0);
const C_TIME: (f32, f32) = (104.0, 60.0);
const C_DUR: (f32, f32) = (164.0, 36.0);
const C_WHAT: (f32, f32) = (210.0, 150.0);
const C_NOTE: (f32, f32) = (366.0, 172.0);
const C_BILL: (f32, f32) = (546.0, 9.0);
/// Summary block: the right edges of its time and hours columns.
const SUM_CLOCK_RIGHT: f32 = 420.0;
const SUM_HOURS_RIGHT: f32 = 490.0;

/// Writes `rows` (already in output order: person by person, each oldest first) as a PDF.
pub fn write(info: &ExportInfo, rows: &[ExportRow], out: &mut impl Write) -> io::Result<()> {
    let lines = build_lines(&info.title, rows);
    let pages = paginate(&lines, header_height(info));
    let bytes = render(info, &lines, &pages)?;
    out.write_all(&bytes)
}

/// One entry row of the table, its texts ready to draw.
struct Entry {
    date: NaiveDate,
    first_of_day: bool,
    time: String,
    duration: String,
    what: String,
    note: String,
    billable: bool,
}

/// One line of the body, in order.
enum Line {
    Person(String),
    Entry(Entry),
    /// A week subtotal or a person's total.
    Subtotal(String),
    NoEntries,
    Gap,
    SummaryTitle,
    Rule,
    /// A summary line: label, `H:MM`, decimal hours, bold.
    Sum(String, String, String, bool),
    Amount(String),
}

impl Line {
    fn height(&self) -> f32 {
        match self {
            Line::Entry(_) | Line::Sum(..) | Line::Amount(_) => ROW_H,
            Line::Person(_) => 20.0,
            Line::Subtotal(_) => 16.0,
            Line::NoEntries => 18.0,
            Line::Gap => 12.0,
            Line::SummaryTitle => 22.0,
            Line::Rule => 3.0,
        }
    }

    /// Lines under the table's column header.
    fn in_table(&self) -> bool {
        matches!(
            self,
            Line::Person(_) | Line::Entry(_) | Line::Subtotal(_) | Line::NoEntries
        )
    }

    /// Headings never end a page.
    fn keeps_with_next(&self) -> bool {
        matches!(self, Line::Person(_) | Line::SummaryTitle)
    }
}

/// All body lines: the table, then the summary. Each person's block has a heading and a total
/// unless the export holds one person whom its title already names ("Timesheet — Ada").
fn build_lines(title: &str, rows: &[ExportRow]) -> Vec<Line> {
    let people: HashSet<&str> = rows.iter().map(|r| r.user_id.as_str()).collect();
    let headed = people.len() > 1 || rows.first().is_some_and(|r| !title.ends_with(&r.user_name));
    let mut lines = Vec::new();
    if rows.is_empty() {
        lines.push(Line::NoEntries);
    }
    for person in rows.chunk_by(|a, b| a.user_id == b.user_id) {
        if headed {
            lines.push(Line::Person(person_heading(&person[0])));
        }
        for week in person.chunk_by(|a, b| a.date().iso_week() == b.date().iso_week()) {
            for (i, row) in week.iter().enumerate() {
                let first_of_day = i == 0 || week[i - 1].date() != row.date();
                lines.push(Line::Entry(entry(row, first_of_day)));
            }
            lines.push(Line::Subtotal(week_subtotal(week)));
        }
        if headed {
            let secs = total_seconds(person.iter());
            let name = &person[0].user_name;
            let text = format!("Total for {name}: {} ({} h)", clock(secs), hours(secs));
            lines.push(Line::Subtotal(text));
        }
    }
    lines.push(Line::Gap);
    summary_lines(rows, &mut lines);
    lines
}

/// "Ada Lovelace <ada@example.com>".
fn person_heading(row: &ExportRow) -> String {
    if row.user_email.is_empty() {
        row.user_name.clone()
    } else {
        format!("{} <{}>", row.user_name, row.user_email)
    }
}

fn entry(row: &ExportRow, first_of_day: bool) -> Entry {
    Entry {
        date: row.date(),
        first_of_day,
        time: time_range(row),
        duration: clock(row.duration_seconds),
        what: project_task(row),
        note: row.note.clone(),
        billable: row.billable,
    }
}

/// "09:00–10:30", or "09:00–02:00 +1" when the entry ends on a later day.
fn time_range(row: &ExportRow) -> String {
    let days = (row.end.date_naive() - row.start.date_naive()).num_days();
    let base = format!("{}–{}", row.start.format("%H:%M"), row.end.format("%H:%M"));
    if days > 0 {
        format!("{base} +{days}")
    } else {
        base
    }
}

/// The project with its client in front and task behind: "Acme › Backups · Rotate keys".
fn project_task(row: &ExportRow) -> String {
    let mut s = project_name(row);
    if !row.task.is_empty() {
        s.push_str(" · ");
        s.push_str(&row.task);
    }
    s
}

/// "Acme › Backups", or "Backups" without a client.
fn project_name(row: &ExportRow) -> String {
    if row.client.is_empty() {
        row.project.clone()
    } else {
        format!("{} › {}", row.client, row.project)
    }
}

fn total_seconds<'a>(rows: impl Iterator<Item = &'a ExportRow>) -> i64 {
    rows.fold(0, |sum, r| sum.saturating_add(r.duration_seconds))
}

/// "Week 45 (2026-11-02 – 2026-11-08): 37:05 · approved" for one person's rows of one week.
fn week_subtotal(week: &[ExportRow]) -> String {
    let Some(first) = week.first() else {
        return String::new();
    };
    let iso = first.date().iso_week();
    let day = |wd| NaiveDate::from_isoywd_opt(iso.year(), iso.week(), wd).unwrap_or(first.date());
    let (mon, sun) = (day(Weekday::Mon), day(Weekday::Sun));
    let secs = total_seconds(week.iter());
    let mut s = format!("Week {} ({mon} – {sun}): {}", iso.week(), clock(secs));
    if let Some(state) = week.iter().find_map(|r| r.week_state) {
        s.push_str(" · ");
        s.push_str(state_words(state));
    }
    s
}

/// A week's approval state as people read it.
fn state_words(state: &str) -> &str {
    match state {
        "open" => "open (not submitted)",
        "submitted" => "submitted for approval",
        other => other,
    }
}

/// The summary: time per project, the totals and the amounts per currency.
fn summary_lines(rows: &[ExportRow], lines: &mut Vec<Line>) {
    let mut per_project: BTreeMap<String, i64> = BTreeMap::new();
    let mut amounts: BTreeMap<&str, i64> = BTreeMap::new();
    for r in rows {
        let secs = per_project.entry(project_name(r)).or_insert(0);
        *secs = secs.saturating_add(r.duration_seconds);
        if let Some(cents) = r.amount_cents {
            let sum = amounts.entry(r.currency.as_str()).or_insert(0);
            *sum = sum.saturating_add(cents);
        }
    }
    lines.push(Line::SummaryTitle);
    if !per_project.is_empty() {
        lines.extend(per_project.into_iter().map(|(p, s)| sum_line(p, s, false)));
        lines.push(Line::Rule);
    }
    lines.push(sum_line("Total".into(), total_seconds(rows.iter()), true));
    let billable = total_seconds(rows.iter().filter(|r| r.billable));
    lines.push(sum_line("Billable".into(), billable, true));
    for (currency, cents) in amounts {
        lines.push(Line::Amount(format!("{} {currency}", money(cents))));
    }
}

fn sum_line(label: String, secs: i64, bold: bool) -> Line {
    Line::Sum(label, clock(secs), format!("{} h", hours(secs)), bold)
}

/// The first page's header lines under the title.
fn header_texts(info: &ExportInfo) -> Vec<String> {
    let generated = info.generated_at.format("%Y-%m-%d %H:%M");
    let mut texts = vec![
        format!("Period: {} – {} ({})", info.from, info.to, info.time_zone),
        format!("Generated {generated} by {}", info.generated_by),
    ];
    texts.extend(info.filters.iter().cloned());
    texts
}

/// How far the first page's header reaches down from the top margin.
fn header_height(info: &ExportInfo) -> f32 {
    TITLE.size + 18.0 + HEADER_LEAD * (2 + info.filters.len()) as f32
}

/// A line placed on a page, by the top of its box.
struct Placed {
    line: usize,
    top: f32,
}

/// One laid-out page.
#[derive(Default)]
struct PageLayout {
    /// Top of the table's column header, when the page has one.
    table_head: Option<f32>,
    placed: Vec<Placed>,
}

/// Splits the lines into pages: a new page when the next line (with the line it keeps with,
/// and the column header it needs) would reach into the footer.
fn paginate(lines: &[Line], first_header: f32) -> Vec<PageLayout> {
    let top = PAGE_H - MARGIN;
    let mut pages = Vec::new();
    let mut page = PageLayout::default();
    let mut y = top - first_header;
    for (i, line) in lines.iter().enumerate() {
        let head = |p: &PageLayout| match line.in_table() && p.table_head.is_none() {
            true => TABLE_HEAD_H,
            false => 0.0,
        };
        let next = match line.keeps_with_next() {
            true => lines.get(i + 1).map_or(0.0, Line::height),
            false => 0.0,
        };
        if y - head(&page) - line.height() - next < BODY_BOTTOM && !page.placed.is_empty() {
            pages.push(std::mem::take(&mut page));
            y = top;
        }
        if head(&page) > 0.0 {
            page.table_head = Some(y);
            y -= TABLE_HEAD_H;
        }
        if matches!(line, Line::Gap) && page.placed.is_empty() {
            continue;
        }
        page.placed.push(Placed { line: i, top: y });
        y -= line.height();
    }
    pages.push(page);
    pages
}

const CATALOG: Ref = Ref::new(1);
const PAGE_TREE: Ref = Ref::new(2);
const FONT_REGULAR: Ref = Ref::new(3);
const FONT_BOLD: Ref = Ref::new(4);
const DOC_INFO: Ref = Ref::new(5);

/// Writes the laid-out pages into a whole PDF file.
fn render(info: &ExportInfo, lines: &[Line], pages: &[PageLayout]) -> io::Result<Vec<u8>> {
    let count = i32::try_from(pages.len()).map_err(io::Error::other)?;
    let ids = |i: i32| (Ref::new(6 + 2 * i), Ref::new(7 + 2 * i));
    let mut pdf = Pdf::new();
    pdf.catalog(CATALOG).pages(PAGE_TREE);
    pdf.pages(PAGE_TREE)
        .kids((0..count).map(|i| ids(i).0))
        .count(count);
    for (i, page) in (0..count).zip(pages) {
        let (page_id, content_id) = ids(i);
        let mut writer = pdf.page(page_id);
        writer
            .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(PAGE_TREE)
            .contents(content_id);
        writer
            .resources()
            .fonts()
            .pair(font_name(false), FONT_REGULAR)
            .pair(font_name(true), FONT_BOLD);
        writer.finish();
        let content = draw_page(info, lines, page, i + 1, count);
        // Page contents deflated (flate2 is in the tree already): a tenth of the size.
        let raw = content.finish();
        let packed = deflate(&raw);
        pdf.stream(content_id, &packed)
            .filter(pdf_writer::Filter::FlateDecode);
    }
    for (id, base) in [(FONT_REGULAR, "Helvetica"), (FONT_BOLD, "Helvetica-Bold")] {
        pdf.type1_font(id)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(DOC_INFO)
        .title(TextStr(&info.title))
        .producer(TextStr("OphionTT"));
    Ok(pdf.finish())
}

/// The page resource name of a font.
fn font_name(bold: bool) -> Name<'static> {
    Name(if bold { b"F2" } else { b"F1" })
}

/// Draws one page: the header (first page), the column header, the lines and the footer.
fn draw_page(info: &ExportInfo, lines: &[Line], page: &PageLayout, n: i32, of: i32) -> Content {
    let mut c = Content::new();
    if n == 1 {
        draw_header(&mut c, info);
    }
    if let Some(top) = page.table_head {
        draw_table_head(&mut c, top);
    }
    let mut seen_entry = false;
    for placed in &page.placed {
        match lines.get(placed.line) {
            Some(Line::Entry(e)) => {
                if e.first_of_day && seen_entry {
                    rule(&mut c, placed.top + 0.5, 0.3, 0.85);
                }
                draw_entry(&mut c, e, placed.top, e.first_of_day || !seen_entry);
                seen_entry = true;
            }
            Some(line) => draw_line(&mut c, line, placed.top),
            None => {}
        }
    }
    draw_footer(&mut c, &info.title, n, of);
    c
}

fn draw_header(c: &mut Content, info: &ExportInfo) {
    let mut y = PAGE_H - MARGIN - TITLE.size + 4.0;
    show(c, TITLE, MARGIN, y, &info.title, WIDTH);
    y -= 6.0;
    for line in header_texts(info) {
        y -= HEADER_LEAD;
        show(c, HEADER, MARGIN, y, &line, WIDTH);
    }
}

fn draw_table_head(c: &mut Content, top: f32) {
    let y = top - 10.0;
    c.set_fill_gray(0.3);
    for ((x, w), label) in [
        (C_DATE, "Date"),
        (C_TIME, "Start–End"),
        (C_WHAT, "Project · Task"),
        (C_NOTE, "Note"),
        (C_BILL, "B"),
    ] {
        show(c, BODY_BOLD, x, y, label, w);
    }
    show_right(c, BODY_BOLD, C_DUR.0 + C_DUR.1, y, "Duration");
    c.set_fill_gray(0.0);
    rule(c, top - TABLE_HEAD_H + 3.0, 0.5, 0.55);
}

fn draw_entry(c: &mut Content, e: &Entry, top: f32, show_date: bool) {
    let y = top - 8.5;
    if show_date {
        let date = e.date.format("%a %Y-%m-%d").to_string();
        show(c, BODY, C_DATE.0, y, &date, C_DATE.1);
    }
    for ((x, w), s) in [(C_TIME, &e.time), (C_WHAT, &e.what), (C_NOTE, &e.note)] {
        show(c, BODY, x, y, s, w);
    }
    show_right(c, BODY, C_DUR.0 + C_DUR.1, y, &e.duration);
    if e.billable {
        show(c, BODY, C_BILL.0, y, "B", C_BILL.1);
    }
}

/// Draws every line but an entry.
fn draw_line(c: &mut Content, line: &Line, top: f32) {
    match line {
        Line::Person(name) => {
            c.set_fill_gray(0.92);
            c.rect(MARGIN, top - 16.0, WIDTH, 14.0).fill_nonzero();
            c.set_fill_gray(0.0);
            show(c, HEADING, MARGIN + 4.0, top - 12.0, name, WIDTH - 8.0);
        }
        Line::Subtotal(s) => {
            rule(c, top - 1.0, 0.4, 0.6);
            show(c, BODY_BOLD, MARGIN, top - 10.0, s, WIDTH);
        }
        Line::NoEntries => {
            show(
                c,
                HEADER,
                MARGIN,
                top - 12.0,
                "No entries in this period.",
                WIDTH,
            );
        }
        Line::SummaryTitle => {
            show(c, SUMMARY_TITLE, MARGIN, top - 12.0, "Summary", WIDTH);
            c.set_fill_gray(0.3);
            show_right(c, BODY_BOLD, SUM_CLOCK_RIGHT, top - 12.0, "Time");
            show_right(c, BODY_BOLD, SUM_HOURS_RIGHT, top - 12.0, "Hours");
            c.set_fill_gray(0.0);
            rule(c, top - 17.0, 0.5, 0.55);
        }
        Line::Sum(label, time, hours, bold) => {
            let style = if *bold { BODY_BOLD } else { BODY };
            let y = top - 9.0;
            show(c, style, MARGIN, y, label, SUM_CLOCK_RIGHT - 60.0 - MARGIN);
            show_right(c, style, SUM_CLOCK_RIGHT, y, time);
            show_right(c, style, SUM_HOURS_RIGHT, y, hours);
        }
        Line::Amount(value) => {
            show(c, BODY_BOLD, MARGIN, top - 9.0, "Billable amount", WIDTH);
            show_right(c, BODY_BOLD, SUM_HOURS_RIGHT, top - 9.0, value);
        }
        Line::Rule => rule(c, top - 1.0, 0.4, 0.6),
        Line::Entry(_) | Line::Gap => {}
    }
}

fn draw_footer(c: &mut Content, title: &str, n: i32, of: i32) {
    rule(c, FOOTER_Y + 10.0, 0.4, 0.75);
    c.set_fill_gray(0.45);
    let page = format!("Page {n} of {of}");
    let page_w = bytes_width(false, &encode_winansi(&page), FOOT.size);
    show(c, FOOT, MARGIN, FOOTER_Y, title, WIDTH - page_w - 20.0);
    show_right(c, FOOT, RIGHT, FOOTER_Y, &page);
    c.set_fill_gray(0.0);
}

/// A horizontal line across the body at `y`.
fn rule(c: &mut Content, y: f32, width: f32, gray: f32) {
    c.set_stroke_gray(gray)
        .set_line_width(width)
        .move_to(MARGIN, y)
        .line_to(RIGHT, y)
        .stroke();
}

/// Shows `s` with its baseline starting at (`x`, `y`), cut short to at most `max` points.
fn show(c: &mut Content, style: Style, x: f32, y: f32, s: &str, max: f32) {
    show_bytes(c, style, x, y, &fit(s, style, max));
}

/// Shows `s` (short: numbers, labels) ending at `right`.
fn show_right(c: &mut Content, style: Style, right: f32, y: f32, s: &str) {
    let bytes = encode_winansi(s);
    let x = right - bytes_width(style.bold, &bytes, style.size);
    show_bytes(c, style, x, y, &bytes);
}

fn show_bytes(c: &mut Content, style: Style, x: f32, y: f32, bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    c.begin_text()
        .set_font(font_name(style.bold), style.size)
        .next_line(x, y)
        .show(Str(bytes))
        .end_text();
}

/// `s` as WinAnsi bytes no wider than `max` points, cut short with "…" when it is wider.
fn fit(s: &str, style: Style, max: f32) -> Vec<u8> {
    const ELLIPSIS: u8 = 0x85;
    let width = |bytes: &[u8]| bytes_width(style.bold, bytes, style.size);
    let mut bytes = encode_winansi(s);
    if width(&bytes) <= max {
        return bytes;
    }
    let room = max - width(&[ELLIPSIS]);
    let mut used = 0.0;
    let keep = bytes
        .iter()
        .take_while(|&&b| {
            used += width(&[b]);
            used <= room
        })
        .count();
    bytes.truncate(keep);
    while bytes.last() == Some(&b' ') {
        bytes.pop();
    }
    bytes.push(ELLIPSIS);
    bytes
}

/// `data` zlib-deflated, as the FlateDecode filter reads it.
fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    // Writing into a Vec cannot fail.
    let _ = z.write_all(data);
    z.finish().unwrap_or_default()
}

#[cfg(test)]
#[path = "pdf_tests.rs"]
mod tests;
