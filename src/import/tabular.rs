//! What the CSV importers share once each has found its columns: a row's fields turned into
//! an [`ImportRow`] or a [`RowError`], with one date format for the whole file, times read in
//! the chosen zone, and the row's length checked.

use std::collections::HashMap;

use chrono::{Days, NaiveDateTime};
use chrono_tz::Tz;
use csv::StringRecord;

use super::csvfile::{field, Col, Table};
use super::fields;
use super::fingerprint::{fingerprint, push_unique};
use super::row::{ImportRow, Options, Parsed, RowError, Source};
use super::stamps::{self, DateFormat};

/// The longest entry taken: 24 hours.
pub const MAX_MS: i64 = 24 * 3_600_000;

/// A date and a time of day, with the names of the columns they come from (the same name when
/// one column holds both).
#[derive(Debug, Clone, Copy)]
pub struct Stamp<'a> {
    pub date_col: &'static str,
    pub date: &'a str,
    pub time_col: &'static str,
    pub time: &'a str,
}

impl<'a> Stamp<'a> {
    /// A date and a time written in two columns (`date` and `time`, found in the file or not).
    pub fn split(
        r: &'a StringRecord,
        (date_col, date): (Col, Option<usize>),
        (time_col, time): (Col, Option<usize>),
    ) -> Stamp<'a> {
        Stamp {
            date_col: date_col.label(),
            date: field(r, date),
            time_col: time_col.label(),
            time: field(r, time),
        }
    }

    /// A date and a time written in one column ("2026-11-02 09:00:00").
    pub fn combined(col: &'static str, value: &'a str) -> Stamp<'a> {
        let value = value.trim();
        let (date, time) = value.split_once(' ').unwrap_or((value, ""));
        Stamp {
            date_col: col,
            date,
            time_col: col,
            time: time.trim(),
        }
    }
}

/// How a row's end is written.
#[derive(Debug, Clone, Copy)]
pub enum End<'a> {
    /// A date and a time.
    At(Stamp<'a>),
    /// A time only, on the start's date or, when earlier than the start, the next day
    /// (Kimai's "To").
    TimeOnly { col: &'static str, time: &'a str },
}

/// One record's fields, as a tool's importer found them. Empty strings for columns the file
/// does not have.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub line: usize,
    /// The tool's id of the entry, when the file has one.
    pub id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub client: &'a str,
    pub project: &'a str,
    pub task: &'a str,
    pub tags: &'a str,
    pub note: &'a str,
    /// The billable column's name and value; `None` when the file has no such column.
    pub billable: Option<(&'static str, &'a str)>,
    pub start: Stamp<'a>,
    /// `None` when the file has no end columns.
    pub end: Option<End<'a>>,
    /// The duration column's name and value; `None` when the file has none.
    pub duration: Option<(&'static str, &'a str)>,
}

/// The names of the columns every tool has in some form: whose time, for whom, on what.
pub struct CommonCols {
    /// The tool's id of the entry, if its files can have one.
    pub id: Option<Col>,
    pub email: Option<Col>,
    /// Columns naming the person, the first with a value winning.
    pub names: &'static [Col],
    pub client: Col,
    pub project: Col,
    pub task: Col,
    pub tags: Col,
    pub note: Col,
    pub billable: Col,
}

/// Where a file keeps [`CommonCols`] (`None`: it has no such column).
pub struct Common {
    id: Option<usize>,
    email: Option<usize>,
    names: Vec<Option<usize>>,
    client: Option<usize>,
    project: Option<usize>,
    task: Option<usize>,
    tags: Option<usize>,
    note: Option<usize>,
    billable: (&'static str, Option<usize>),
}

impl Common {
    pub fn find(table: &Table, c: &CommonCols) -> Common {
        Common {
            id: c.id.and_then(|col| table.find(col)),
            email: c.email.and_then(|col| table.find(col)),
            names: c.names.iter().map(|&col| table.find(col)).collect(),
            client: table.find(c.client),
            project: table.find(c.project),
            task: table.find(c.task),
            tags: table.find(c.tags),
            note: table.find(c.note),
            billable: (c.billable.label(), table.find(c.billable)),
        }
    }

    /// A record's entry, with its times as the tool writes them.
    pub fn entry<'a>(
        &self,
        line: usize,
        r: &'a StringRecord,
        start: Stamp<'a>,
        end: Option<End<'a>>,
        duration: Option<(&'static str, &'a str)>,
    ) -> Entry<'a> {
        let name = (self.names.iter())
            .map(|&i| field(r, i))
            .find(|n| !n.is_empty())
            .unwrap_or("");
        let (billable_col, billable) = self.billable;
        Entry {
            line,
            id: field(r, self.id),
            email: field(r, self.email),
            name,
            client: field(r, self.client),
            project: field(r, self.project),
            task: field(r, self.task),
            tags: field(r, self.tags),
            note: field(r, self.note),
            billable: billable.map(|i| (billable_col, field(r, Some(i)))),
            start,
            end,
            duration,
        }
    }
}

/// Of columns that say the same thing (a duration as a clock and as decimal hours): the
/// first the file has with a value in `record`, else the last the file has (empty); `None`
/// when the file has none of them.
pub fn first_filled<'a>(
    record: &'a StringRecord,
    cols: &[(&'static str, Option<usize>)],
) -> Option<(&'static str, &'a str)> {
    let present = || {
        cols.iter()
            .filter_map(|&(name, i)| Some((name, field(record, Some(i?)))))
    };
    present()
        .find(|(_, v)| !v.is_empty())
        .or_else(|| present().next_back())
}

/// The rows of a file's entries, and its errors (`errors` found while reading, then one per
/// entry it cannot take), sorted by line.
pub fn build(source: Source, entries: &[Entry], errors: Vec<RowError>, opts: &Options) -> Parsed {
    let mut dates: Vec<&str> = Vec::new();
    for e in entries {
        dates.push(e.start.date);
        if let Some(End::At(end)) = e.end {
            dates.push(end.date);
        }
    }
    dates.retain(|d| !d.is_empty());
    let format = DateFormat::detect(&dates);
    let mut parsed = Parsed {
        rows: Vec::new(),
        errors,
    };
    let mut seen = HashMap::new();
    for e in entries {
        match row(source, e, format, opts.time_zone) {
            Ok(row) => push_unique(&mut parsed, &mut seen, row),
            Err(message) => parsed.errors.push(RowError {
                line: e.line,
                message,
            }),
        }
    }
    parsed.errors.sort_by_key(|e| e.line);
    parsed
}

fn stamp(s: &Stamp, format: DateFormat) -> Result<NaiveDateTime, String> {
    if s.date.is_empty() {
        return Err(format!("{} is empty", s.date_col));
    }
    let date = format
        .parse(s.date)
        .ok_or_else(|| format!("{}: {:?} is not a date", s.date_col, s.date))?;
    if s.time.is_empty() && s.date_col == s.time_col {
        return Err(format!("{}: {:?} has no time of day", s.time_col, s.date));
    }
    if s.time.is_empty() {
        return Err(format!("{} is empty", s.time_col));
    }
    let time = stamps::parse_time(s.time)
        .ok_or_else(|| format!("{}: {:?} is not a time", s.time_col, s.time))?;
    Ok(date.and_time(time))
}

fn utc(local: NaiveDateTime, col: &str, tz: Tz) -> Result<i64, String> {
    stamps::to_utc_ms(local, tz).map_err(|m| format!("{col}: {m}"))
}

/// The start and end of an entry in UTC milliseconds, end after start and at most 24 hours
/// later: the end when the row has one, else start + duration.
pub fn span(
    start: NaiveDateTime,
    start_col: &str,
    end: Option<(NaiveDateTime, &str)>,
    duration_ms: Option<i64>,
    tz: Tz,
) -> Result<(i64, i64), String> {
    let start_ms = utc(start, start_col, tz)?;
    let (end_ms, end_local) = match (end, duration_ms) {
        (Some((end, col)), _) => (utc(end, col, tz)?, end),
        (None, Some(ms)) => {
            let end_ms = start_ms.saturating_add(ms);
            (end_ms, stamps::local_of(end_ms, tz).unwrap_or(start))
        }
        (None, None) => return Err("the entry has no end".into()),
    };
    check_order(
        start_ms,
        end_ms,
        &stamps::show(start),
        &stamps::show(end_local),
    )?;
    Ok((start_ms, end_ms))
}

/// Whether an entry from `start_ms` to `end_ms` can be taken: it ends after it starts, and
/// lasts at most 24 hours. The error shows `start` and `end` as the file wrote them.
pub fn check_order(start_ms: i64, end_ms: i64, start: &str, end: &str) -> Result<(), String> {
    if end_ms < start_ms {
        Err(format!("End ({end}) is before Start ({start})"))
    } else if end_ms == start_ms {
        Err(format!(
            "End ({end}) is the same as Start: the entry has no length"
        ))
    } else if end_ms.saturating_sub(start_ms) > MAX_MS {
        Err(format!(
            "the entry is longer than 24 hours (Start {start}, End {end})"
        ))
    } else {
        Ok(())
    }
}

fn row(source: Source, e: &Entry, format: DateFormat, tz: Tz) -> Result<ImportRow, String> {
    let start = stamp(&e.start, format)?;
    let duration = match e.duration {
        Some((col, d)) if !d.is_empty() => Some(
            stamps::parse_duration(d).ok_or_else(|| format!("{col}: {d:?} is not a duration"))?,
        ),
        _ => None,
    };
    let end = match e.end {
        Some(End::At(s)) if !(s.date.is_empty() && s.time.is_empty()) => {
            Some((stamp(&s, format)?, s.time_col))
        }
        Some(End::TimeOnly { col, time }) if !time.is_empty() => {
            let t =
                stamps::parse_time(time).ok_or_else(|| format!("{col}: {time:?} is not a time"))?;
            let mut end = start.date().and_time(t);
            if end < start || (end == start && duration.is_some_and(|d| d > 0)) {
                end = end
                    .checked_add_days(Days::new(1))
                    .ok_or_else(|| format!("{col}: {time:?} is out of range"))?;
            }
            Some((end, col))
        }
        _ => None,
    };
    if end.is_none() && duration.is_none() {
        let mut cols: Vec<&str> = Vec::new();
        match e.end {
            Some(End::At(s)) => cols.extend([s.date_col, s.time_col]),
            Some(End::TimeOnly { col, .. }) => cols.push(col),
            None => {}
        }
        cols.extend(e.duration.map(|(col, _)| col));
        cols.dedup();
        let verb = if cols.len() == 1 { "is" } else { "are" };
        return Err(format!(
            "{} {verb} empty: the entry has no end",
            cols.join(", ")
        ));
    }
    let (start_ms, end_ms) = span(start, e.start.time_col, end, duration, tz)?;
    let billable = match e.billable {
        Some((col, v)) => {
            fields::billable(v).ok_or_else(|| format!("{col}: {v:?} is not yes or no"))?
        }
        None => false,
    };
    let mut row = ImportRow {
        line: e.line,
        source_id: String::new(),
        user_email: fields::email(e.email),
        user_name: fields::optional(e.name),
        client: fields::optional(e.client),
        project: fields::optional(e.project),
        task: fields::optional(e.task),
        tags: fields::tags(e.tags),
        note: fields::text(e.note),
        start_ms,
        end_ms,
        billable,
    };
    row.source_id = match e.id.trim() {
        "" => fingerprint(source, &row),
        id => format!("{}:{id}", source.name()),
    };
    Ok(row)
}
