//! Every command line the guides show (`$ ophiontt …` in a text block, or `ophiontt …` in a
//! shell block) must parse with the binary's own clap tree: a renamed command or flag fails here
//! instead of in a reader's terminal. And every `--help` output quoted after such a line must
//! still be what the binary prints.

use std::path::Path;

/// Shell words of a command line: spaces split, single and double quotes group, `#` starts a
/// comment; no expansion.
fn words(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for ch in line.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(ch);
                started = true;
            }
            // A comment: the rest of the line is not the command's.
            (None, '#') if cur.is_empty() && !started => break,
            (None, c) if c.is_whitespace() => {
                if started || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if quote.is_some() {
        return None;
    }
    if started || !cur.is_empty() {
        out.push(cur);
    }
    Some(out)
}

/// A command line of a guide, and the output quoted under it (text blocks only).
struct Example {
    line: usize,
    cmd: String,
    output: Vec<String>,
}

/// The command lines of one Markdown file.
fn command_lines(text: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut fence: Option<String> = None;
    let mut quoting = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if fence.is_some() && quoting && !t.starts_with("$ ") && !t.starts_with("```") {
            if let Some(last) = out.last_mut() {
                last.output.push(line.trim_end().to_owned());
            }
            continue;
        }
        quoting = false;
        if let Some(rest) = t.strip_prefix("```") {
            fence = match fence {
                Some(_) => None,
                None => Some(rest.trim().to_owned()),
            };
            continue;
        }
        let Some(lang) = &fence else { continue };
        let cmd = match t.strip_prefix("$ ") {
            Some(c) => c,
            None if matches!(lang.as_str(), "sh" | "bash" | "shell") => t,
            None => continue,
        };
        let cmd = cmd.trim();
        // Only our binary, as a command of its own (not in a pipe, a sudo or a placeholder).
        let Some(args) = cmd.strip_prefix("ophiontt ") else {
            continue;
        };
        if ["[", "…", "<", "|", "$(", ">", "&&", "..."]
            .iter()
            .any(|x| args.contains(x))
        {
            continue;
        }
        quoting = t.starts_with("$ ");
        out.push(Example {
            line: i + 1,
            cmd: cmd.to_owned(),
            output: Vec::new(),
        });
    }
    out
}

/// Problems with the command lines of the guides.
pub fn check(root: &Path) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut files: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.push(root.join("README.md"));
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let name = f.strip_prefix(root).unwrap().display().to_string();
        for Example { line, cmd, output } in command_lines(&text) {
            checked += 1;
            let Some(w) = words(&cmd) else {
                problems.push(format!("{name}:{line}: unbalanced quotes in `{cmd}`"));
                continue;
            };
            let Err(e) = ophiontt::cli::command().try_get_matches_from(&w) else {
                continue;
            };
            use clap::error::ErrorKind::*;
            match e.kind() {
                DisplayHelp if !output.is_empty() => {
                    // The quoted help must be the start of what the binary prints now.
                    let now = e.render().to_string();
                    let now: Vec<&str> = now.lines().map(str::trim_end).collect();
                    let quoted: Vec<&str> = output.iter().map(String::as_str).collect();
                    if now.len() < quoted.len() || now[..quoted.len()] != quoted[..] {
                        problems.push(format!(
                            "{name}:{line}: the output quoted for `{cmd}` is not what it prints now"
                        ));
                    }
                }
                DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand => {}
                _ => {
                    let first = e.to_string().lines().next().unwrap_or("").to_owned();
                    problems.push(format!("{name}:{line}: `{cmd}` does not parse: {first}"));
                }
            }
        }
    }
    (checked, problems)
}
