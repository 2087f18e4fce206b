//! Ticket references: the configured patterns (`tickets.patterns`) that find ticket ids such as
//! `OPS-12` or `#42` in notes and task titles, and the tracker URL each one links to.
//!
//! Patterns are compiled once, at start-up, by the configuration; matching uses the `regex`
//! crate, whose time is linear in the text whatever the pattern, which matters because the text
//! is typed by users. Capture group 1 is the ticket's id (and the text a link covers); the URL
//! template may use `$1` … `$9` for any group, so `(([\w.-]+/[\w.-]+)#(\d+))` with
//! `https://github.com/$2/issues/$3` links `owner/repo#123`. Where two patterns' ids overlap,
//! the one configured first wins. Pure: no I/O.

use std::ops::Range;

use regex::{Regex, RegexBuilder};

/// The most patterns one instance may configure.
pub const MAX_PATTERNS: usize = 20;
/// The longest pattern or URL template, in bytes.
pub const MAX_PATTERN_LEN: usize = 500;
/// The most ticket references found in one text (a note holds at most 2,000 characters).
pub const MAX_REFS: usize = 32;
/// The longest pattern name.
pub const MAX_NAME_LEN: usize = 32;
/// The compiled size a pattern may take: `x{1000}{1000}` and the like are refused.
const SIZE_LIMIT: usize = 256 * 1024;

/// One configured pattern: its name (the `source` of the tickets it finds), the regular
/// expression as written, and the URL template.
#[derive(Debug, Clone)]
pub struct Pattern {
    name: String,
    regex: Regex,
    url: String,
}

/// Which part of a pattern is wrong, and why (the configuration names the key around it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// `name`, `pattern` or `url`.
    pub field: &'static str,
    pub why: String,
}

fn wrong(field: &'static str, why: impl Into<String>) -> PatternError {
    PatternError {
        field,
        why: why.into(),
    }
}

impl Pattern {
    /// Validates and compiles a pattern.
    pub fn parse(name: &str, pattern: &str, url: &str) -> Result<Pattern, PatternError> {
        let name = name.trim();
        if name.is_empty()
            || name.len() > MAX_NAME_LEN
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            return Err(wrong(
                "name",
                format!("expected 1 to {MAX_NAME_LEN} of a-z, 0-9, - and _, such as \"jira\""),
            ));
        }
        if pattern.trim().is_empty() || pattern.len() > MAX_PATTERN_LEN {
            return Err(wrong(
                "pattern",
                format!("expected a regular expression of 1 to {MAX_PATTERN_LEN} bytes"),
            ));
        }
        let regex = RegexBuilder::new(pattern)
            .size_limit(SIZE_LIMIT)
            .dfa_size_limit(SIZE_LIMIT)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => wrong(
                    "pattern",
                    "is too large once compiled (a repetition such as {1000} is too big); \
                     simplify it",
                ),
                e => wrong(
                    "pattern",
                    format!(
                        "is not a valid regular expression: {}",
                        e.to_string().lines().last().unwrap_or("").trim()
                    ),
                ),
            })?;
        let groups = regex.captures_len() - 1;
        if groups == 0 {
            return Err(wrong(
                "pattern",
                "has no capture group: put the ticket id in parentheses, as in ([A-Z]+-\\d+)",
            ));
        }
        if regex.is_match("") {
            return Err(wrong(
                "pattern",
                "matches empty text; it must need at least one character, as in ([A-Z]+-\\d+)",
            ));
        }
        let url = url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.len() > MAX_PATTERN_LEN
            || url.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(wrong(
                "url",
                format!(
                    "expected an http(s):// URL of at most {MAX_PATTERN_LEN} bytes without spaces"
                ),
            ));
        }
        let refs = group_refs(url);
        if refs.is_empty() {
            return Err(wrong(
                "url",
                "does not use the ticket id: put $1 where it goes, as in https://tracker.example/browse/$1",
            ));
        }
        if let Some(n) = refs.iter().find(|n| **n > groups) {
            return Err(wrong(
                "url",
                format!("uses ${n}, but the pattern has {groups} capture group(s)"),
            ));
        }
        Ok(Pattern {
            name: name.to_owned(),
            regex,
            url: url.to_owned(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The regular expression as configured.
    pub fn pattern(&self) -> &str {
        self.regex.as_str()
    }

    /// The URL template as configured.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL for one match: `$N` replaced by group N, percent-encoded (but `/`, so that a
    /// group may hold a project path).
    fn link(&self, caps: &regex::Captures<'_>) -> String {
        let mut out = String::with_capacity(self.url.len() + 16);
        let mut rest = self.url.as_str();
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            match after.as_bytes().first() {
                Some(d @ b'1'..=b'9') => {
                    let n = usize::from(d - b'0');
                    encode(&mut out, caps.get(n).map_or("", |m| m.as_str()));
                    rest = &after[1..];
                }
                _ => {
                    out.push('$');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The group numbers `$1` … `$9` a URL template uses.
fn group_refs(url: &str) -> Vec<usize> {
    let b = url.as_bytes();
    (0..b.len().saturating_sub(1))
        .filter(|i| b[*i] == b'$' && (b'1'..=b'9').contains(&b[i + 1]))
        .map(|i| usize::from(b[i + 1] - b'0'))
        .collect()
}

/// Percent-encodes all but RFC 3986's unreserved characters and `/`.
fn encode(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// A ticket a text refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// The id as written (capture group 1), such as `OPS-12`.
    pub id: String,
    /// The name of the pattern that found it, such as `jira`.
    pub source: String,
    pub url: String,
}

/// A ticket reference in one text, with the byte range of its id there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub ticket: Ticket,
    pub span: Range<usize>,
}

/// The instance's patterns, in configured order (empty: no ticket links).
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    list: Vec<Pattern>,
}

impl Patterns {
    /// The patterns, at most [`MAX_PATTERNS`], with names that differ; the error says why not.
    pub fn new(list: Vec<Pattern>) -> Result<Patterns, String> {
        if list.len() > MAX_PATTERNS {
            return Err(format!("at most {MAX_PATTERNS} patterns are allowed"));
        }
        for (i, p) in list.iter().enumerate() {
            if list[..i].iter().any(|q| q.name == p.name) {
                return Err(format!("the name {:?} is used twice", p.name));
            }
        }
        Ok(Patterns { list })
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The patterns in configured order.
    pub fn iter(&self) -> impl Iterator<Item = &Pattern> {
        self.list.iter()
    }

    /// The ticket references in `text`: in text order, not overlapping (where two patterns'
    /// ids overlap, the first configured wins), at most [`MAX_REFS`].
    pub fn find(&self, text: &str) -> Vec<Found> {
        let mut found: Vec<Found> = Vec::new();
        'patterns: for p in &self.list {
            for caps in p.regex.captures_iter(text) {
                if found.len() >= MAX_REFS {
                    break 'patterns;
                }
                let Some(id) = caps.get(1).filter(|m| !m.is_empty()) else {
                    continue;
                };
                let span = id.range();
                if found
                    .iter()
                    .any(|f| f.span.start < span.end && span.start < f.span.end)
                {
                    continue;
                }
                found.push(Found {
                    ticket: Ticket {
                        id: id.as_str().to_owned(),
                        source: p.name.clone(),
                        url: p.link(&caps),
                    },
                    span,
                });
            }
        }
        found.sort_by_key(|f| f.span.start);
        found
    }

    /// The tickets `texts` refer to (a note, then a task's title), each once (by source and
    /// id), in order of first mention.
    pub fn tickets<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> Vec<Ticket> {
        let mut out: Vec<Ticket> = Vec::new();
        if self.list.is_empty() {
            return out;
        }
        for text in texts {
            for f in self.find(text) {
                if !(out.iter()).any(|t| t.id == f.ticket.id && t.source == f.ticket.source) {
                    out.push(f.ticket);
                }
            }
        }
        out
    }

    /// The ids of the tickets `texts` refer to, each once (one id found by two patterns is
    /// one ticket here): what reports group and filter by.
    pub fn ids<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for t in self.tickets(texts) {
            if !ids.contains(&t.id) {
                ids.push(t.id);
            }
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jira() -> Pattern {
        Pattern::parse(
            "jira",
            r"\b([A-Z][A-Z0-9]+-\d+)\b",
            "https://jira.example/browse/$1",
        )
        .unwrap()
    }

    fn github() -> Pattern {
        Pattern::parse(
            "github",
            r"(([\w.-]+/[\w.-]+)#(\d+))",
            "https://github.com/$2/issues/$3",
        )
        .unwrap()
    }

    fn gitlab() -> Pattern {
        Pattern::parse(
            "gitlab",
            r"(#(\d+))\b",
            "https://gitlab.example/ops/infra/-/issues/$2",
        )
        .unwrap()
    }

    fn ids(found: &[Found]) -> Vec<(&str, &str, Range<usize>)> {
        found
            .iter()
            .map(|f| {
                (
                    f.ticket.id.as_str(),
                    f.ticket.source.as_str(),
                    f.span.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn finds_ids_in_text_order_with_their_urls() {
        let p = Patterns::new(vec![jira()]).unwrap();
        let found = p.find("fixed OPS-12, then DB-7");
        assert_eq!(
            ids(&found),
            [("OPS-12", "jira", 6..12), ("DB-7", "jira", 19..23)]
        );
        assert_eq!(found[0].ticket.url, "https://jira.example/browse/OPS-12");
    }

    #[test]
    fn spans_are_byte_ranges_in_unicode_text() {
        let p = Patterns::new(vec![jira()]).unwrap();
        let text = "Zürich café ☕ OPS-3 — 日本語 OPS-4";
        let found = p.find(text);
        assert_eq!(found.len(), 2);
        for f in &found {
            assert_eq!(&text[f.span.clone()], f.ticket.id);
        }
    }

    #[test]
    fn where_patterns_overlap_the_first_configured_wins() {
        // `infra/vpn#12` is a GitHub reference; the GitLab pattern would take `#12` from it.
        let p = Patterns::new(vec![github(), gitlab()]).unwrap();
        let found = p.find("see #5 and infra/vpn#12");
        assert_eq!(
            ids(&found),
            [("#5", "gitlab", 4..6), ("infra/vpn#12", "github", 11..23)]
        );
        assert_eq!(
            found[1].ticket.url,
            "https://github.com/infra/vpn/issues/12"
        );
        assert_eq!(
            found[0].ticket.url,
            "https://gitlab.example/ops/infra/-/issues/5"
        );
        let p = Patterns::new(vec![gitlab(), github()]).unwrap();
        let found = p.find("infra/vpn#12");
        assert_eq!(ids(&found), [("#12", "gitlab", 9..12)]);
    }

    #[test]
    fn no_patterns_find_nothing() {
        let p = Patterns::default();
        assert!(p.is_empty());
        assert!(p.find("OPS-12").is_empty());
        assert!(p.tickets(["OPS-12"]).is_empty());
    }

    #[test]
    fn tickets_are_listed_once_each_in_order_of_first_mention() {
        let p = Patterns::new(vec![jira(), gitlab()]).unwrap();
        let t = p.tickets(["OPS-2 then OPS-1, OPS-2 again #9", "OPS-1: rotate keys"]);
        let got: Vec<_> = t
            .iter()
            .map(|t| (t.id.as_str(), t.source.as_str()))
            .collect();
        assert_eq!(
            got,
            [("OPS-2", "jira"), ("OPS-1", "jira"), ("#9", "gitlab")]
        );
        let twice = Pattern::parse("other", r"([A-Z]+-\d+)", "https://o.example/$1").unwrap();
        let p = Patterns::new(vec![jira(), twice]).unwrap();
        assert_eq!(p.ids(["OPS-2 and OPS-2", "OPS-3"]), ["OPS-2", "OPS-3"]);
    }

    #[test]
    fn one_text_yields_at_most_max_refs() {
        let p = Patterns::new(vec![jira()]).unwrap();
        let text: String = (0..100).map(|i| format!("OPS-{i} ")).collect();
        assert_eq!(p.find(&text).len(), MAX_REFS);
    }

    #[test]
    fn url_groups_are_percent_encoded_but_slashes() {
        let p = Pattern::parse("q", r"\[(.+?)\]", "https://t.example/search?q=$1&x=$$").unwrap();
        let p = Patterns::new(vec![p]).unwrap();
        let found = p.find("[a b/ü&c]");
        assert_eq!(
            found[0].ticket.url,
            "https://t.example/search?q=a%20b/%C3%BC%26c&x=$$"
        );
    }

    #[test]
    fn bad_patterns_say_which_part_is_wrong() {
        let url = "https://t.example/$1";
        let field = |r: Result<Pattern, PatternError>| r.unwrap_err().field;
        assert_eq!(field(Pattern::parse("Jira!", "(a)", url)), "name");
        assert_eq!(field(Pattern::parse("", "(a)", url)), "name");
        assert_eq!(field(Pattern::parse("j", "([A-Z]+", url)), "pattern");
        assert_eq!(field(Pattern::parse("j", "", url)), "pattern");
        let e = Pattern::parse("j", r"[A-Z]+-\d+", url).unwrap_err();
        assert!(e.why.contains("no capture group"), "{e:?}");
        let e = Pattern::parse("j", r"(\d*)", url).unwrap_err();
        assert!(e.why.contains("empty"), "{e:?}");
        let e = Pattern::parse("j", r"(\w{1000}){1000}", url).unwrap_err();
        assert!(e.why.contains("too large"), "{e:?}");
        assert_eq!(field(Pattern::parse("j", "(a)", "ftp://x/$1")), "url");
        assert_eq!(field(Pattern::parse("j", "(a)", "https://x/")), "url");
        let e = Pattern::parse("j", "(a)", "https://x/$2").unwrap_err();
        assert!(e.why.contains("$2") && e.field == "url", "{e:?}");
        let long = "(a)".repeat(200);
        assert_eq!(field(Pattern::parse("j", &long, url)), "pattern");
    }

    #[test]
    fn names_are_unique_and_patterns_bounded() {
        assert!(Patterns::new(vec![jira(), jira()])
            .unwrap_err()
            .contains("twice"));
        let many: Vec<Pattern> = (0..=MAX_PATTERNS)
            .map(|i| Pattern::parse(&format!("p{i}"), "(a)", "https://x/$1").unwrap())
            .collect();
        assert!(Patterns::new(many).is_err());
    }
}
