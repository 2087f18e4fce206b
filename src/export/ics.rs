//! iCalendar (RFC 5545): one VEVENT per entry, times in UTC (no VTIMEZONE needed), text
//! escaped (§3.3.11) and lines folded at 75 octets (§3.1), CRLF line ends.

use std::io::{self, Write};

use chrono::{DateTime, FixedOffset, Utc};

use super::row::{clock, ExportInfo, ExportRow};
use super::Sink;

pub(super) struct IcsSink<'w> {
    out: io::BufWriter<Box<dyn Write + Send + 'w>>,
    /// When the file was made, as every event's DTSTAMP.
    stamp: String,
}

impl<'w> IcsSink<'w> {
    pub(super) fn new(out: Box<dyn Write + Send + 'w>, info: &ExportInfo) -> io::Result<Self> {
        let mut s = Self {
            out: io::BufWriter::with_capacity(64 * 1024, out),
            stamp: utc(&info.generated_at),
        };
        s.line("BEGIN:VCALENDAR")?;
        s.line("VERSION:2.0")?;
        s.line("PRODID:-//OphionTT//Time entries//EN")?;
        s.line("CALSCALE:GREGORIAN")?;
        s.line("METHOD:PUBLISH")?;
        s.line(&format!("X-WR-CALNAME:{}", text(&info.title)))?;
        s.line(&format!("X-WR-TIMEZONE:{}", text(&info.time_zone)))?;
        Ok(s)
    }

    /// Writes one content line, folded.
    fn line(&mut self, l: &str) -> io::Result<()> {
        fold(&mut self.out, l)
    }
}

impl Sink for IcsSink<'_> {
    fn row(&mut self, r: &ExportRow) -> io::Result<()> {
        let mut what = r.project.clone();
        if !r.task.is_empty() {
            what = format!("{what} › {}", r.task);
        }
        let first = r.note.lines().next().unwrap_or("").trim();
        let summary = if first.is_empty() {
            what.clone()
        } else {
            format!("{what}: {first}")
        };
        let mut desc = Vec::new();
        if !r.note.is_empty() {
            desc.push(r.note.clone());
        }
        if !r.client.is_empty() {
            desc.push(format!("Client: {}", r.client));
        }
        desc.push(format!("Project: {what}"));
        desc.push(format!("Person: {} <{}>", r.user_name, r.user_email));
        desc.push(format!(
            "Duration: {} h{}",
            clock(r.duration_seconds),
            if r.billable { " (billable)" } else { "" }
        ));
        let stamp = self.stamp.clone();
        self.line("BEGIN:VEVENT")?;
        self.line(&format!("UID:{}@ophiontt", r.entry_id))?;
        self.line(&format!("DTSTAMP:{stamp}"))?;
        self.line(&format!("DTSTART:{}", utc(&r.start)))?;
        self.line(&format!("DTEND:{}", utc(&r.end)))?;
        self.line(&format!("SUMMARY:{}", text(&summary)))?;
        self.line(&format!("DESCRIPTION:{}", text(&desc.join("\n"))))?;
        if !r.tags.is_empty() {
            let tags: Vec<String> = r.tags.iter().map(|t| text(t)).collect();
            self.line(&format!("CATEGORIES:{}", tags.join(",")))?;
        }
        self.line("TRANSP:TRANSPARENT")?;
        self.line("END:VEVENT")
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.line("END:VCALENDAR")?;
        self.out.flush()
    }
}

/// A UTC date-time value: `20261102T080000Z`.
fn utc(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value, escaped: backslash, semicolon, comma and line breaks.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes `line` with CRLF, folded so that no physical line exceeds 75 octets; a fold never
/// splits a UTF-8 character, and each continuation starts with one space.
fn fold(out: &mut impl Write, line: &str) -> io::Result<()> {
    let mut rest = line;
    let mut limit = 75;
    loop {
        if rest.len() <= limit {
            out.write_all(rest.as_bytes())?;
            return out.write_all(b"\r\n");
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.write_all(&rest.as_bytes()[..cut])?;
        out.write_all(b"\r\n ")?;
        rest = &rest[cut..];
        // The leading space counts toward the next line's 75.
        limit = 74;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "ä".repeat(60));
        let mut out = Vec::new();
        fold(&mut out, &line).unwrap();
        let s = String::from_utf8(out).unwrap();
        for l in s.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert_eq!(s.replace("\r\n ", ""), format!("{line}\r\n"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
    }
}
