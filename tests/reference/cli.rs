//! docs/reference/cli.md from the clap tree: every command, its usage, arguments and options
//! (value, environment variable, default, help), and the exit codes.

use std::fmt::Write;

use clap::{Arg, Command};

use super::table_cell;

/// The reference's text.
pub fn markdown() -> String {
    let mut root = ophiontt::cli::command();
    root.build();
    let mut out = String::new();
    out.push_str("# Command-line reference\n\n");
    out.push_str(super::GENERATED);
    out.push_str(
        "\n`ophiontt help COMMAND` and `ophiontt COMMAND --help` print the same text; \
         `man ophiontt` has it too once the .deb is installed.\n\n",
    );
    out.push_str("## Exit codes\n\n| Code | Meaning |\n|---|---|\n");
    for (code, what) in ophiontt::cli::EXIT_CODES {
        let _ = writeln!(out, "| {code} | {} |", table_cell(what));
    }
    out.push_str(
        "\nThe terminal client (`login`, `logout`, `timer`) has its own, so that scripts can \
         tell a refusal from an unreachable server:\n\n| Code | Meaning |\n|---|---|\n",
    );
    for (code, what) in ophiontt::cli::CLIENT_EXIT_CODES {
        let _ = writeln!(out, "| {code} | {} |", table_cell(what));
    }
    out.push_str("\n## Commands\n\n");
    let mut all = Vec::new();
    walk(&root, &mut all);
    for c in &all {
        let path = c.get_bin_name().unwrap_or("ophiontt");
        let _ = writeln!(out, "- [`{path}`](#{})", anchor(path));
    }
    out.push('\n');
    for c in &all {
        command_section(c, &root, &mut out);
    }
    environment(&all, &mut out);
    out
}

/// Every environment variable the commands read: their flags' and the configuration's.
fn environment(all: &[&Command], out: &mut String) {
    // Each variable with the arguments it stands for (a flag, or a positional of one command).
    let mut by_var: Vec<(String, Vec<String>)> = Vec::new();
    for c in all {
        for a in c.get_arguments() {
            let Some(e) = a.get_env() else { continue };
            let name = e.to_string_lossy().into_owned();
            let label = match a.get_long() {
                Some(l) => format!("`--{l}`"),
                None => format!("{} of `{}`", arg_name(a), c.get_bin_name().unwrap_or("")),
            };
            match by_var.iter_mut().find(|(n, _)| *n == name) {
                Some((_, labels)) if !labels.contains(&label) => labels.push(label),
                Some(_) => {}
                None => by_var.push((name, vec![label])),
            }
        }
    }
    let mut vars: Vec<(String, String)> = by_var
        .into_iter()
        .map(|(n, labels)| (n, format!("the same as {}", labels.join(", or "))))
        .collect();
    vars.push((
        "OPHIONTT_<SECTION>_<KEY>".into(),
        "every configuration key, e.g. `OPHIONTT_SERVER_LISTEN` for `server.listen`: see the \
         [configuration reference](config.md). Flags win over them, they win over the file"
            .into(),
    ));
    vars.push((
        "XDG_CONFIG_HOME, HOME".into(),
        "where `login` keeps the terminal client's server and token \
         (`$XDG_CONFIG_HOME/ophiontt/client.toml`, else `~/.config/ophiontt/client.toml`)"
            .into(),
    ));
    vars.push((
        "MIMALLOC_PURGE_DELAY".into(),
        "the memory allocator's own setting; the server sets a low one unless this is set".into(),
    ));
    out.push_str("## Environment\n\n| Variable | What it does |\n|---|---|\n");
    for (name, what) in vars {
        let _ = writeln!(out, "| `{name}` | {} |", table_cell(&what));
    }
}

/// The command and every subcommand below it, depth first (`help` left out).
fn walk<'a>(c: &'a Command, out: &mut Vec<&'a Command>) {
    out.push(c);
    for s in c.get_subcommands().filter(|s| s.get_name() != "help") {
        walk(s, out);
    }
}

/// A heading's anchor as GitHub and most renderers make it.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|ch| match ch {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn command_section(c: &Command, root_cmd: &Command, out: &mut String) {
    let path = c.get_bin_name().unwrap_or("ophiontt");
    let _ = writeln!(out, "## {path}\n");
    let about = c
        .get_long_about()
        .or(c.get_about())
        .map(|s| s.to_string())
        .unwrap_or_default();
    if !about.is_empty() {
        let _ = writeln!(out, "{}\n", about.trim());
    }
    let usage = c.clone().render_usage().to_string();
    let usage = usage.trim_start_matches("Usage: ").trim();
    let _ = writeln!(out, "```text\n{usage}\n```\n");
    let root = c.get_bin_name() == Some("ophiontt");
    let args: Vec<&Arg> = c
        .get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
        // A global flag is shown where it is declared, not again on every command below.
        .filter(|a| root || !a.is_global_set() || !declared_above(root_cmd, c, a.get_id()))
        .collect();
    if !args.is_empty() {
        out.push_str("| Argument | Environment | Default | What it does |\n|---|---|---|---|\n");
        for a in args {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                arg_name(a),
                a.get_env()
                    .map(|e| format!("`{}`", e.to_string_lossy()))
                    .unwrap_or_default(),
                a.get_default_values()
                    .iter()
                    .map(|v| format!("`{}`", v.to_string_lossy()))
                    .collect::<Vec<_>>()
                    .join(", "),
                table_cell(&help_of(a)),
            );
        }
        out.push('\n');
    }
    let subs: Vec<&Command> = c
        .get_subcommands()
        .filter(|s| s.get_name() != "help")
        .collect();
    if !subs.is_empty() && !root {
        out.push_str("Commands: ");
        let names: Vec<String> = subs
            .iter()
            .map(|s| {
                let p = s.get_bin_name().unwrap_or(s.get_name());
                format!("[`{}`](#{})", s.get_name(), anchor(p))
            })
            .collect();
        let _ = writeln!(out, "{}.\n", names.join(", "));
    }
}

/// Whether a command above `c` (on the path from `root`) declares the argument `id`.
fn declared_above(root: &Command, c: &Command, id: &clap::Id) -> bool {
    let path: Vec<&str> = c.get_bin_name().unwrap_or("").split(' ').skip(1).collect();
    let mut at = root;
    for name in &path[..path.len().saturating_sub(1)] {
        if at.get_arguments().any(|a| a.get_id() == id) {
            return true;
        }
        match at.find_subcommand(name) {
            Some(next) => at = next,
            None => return false,
        }
    }
    at.get_arguments().any(|a| a.get_id() == id)
}

/// `--long <VALUE>`, `-s, --long`, or `<NAME>` for a positional.
fn arg_name(a: &Arg) -> String {
    let values: Vec<String> = a
        .get_value_names()
        .map(|v| v.iter().map(|n| n.to_string()).collect())
        .unwrap_or_else(|| vec![a.get_id().as_str().to_uppercase()]);
    let takes_value = a.get_num_args().is_some_and(|n| n.takes_values()) || a.is_positional();
    let value = if takes_value {
        format!(" <{}>", values.join("> <"))
    } else {
        String::new()
    };
    if a.is_positional() {
        return format!("`<{}>`", values.join("> <"));
    }
    let mut names = Vec::new();
    if let Some(s) = a.get_short() {
        names.push(format!("-{s}"));
    }
    if let Some(l) = a.get_long() {
        names.push(format!("--{l}"));
    }
    format!("`{}{value}`", names.join(", "))
}

/// The argument's help, and the values it takes when they are a fixed set.
fn help_of(a: &Arg) -> String {
    let mut help = a
        .get_long_help()
        .or(a.get_help())
        .map(|s| s.to_string())
        .unwrap_or_default();
    let possible: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|p| !p.is_hide_set())
        .map(|p| format!("`{}`", p.get_name()))
        .collect();
    if !possible.is_empty() && a.get_action().takes_values() {
        let _ = write!(help, " One of: {}.", possible.join(", "));
    }
    help.trim().to_owned()
}
