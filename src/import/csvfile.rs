//! Reading a CSV export into records: the bytes checked as UTF-8 text (a UTF-8 BOM dropped),
//! the delimiter (`,` or `;`) taken from the header line, each record with the line it starts
//! on, and the header's columns found by name.

use csv::StringRecord;

use super::row::{FileError, RowError, Source};

/// A CSV file's header and its records, each with the line of the file it starts on.
#[derive(Debug)]
pub struct Table {
    /// The header's names, as written (trimmed).
    pub header: Vec<String>,
    /// The data records with their first line (the header is line 1). Records whose fields are
    /// all empty are left out.
    pub records: Vec<(usize, StringRecord)>,
    /// Records with more fields than the header (past it, not empty): a quote gone wrong.
    pub errors: Vec<RowError>,
}

/// The text of a file: a UTF-8 BOM dropped; `FileError::Encoding` naming the first line that
/// is not UTF-8; `FileError::Empty` when nothing but white space is left.
pub fn text(bytes: &[u8]) -> Result<&str, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        FileError::Encoding {
            line: 1 + good.iter().filter(|&&b| b == b'\n').count(),
        }
    })?;
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    Ok(text)
}

/// The delimiter of a file whose first line is its header: `;` when the header line (outside
/// quotes) has more semicolons than commas, else `,`.
pub fn delimiter(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Reads a whole CSV file. Records may be shorter than the header (the missing fields read as
/// empty); a record longer than the header, with something past its end, is a row error
/// (`Table::errors`).
pub fn read(bytes: &[u8]) -> Result<Table, FileError> {
    let text = text(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut record = StringRecord::new();
    let mut lines = LineCounter::new(text);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                return Err(FileError::Malformed {
                    line,
                    message: format!("the file cannot be read as CSV: {e}"),
                });
            }
        }
        let line = lines.line_of(record.position().map_or(0, |p| p.byte() as usize));
        let Some(names) = &header else {
            header = Some(record.iter().map(|h| h.trim().to_string()).collect());
            continue;
        };
        if record
            .iter()
            .skip(names.len())
            .any(|f| !f.trim().is_empty())
        {
            errors.push(RowError {
                line,
                message: format!(
                    "the row has {} fields, the header {}: are a note's quotes broken?",
                    record.len(),
                    names.len()
                ),
            });
        } else if record.iter().any(|f| !f.trim().is_empty()) {
            records.push((line, record.clone()));
        }
    }
    let header = header.ok_or(FileError::Empty)?;
    Ok(Table {
        header,
        records,
        errors,
    })
}

/// The line a record starts on, from the byte offset the csv reader gives for it. (The
/// reader's own line number is one short for records after a CRLF: it counts a record from
/// the `\n` that ends the line before. So blank-line bytes at the offset are skipped here.)
struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of the first byte at or after `offset` that is not a line end. Offsets must
    /// not go backwards.
    fn line_of(&mut self, offset: usize) -> usize {
        let mut start = offset.max(self.at);
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let end = start.min(self.text.len());
        self.line += self.text[self.at..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.at = end;
        self.line
    }
}

/// How a column is known in a header: names compared without case and surrounding spaces,
/// and, for money columns that carry a currency ("Amount (USD)"), a name prefix.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    /// The names the column goes by, the first one the name errors use.
    pub names: &'static [&'static str],
    /// Also match headers that start with the first name ("Billable Rate" matches
    /// "Billable Rate (EUR)").
    pub prefix: bool,
}

impl Col {
    /// A column known by these names.
    pub const fn named(names: &'static [&'static str]) -> Col {
        Col {
            names,
            prefix: false,
        }
    }

    /// A money column: its name followed by anything (a currency).
    pub const fn money(name: &'static [&'static str]) -> Col {
        Col {
            names: name,
            prefix: true,
        }
    }

    /// The name errors use.
    pub fn label(&self) -> &'static str {
        self.names.first().copied().unwrap_or("")
    }
}

fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

impl Table {
    /// The index of the first header column that is `col`.
    pub fn find(&self, col: Col) -> Option<usize> {
        let header: Vec<String> = self.header.iter().map(|h| fold(h)).collect();
        col.names.iter().find_map(|name| {
            let name = fold(name);
            header.iter().position(|h| *h == name).or_else(|| {
                col.prefix
                    .then(|| header.iter().position(|h| h.starts_with(&name)))
                    .flatten()
            })
        })
    }

    /// The index of `col`, or `FileError::MissingColumn` naming it.
    pub fn require(&self, col: Col, source: Source) -> Result<usize, FileError> {
        self.find(col)
            .ok_or_else(|| self.missing(col.label().to_string(), source))
    }

    /// The index of the first of `cols` the file has, or `FileError::MissingColumn` naming
    /// them all ("Email or User").
    pub fn require_any(&self, cols: &[Col], source: Source) -> Result<usize, FileError> {
        cols.iter().find_map(|&c| self.find(c)).ok_or_else(|| {
            let names: Vec<&str> = cols.iter().map(|c| c.label()).collect();
            self.missing(names.join(" or "), source)
        })
    }

    /// The error for a file that lacks a column, listing the columns it has.
    pub fn missing(&self, missing: String, source: Source) -> FileError {
        let found = self
            .header
            .iter()
            .map(|h| format!("{h:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        FileError::MissingColumn {
            missing,
            tool: source.name(),
            found,
        }
    }
}

/// The trimmed field `index` of a record; empty when the index is `None` or past the record's
/// end.
pub fn field(record: &StringRecord, index: Option<usize>) -> &str {
    index.and_then(|i| record.get(i)).unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_drops_the_bom_and_finds_bad_bytes() {
        assert_eq!(text(b"\xEF\xBB\xBFa,b\n"), Ok("a,b\n"));
        assert_eq!(
            text(b"a,b\n1,2\n3,\xE9\n"),
            Err(FileError::Encoding { line: 3 })
        );
        assert_eq!(text(b""), Err(FileError::Empty));
        assert_eq!(text(b"\xEF\xBB\xBF \r\n\n"), Err(FileError::Empty));
    }

    #[test]
    fn delimiter_comes_from_the_header_line() {
        assert_eq!(delimiter("a;b;c\n1,5;2;3\n"), b';');
        assert_eq!(delimiter("a,b\n1;2;3;4;5\n"), b',');
        assert_eq!(delimiter("\"x;y\",b\n"), b',');
    }

    #[test]
    fn records_start_on_their_lines() {
        let t = read(b"A,B\r\n1,\"two\r\nlines\"\r\n\r\n,\r\n3,4\r\n").expect("reads");
        let lines: Vec<usize> = t.records.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 6]);
        assert_eq!(field(&t.records[0].1, Some(1)), "two\r\nlines");
        assert_eq!(field(&t.records[0].1, Some(7)), "");
        let lf = read(b"A,B\n\n1,\"two\nlines\"\n3,4").expect("reads");
        let lines: Vec<usize> = lf.records.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [3, 5]);
    }

    #[test]
    fn columns_match_without_case_and_money_by_prefix() {
        let t = read(b" start DATE ,Billable Amount (USD)\n").expect("reads");
        assert_eq!(t.find(Col::named(&["Start date"])), Some(0));
        assert_eq!(t.find(Col::money(&["Billable Amount"])), Some(1));
        assert_eq!(t.find(Col::named(&["Billable Amount"])), None);
        let err = t
            .require_any(
                &[Col::named(&["Email"]), Col::named(&["User"])],
                Source::Toggl,
            )
            .expect_err("missing");
        assert_eq!(
            err,
            FileError::MissingColumn {
                missing: "Email or User".into(),
                tool: "toggl",
                found: "\"start DATE\", \"Billable Amount (USD)\"".into(),
            }
        );
    }
}
