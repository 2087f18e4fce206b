//! The layers hold by construction: data flows http / admin socket / cli → service → store, and
//! `domain` imports nothing of ours. This reads every file under `src/` and fails on an import
//! (`crate::x` outside a comment) that runs the wrong way, naming the file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// For each top-level module, the modules of ours it must not use.
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "domain",
        &[
            "store",
            "service",
            "http",
            "jobs",
            "backup",
            "audit",
            "adminsock",
            "cli",
            "app",
            "config",
            "tls",
        ],
    ),
    (
        "memory",
        &[
            "store",
            "service",
            "http",
            "jobs",
            "backup",
            "audit",
            "adminsock",
            "cli",
            "app",
            "config",
            "domain",
        ],
    ),
    (
        "clock",
        &[
            "store",
            "service",
            "http",
            "jobs",
            "backup",
            "audit",
            "adminsock",
            "cli",
            "app",
        ],
    ),
    (
        "store",
        &[
            "service",
            "http",
            "jobs",
            "backup",
            "audit",
            "adminsock",
            "cli",
            "app",
            "config",
        ],
    ),
    (
        "backup",
        &[
            "service",
            "http",
            "jobs",
            "adminsock",
            "cli",
            "app",
            "config",
        ],
    ),
    (
        "audit",
        &[
            "service",
            "http",
            "jobs",
            "backup",
            "adminsock",
            "cli",
            "app",
        ],
    ),
    ("service", &["http", "jobs", "adminsock", "cli", "app"]),
    (
        "jobs",
        &[
            "http",
            "adminsock",
            "cli",
            "app",
            "backup",
            "store",
            "audit",
        ],
    ),
    // The transports: they call the service layer (and read `domain` types), never the store,
    // the mechanisms (`backup`, `audit`), the scheduler or each other. `cli` may open the
    // application (`app`, the composition root) for its offline path.
    (
        "http",
        &[
            "adminsock",
            "cli",
            "backup",
            "store",
            "app",
            "audit",
            "jobs",
        ],
    ),
    (
        "adminsock",
        &["http", "cli", "backup", "store", "app", "audit", "jobs"],
    ),
    (
        "cli",
        &["http", "adminsock", "backup", "store", "audit", "jobs"],
    ),
];

/// Imports that run the wrong way and are tolerated for now, each with the issue that removes
/// it (none today). A new one fails the test; removing one without deleting its line fails too.
const KNOWN: &[(&str, &str, &str)] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The modules of ours a file uses, with the first line naming each.
fn uses(text: &str) -> BTreeMap<String, usize> {
    let mut found = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let name: String = rest[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            found.entry(name).or_insert(n + 1);
            rest = &rest[at + 7..];
        }
    }
    found
}

#[test]
fn no_import_runs_against_the_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut wrong = Vec::new();
    let mut seen_known = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let module = rel
            .trim_start_matches("src/")
            .split(['/', '.'])
            .next()
            .unwrap()
            .to_owned();
        let Some((_, banned)) = FORBIDDEN.iter().find(|(m, _)| *m == module) else {
            continue;
        };
        for (used, line) in uses(&std::fs::read_to_string(f).unwrap()) {
            if !banned.contains(&used.as_str()) {
                continue;
            }
            if KNOWN
                .iter()
                .any(|(m, u, file)| *m == module && *u == used && *file == rel)
            {
                seen_known.push(rel.clone());
                continue;
            }
            wrong.push(format!("{rel}:{line}: {module} uses crate::{used}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
    for (_, _, file) in KNOWN {
        assert!(
            seen_known.iter().any(|s| s == file),
            "{file} no longer needs its exception: delete its line from KNOWN"
        );
    }
}

#[test]
fn the_scan_sees_imports_and_skips_comments() {
    let found = uses("use crate::store::X; // crate::http\nlet y = crate::domain::time::f();");
    assert_eq!(found.keys().collect::<Vec<_>>(), ["domain", "store"]);
}

/// No two top-level modules use each other, directly or through others: the picture in
/// docs/architecture.md is a graph without cycles.
#[test]
fn no_import_cycle_between_top_level_modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut graph: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let rel = f.strip_prefix(root.join("src")).unwrap().to_string_lossy();
        let module = rel.split(['/', '.']).next().unwrap().to_owned();
        if matches!(module.as_str(), "lib" | "main") {
            continue;
        }
        let used = uses(&std::fs::read_to_string(f).unwrap());
        let out = graph.entry(module.clone()).or_default();
        out.extend(used.into_keys().filter(|u| *u != module && !u.is_empty()));
    }
    // Depth-first search; a module met again while on the current path closes a cycle.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut cycle = path[at..].to_vec();
            cycle.push(m.to_owned());
            return Some(cycle);
        }
        if !done.insert(m.to_owned()) {
            return None;
        }
        path.push(m.to_owned());
        for next in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    let mut done = std::collections::BTreeSet::new();
    for m in graph.keys() {
        if let Some(cycle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }
}

/// The store's files that make up the engine itself (open, write, dump, recover…); every other
/// file under `src/store/` is an area, and an area speaks to the service layer only through
/// its narrow traits (`<Area>Store` for reads, `<Area>Tx` inside a write), so that a second
/// engine implements those traits and nothing else changes (docs/architecture.md).
const ENGINE_FILES: &[&str] = &[
    "mod.rs",
    "codec.rs",
    "committer.rs",
    "entry_codec.rs",
    "error.rs",
    "flusher.rs",
    "gate_tests.rs",
    "health.rs",
    "keys.rs",
    "loader.rs",
    "marker.rs",
    "migrate.rs",
    "migrate_rates.rs",
    "project_entries.rs",
    "prelude.rs",
    "records.rs",
    "recover.rs",
    "snapshot.rs",
    "trees.rs",
];

/// The public methods an area file puts directly on `Store` or `Tx`, bypassing its traits.
fn untraited_methods(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut inherent = false;
    for line in text.lines() {
        if line == "impl Store {" || line == "impl Tx<'_> {" {
            inherent = true;
        } else if line == "}" {
            inherent = false;
        } else if inherent && line.starts_with("    pub fn ") {
            found.push(line.trim().to_owned());
        }
    }
    found
}

#[test]
fn store_areas_speak_only_through_their_traits() {
    let mut checked = 0;
    let mut bad = Vec::new();
    for e in std::fs::read_dir("src/store").unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() || ENGINE_FILES.contains(&name.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        checked += 1;
        assert!(
            text.contains("pub trait "),
            "src/store/{name} is an area file without a trait: declare its methods in \
             `<Area>Store` / `<Area>Tx`, or list it in ENGINE_FILES if it is engine plumbing"
        );
        for m in untraited_methods(&text) {
            bad.push(format!("src/store/{name}: {m}"));
        }
    }
    assert!(checked >= 12, "only {checked} area files found");
    assert!(
        bad.is_empty(),
        "public methods outside the area's traits (move them into the trait):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_trait_check_sees_an_inherent_public_method() {
    let text = "impl Store {\n    pub fn entry(&self) {}\n    fn helper(&self) {}\n}\n\
                impl EntriesStore for Store {\n    fn x(&self) {}\n}\n";
    assert_eq!(untraited_methods(text), vec!["pub fn entry(&self) {}"]);
}
