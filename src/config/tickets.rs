//! `tickets.patterns`: the list of ticket patterns, from the file (`[[tickets.patterns]]` or an
//! inline list) or the environment (the same list written in TOML), validated and compiled
//! once. A bad pattern is refused at start naming the key, the pattern's place and name, the
//! value and what is wrong.

use super::Source;
use crate::domain::tickets::{Pattern, Patterns};

const KEY: &str = "tickets.patterns";

/// The compiled patterns from the key's value (TOML text; empty or `[]`: none).
pub(super) fn build((value, src): &(String, Source)) -> Result<Patterns, String> {
    let text = value.trim();
    if text.is_empty() {
        return Ok(Patterns::default());
    }
    let bad = |why: String| format!("config key `{KEY}` (from {src}): {why}");
    let table: toml::Table = format!("patterns = {text}")
        .parse()
        .map_err(|_| bad(format!("{text:?} is not a TOML list of tables")))?;
    let Some(toml::Value::Array(items)) = table.get("patterns") else {
        return Err(bad(format!("{text:?} is not a TOML list of tables")));
    };
    let mut list = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        let Some(t) = item.as_table() else {
            return Err(bad(format!(
                "pattern {n} is not a table with name, pattern and url"
            )));
        };
        if let Some(k) = t
            .keys()
            .find(|k| !["name", "pattern", "url"].contains(&k.as_str()))
        {
            return Err(bad(format!(
                "pattern {n} has an unknown field `{k}`; a pattern has name, pattern and url"
            )));
        }
        let field = |f: &str| match t.get(f) {
            Some(toml::Value::String(s)) => Ok(s.as_str()),
            _ => Err(bad(format!("pattern {n} needs `{f}`, a string"))),
        };
        let (name, pattern, url) = (field("name")?, field("pattern")?, field("url")?);
        let p = Pattern::parse(name, pattern, url).map_err(|e| {
            let value = match e.field {
                "name" => name,
                "pattern" => pattern,
                _ => url,
            };
            bad(format!(
                "pattern {n} ({name:?}) has invalid {} {value:?}: {}",
                e.field, e.why
            ))
        })?;
        list.push(p);
    }
    Patterns::new(list).map_err(bad)
}
