//! docs/reference/config.md from the key table (`config::KEYS`) and the sample `ophiontt.toml`,
//! which is checked against the same table: every key in its section, in the table's order,
//! with the table's default, and nothing the table does not have.

use std::fmt::Write;

use ophiontt::config::{env_name, KEYS};

use super::table_cell;

/// One key as the sample documents it.
struct Documented {
    path: String,
    /// The value after `=` on its `# key = value` line (TOML text).
    value: String,
    /// The comment block above it (shared with the keys right after it).
    what: String,
}

/// The keys of the sample file, in its order, with their comment blocks.
fn documented(sample: &str) -> Vec<Documented> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut block: Vec<String> = Vec::new();
    let mut last_what = String::new();
    let mut after_key = false;
    for line in sample.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            section = name.trim_matches(|c| c == '[' || c == ']').to_owned();
            block.clear();
            after_key = false;
            continue;
        }
        let key_line = t
            .strip_prefix("# ")
            .and_then(|r| r.split_once(" = "))
            .filter(|(k, _)| {
                !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            });
        if let Some((k, v)) = key_line {
            let what = if block.is_empty() && after_key {
                last_what.clone()
            } else {
                block.join(" ")
            };
            let path = if section.is_empty() {
                k.to_owned()
            } else {
                format!("{section}.{k}")
            };
            out.push(Documented {
                path,
                value: v.trim().to_owned(),
                what: what.clone(),
            });
            last_what = what;
            block.clear();
            after_key = true;
        } else if let Some(c) = t.strip_prefix('#') {
            if !after_key || !block.is_empty() || !c.starts_with("   ") {
                block.push(c.trim().to_owned());
            }
            after_key = false;
        } else if t.is_empty() {
            block.clear();
            after_key = false;
        }
    }
    out
}

/// The default as the sample writes it: strings quoted, numbers, booleans and lists bare.
fn as_toml(default: &str, sample_value: &str) -> String {
    if sample_value.starts_with('"') {
        format!("\"{default}\"")
    } else if sample_value.starts_with('\'') {
        format!("'{default}'")
    } else {
        default.to_owned()
    }
}

/// The kind of value a key takes, from what the table allows.
fn kind_of(allowed: &str, value: &str) -> &'static str {
    let a = allowed.to_lowercase();
    if a.starts_with("true or false") {
        "boolean"
    } else if a.contains("duration") {
        "duration"
    } else if a.starts_with("an integer") || a.contains("an integer from") {
        "integer"
    } else if value.starts_with('[') {
        "list"
    } else {
        "string"
    }
}

/// The reference's text, and every way the sample disagrees with the table.
pub fn markdown(sample: &str) -> (String, Vec<String>) {
    let doc = documented(sample);
    let mut problems = Vec::new();
    let table: Vec<&str> = KEYS.iter().map(|k| k.path).collect();
    let in_sample: Vec<&str> = doc.iter().map(|d| d.path.as_str()).collect();
    if table != in_sample {
        for k in &table {
            if !in_sample.contains(k) {
                problems.push(format!(
                    "ophiontt.toml lacks `{k}` (or has it in another section)"
                ));
            }
        }
        for k in &in_sample {
            if !table.contains(k) {
                problems.push(format!(
                    "ophiontt.toml documents `{k}`, which config::KEYS does not have"
                ));
            }
        }
        if problems.is_empty() {
            problems.push("ophiontt.toml lists the keys in another order than config::KEYS".into());
        }
    }
    let mut out = String::new();
    out.push_str("# Configuration reference\n\n");
    out.push_str(super::GENERATED);
    out.push_str(
        "\nEvery key, from the server's key table and the comments of the sample \
         [`ophiontt.toml`](../../ophiontt.toml), which a test checks against the same table. \
         Precedence: built-in defaults < the file (`--config` or `OPHIONTT_CONFIG`) < \
         environment variables < command-line flags. `ophiontt check` prints each key's value \
         and where it came from. A duration is a number and a unit: `s`, `m`, `h` or `d`.\n",
    );
    let mut section = None;
    for k in KEYS {
        let sec = k.path.rsplit_once('.').map(|(s, _)| s).unwrap_or("");
        if section != Some(sec) {
            section = Some(sec);
            let title = if sec.is_empty() {
                "Top level".to_owned()
            } else {
                format!("`[{sec}]`")
            };
            let _ = writeln!(
                out,
                "\n## {title}\n\n| Key | Type | Default | Environment | Allowed | What it does |\n|---|---|---|---|---|---|"
            );
        }
        let d = doc.iter().find(|d| d.path == k.path);
        let value = d.map(|d| d.value.as_str()).unwrap_or("");
        if let Some(d) = d {
            let want = as_toml(k.default, &d.value);
            if d.value != want && !(d.value.starts_with('[') && k.default.is_empty()) {
                problems.push(format!(
                    "ophiontt.toml gives `{}` the default {} where config::KEYS says {want}",
                    k.path, d.value
                ));
            }
        }
        let default = if k.default.is_empty() {
            "(empty)".to_owned()
        } else {
            format!("`{}`", k.default)
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | `{}` | {} | {} |",
            k.path,
            kind_of(k.allowed, value),
            table_cell(&default),
            env_name(k.path),
            table_cell(k.allowed),
            table_cell(d.map(|d| d.what.as_str()).unwrap_or("")),
        );
    }
    (out, problems)
}
