//! The quick-add line: `1h30 acme/backups #ops #billable yesterday rotated RAID keys`,
//! `yesterday 14:00-15:30 acme corp/website relaunch call with vendor` or
//! `45m /"Website relaunch"`. Parsing is pure: the caller passes the names of the projects the
//! line may name (the service lists the caller's own); turning local times into instants and
//! the chosen project into its id happens in the service. Grammar (docs/user-guide.md):
//!
//! ```text
//! line     = [ day ] when { token }
//! when     = duration | range          1h30  1h  45m  2h15m  1.5h  1,5h  1:30  |  9:15-10:00
//!                                      (the first one; a later duration or range is a note word)
//! token    = day | project | flag | tag | word
//! day      = today | yesterday | weekday | last weekday | YYYY-MM-DD
//! weekday  = monday … sunday | mon … sun
//!            a bare weekday is the latest such day, today included (on a Friday, `friday` is
//!            today); `last <weekday>` is the latest such day strictly before today, 1 to 7 days
//!            back (on a Friday, `last friday` is a week ago)
//! project  = client/project | /project
//!            each name is words, or any text in "double" or 'single' quotes
//! flag     = #billable | #nonbillable
//! tag      = #name
//! word     = anything else: the note, in order
//! ```
//!
//! Names are matched without regard to letter case (Unicode lowercase, word by word). An
//! unquoted name takes the plain words around its slash: the project the longest run of words
//! after the slash that is a project's name, the client the longest run of words before it
//! (ending with the one touching the slash) that starts a client's name, so `acme` names
//! "Acme Corp" when no other client's name starts with it, and a client's full name wins over
//! other clients it is the start of. Plain words are words without quotes, `#` or `/`; the
//! words a name takes are not note words, days or the when.
//!
//! A timer's line ([`parse_timer`], `POST /api/v1/timer/start` with `text`) is the same grammar
//! without the when and the day: `{ token }`, where a day other than `today` is refused, as is a
//! line that starts like a quick-add one (a duration or range, after an optional day). The time
//! parts live in `when.rs`.

mod when;

use std::ops::Range;

use chrono::{NaiveDate, NaiveTime, Weekday};

#[cfg(test)]
use when::parse_day;
use when::{day_at, parse_when};

/// When the entry happened, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// A duration in seconds, ending now (today) or starting at 09:00 (another day).
    Duration(i64),
    /// Local start and end times on the entry's date.
    Range(NaiveTime, NaiveTime),
}

/// Which day, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {
    Today,
    Yesterday,
    /// The latest such weekday, today included.
    Weekday(Weekday),
    /// `last <weekday>`: the latest such weekday before today, never today.
    LastWeekday(Weekday),
    Date(NaiveDate),
}

/// A project a line may name, as the caller lists them: its client's name and its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectName {
    pub client: Option<String>,
    pub project: String,
}

/// A parsed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickEntry {
    pub when: When,
    pub day: Day,
    /// The project named: an index into the names given to [`parse`].
    pub project: usize,
    pub tags: Vec<String>,
    pub billable: Option<bool>,
    pub note: String,
}

/// What is wrong, naming the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickError {
    pub code: &'static str,
    pub message: String,
}

fn err(code: &'static str, message: String) -> QuickError {
    QuickError { code, message }
}

/// Longest line accepted.
pub const MAX_LEN: usize = 1000;

/// Most candidates an ambiguous name lists.
const SHOWN: usize = 3;

/// A timer's line: a project, tags, the billable flag and a note, with no when and no day (the
/// timer starts now and runs until stopped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimerLine {
    /// The project named: an index into the names given to [`parse_timer`].
    pub project: usize,
    pub tags: Vec<String>,
    pub billable: Option<bool>,
    pub note: String,
}

/// Parses `line`, naming one of `projects`. Codes: `quick.too_long`, `quick.missing_time`,
/// `quick.bad_time`, `quick.bad_date`, `quick.bad_tag`, `quick.bad_project`,
/// `quick.missing_project`, `quick.unknown_project`, `quick.ambiguous_project`.
pub fn parse(line: &str, projects: &[ProjectName]) -> Result<QuickEntry, QuickError> {
    let tokens = lexed(line)?;
    let (mut day, head) = match day_at(&tokens, 0, &|_| false) {
        Some((d, n)) => (Some(d?), n),
        None => (None, 0),
    };
    let when = match tokens.get(head) {
        Some(t) => parse_when(t.raw)?,
        None if head == 0 => {
            return Err(err(
                "quick.missing_time",
                "start with a duration like 1h30 or a time range like 9:15-10:00".into(),
            ))
        }
        None => {
            return Err(err(
                "quick.missing_time",
                format!(
                "`{}`: after the day, give a duration like 1h30 or a time range like 9:15-10:00",
                spelled(line, &tokens, 0..head)
            ),
            ))
        }
    };
    let rest = body(line, &tokens, head + 1, projects, &mut |d, typed| {
        if day.is_some() {
            return Err(err(
                "quick.bad_date",
                format!("`{typed}`: the day was already given"),
            ));
        }
        day = Some(d);
        Ok(())
    })?;
    Ok(QuickEntry {
        when,
        day: day.unwrap_or(Day::Today),
        project: rest.project,
        tags: rest.tags,
        billable: rest.billable,
        note: rest.note,
    })
}

/// Parses a line that starts a timer: the grammar of [`parse`] without its when and day,
/// `acme/backups #ops #billable rotating keys`. A line that starts with a duration or a time
/// range (after an optional day) is refused with `quick.unexpected_time`, and a day other than
/// `today` anywhere with `quick.unexpected_day`: a timer runs from now, and such a line is one
/// for quick-add. Other codes as [`parse`] (but never `quick.missing_time`).
pub fn parse_timer(line: &str, projects: &[ProjectName]) -> Result<TimerLine, QuickError> {
    let tokens = lexed(line)?;
    let head = match day_at(&tokens, 0, &|_| false) {
        Some((Ok(_), n)) => n,
        _ => 0,
    };
    if let Some(t) = tokens.get(head).filter(|t| parse_when(t.raw).is_ok()) {
        return Err(err(
            "quick.unexpected_time",
            format!(
                "`{}`: a timer starts now and runs until you stop it; to record time already \
                 spent, add an entry with quick-add instead",
                t.raw
            ),
        ));
    }
    body(line, &tokens, 0, projects, &mut |d, typed| match d {
        Day::Today => Ok(()),
        _ => Err(err(
            "quick.unexpected_day",
            format!(
                "`{typed}`: a timer starts now; to record time on another day, add an entry \
                 with quick-add and a duration instead"
            ),
        )),
    })
}

/// The line's tokens, once its length is checked.
fn lexed(line: &str) -> Result<Vec<Token<'_>>, QuickError> {
    if line.chars().count() > MAX_LEN {
        return Err(err(
            "quick.too_long",
            format!("the line is longer than {MAX_LEN} characters"),
        ));
    }
    Ok(lex(line))
}

/// What follows the when, from `tokens[from]`: the project, tags, flags and note words. Each
/// day found goes to `on_day` with its text as typed.
fn body(
    line: &str,
    tokens: &[Token<'_>],
    from: usize,
    projects: &[ProjectName],
    on_day: &mut dyn FnMut(Day, String) -> Result<(), QuickError>,
) -> Result<TimerLine, QuickError> {
    // The first `client/project` is the project; later words with slashes (`and/or`, a path)
    // are the note's, as are links.
    let found = match (from..tokens.len()).find(|&i| tokens[i].is_reference()) {
        Some(i) => Some(resolve(line, tokens, from, i, projects)?),
        None => None,
    };
    let taken = |i: usize| found.as_ref().is_some_and(|(_, span)| span.contains(&i));
    let (mut tags, mut billable, mut note) = (Vec::new(), None, Vec::new());
    let mut i = from;
    while i < tokens.len() {
        let t = &tokens[i];
        if taken(i) {
            i += 1;
        } else if let Some(tag) = t.raw.strip_prefix('#') {
            match tag.to_lowercase().as_str() {
                "" => {
                    return Err(err(
                        "quick.bad_tag",
                        format!("`{}`: a tag needs a name after #", t.raw),
                    ))
                }
                "billable" => billable = Some(true),
                "nonbillable" | "non-billable" => billable = Some(false),
                _ if tag.chars().count() > 40 => {
                    return Err(err(
                        "quick.bad_tag",
                        format!("`{}`: a tag has at most 40 characters", t.raw),
                    ))
                }
                _ => tags.push(tag.to_owned()),
            }
            i += 1;
        } else if let Some((d, n)) = day_at(tokens, i, &taken) {
            on_day(d?, spelled(line, tokens, i..i + n))?;
            i += n;
        } else {
            note.push(t.raw);
            i += 1;
        }
    }
    let (project, _) = found.ok_or_else(|| {
        err(
            "quick.missing_project",
            "name the project as client/project or /project".into(),
        )
    })?;
    Ok(TimerLine {
        project,
        tags,
        billable,
        note: note.join(" "),
    })
}

/// The text of tokens `span`, as typed.
fn spelled(line: &str, tokens: &[Token<'_>], span: Range<usize>) -> String {
    line[tokens[span.start].at.start..tokens[span.end - 1].at.end].to_owned()
}

/// A part of a token between slashes that are not inside quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seg<'a> {
    Bare(&'a str),
    /// The text between the quotes.
    Quoted(&'a str),
}

/// What whitespace separates, except inside quotes.
#[derive(Debug)]
struct Token<'a> {
    raw: &'a str,
    /// Byte offsets of `raw` in the line.
    at: Range<usize>,
    segs: Vec<Seg<'a>>,
}

impl Token<'_> {
    /// A plain word: no quotes, slash or `#`. Only plain words extend a name.
    fn is_word(&self) -> bool {
        matches!(self.segs[..], [Seg::Bare(_)]) && !self.raw.starts_with('#')
    }

    /// `client/project` or `/project` (or a malformed try at one); a tag never is.
    fn is_reference(&self) -> bool {
        self.segs.len() > 1 && !self.raw.starts_with('#') && !self.raw.contains("://")
    }
}

fn is_quote(c: char) -> bool {
    c == '"' || c == '\''
}

/// Splits the line at whitespace outside quotes, and each token at slashes outside quotes.
fn lex(line: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = line[i..].chars().next() {
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let mut segs = Vec::new();
        loop {
            let (seg, next) = segment(line, i);
            segs.push(seg);
            i = next;
            if line[i..].starts_with('/') {
                i += 1;
            } else {
                break;
            }
        }
        out.push(Token {
            raw: &line[start..i],
            at: start..i,
            segs,
        });
    }
    out
}

/// The segment starting at byte `i` and the offset after it: quoted text when a quote opens it
/// and the same quote closes it before whitespace, a slash or the end (so an apostrophe, as in
/// `it's`, stays a letter); else the text up to whitespace or a slash.
fn segment(line: &str, i: usize) -> (Seg<'_>, usize) {
    let rest = &line[i..];
    if let Some(q) = rest.chars().next().filter(|&c| is_quote(c)) {
        let body = &rest[1..];
        let closing = body.char_indices().find(|&(j, c)| {
            c == q
                && body[j + 1..]
                    .chars()
                    .next()
                    .is_none_or(|a| a.is_whitespace() || a == '/')
        });
        if let Some((j, _)) = closing {
            return (Seg::Quoted(&body[..j]), i + 1 + j + 1);
        }
    }
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(rest.len());
    (Seg::Bare(&rest[..end]), i + end)
}

/// Lowercase, letter by letter (the same for a word wherever it stands).
fn lower(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(lower).collect()
}

/// A name's words as read from the line, and the token where that reading starts or ends.
type Reading = (Vec<String>, usize);

/// Which of `projects` the reference `tokens[at]` names, and the tokens its names take.
fn resolve(
    line: &str,
    tokens: &[Token<'_>],
    from: usize,
    at: usize,
    projects: &[ProjectName],
) -> Result<(usize, Range<usize>), QuickError> {
    let t = &tokens[at];
    let shape = || {
        err(
            "quick.bad_project",
            format!("`{}`: write a project as client/project or /project", t.raw),
        )
    };
    let [client, project] = t.segs[..] else {
        return Err(shape());
    };
    for seg in [client, project] {
        if let Seg::Bare(s) = seg {
            if s.starts_with(is_quote) {
                return Err(err(
                    "quick.bad_project",
                    format!("`{}`: a quoted name needs its closing quote", t.raw),
                ));
            }
        }
    }
    let (Seg::Bare(name) | Seg::Quoted(name)) = project;
    if name.trim().is_empty() {
        return Err(shape());
    }
    let names: Vec<(Vec<String>, Vec<String>)> = projects
        .iter()
        .map(|p| {
            let client = p.client.as_deref().map(words).unwrap_or_default();
            (client, words(&p.project))
        })
        .collect();
    let longest_client = names.iter().map(|n| n.0.len()).max().unwrap_or(0);
    let longest_project = names.iter().map(|n| n.1.len()).max().unwrap_or(0);

    // Readings of each name, longest first.
    let clients: Vec<Reading> = match client {
        Seg::Quoted(s) => vec![(words(s), at)],
        Seg::Bare("") => vec![(Vec::new(), at)],
        Seg::Bare(s) => {
            let mut first = at;
            while first > from && at - first + 1 < longest_client && tokens[first - 1].is_word() {
                first -= 1;
            }
            (first..=at)
                .map(|f| {
                    let mut w: Vec<String> = tokens[f..at].iter().map(|t| lower(t.raw)).collect();
                    w.push(lower(s));
                    (w, f)
                })
                .collect()
        }
    };
    let readings: Vec<Reading> = match project {
        Seg::Quoted(s) => vec![(words(s), at)],
        Seg::Bare(s) => {
            let mut last = at;
            while last + 1 < tokens.len()
                && last - at + 1 < longest_project
                && tokens[last + 1].is_word()
            {
                last += 1;
            }
            (at..=last)
                .rev()
                .map(|l| {
                    let mut w = vec![lower(s)];
                    w.extend(tokens[at + 1..=l].iter().map(|t| lower(t.raw)));
                    (w, l)
                })
                .collect()
        }
    };

    for (pw, last) in &readings {
        for (cw, first) in &clients {
            let matching: Vec<usize> = (0..names.len())
                .filter(|&k| names[k].1 == *pw && names[k].0.starts_with(cw))
                .collect();
            if matching.is_empty() {
                continue;
            }
            // A client's full name wins over the clients whose names it starts.
            let full: Vec<usize> = matching
                .iter()
                .copied()
                .filter(|&k| !cw.is_empty() && names[k].0 == *cw)
                .collect();
            let pick = if full.is_empty() { matching } else { full };
            if let [one] = pick[..] {
                return Ok((one, *first..*last + 1));
            }
            let typed = spelled(line, tokens, *first..*last + 1);
            let mut shown: Vec<String> = pick[..pick.len().min(SHOWN)]
                .iter()
                .map(|&k| label(&projects[k]))
                .collect();
            if pick.len() > SHOWN {
                shown.push(format!("and {} more", pick.len() - SHOWN));
            }
            let hint = if cw.is_empty() {
                "add the client, as client/project"
            } else {
                "write more of the client's name"
            };
            return Err(err(
                "quick.ambiguous_project",
                format!(
                    "`{typed}`: {} projects match ({}); {hint}",
                    pick.len(),
                    shown.join(", ")
                ),
            ));
        }
    }
    Err(err(
        "quick.unknown_project",
        format!("`{}`: none of your projects has that name", t.raw),
    ))
}

/// `Client/Project` or `/Project`, as stored.
fn label(p: &ProjectName) -> String {
    format!("{}/{}", p.client.as_deref().unwrap_or(""), p.project)
}

#[cfg(test)]
#[path = "quickadd_tests.rs"]
mod tests;
