//! docs/reference/api.md from the spec the server serves (`/api/openapi.json`): every
//! operation, grouped by tag, with who may call it (its "Roles:" sentence), whether an API
//! token may, and its summary. docs/api.md keeps the prose; /api/docs is the browsable spec.

use std::fmt::Write;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use super::table_cell;

/// The spec of a real server on a loopback port and a temporary data folder.
pub fn spec() -> Value {
    // The HTTP client's TLS stack wants a crypto provider, even for plain HTTP.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ophiontt"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .env_remove("OPHIONTT_CONFIG")
        .env("OPHIONTT_LOG_FILE", "false")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawning ophiontt");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(i) = line.find("listening on http") {
                let _ = tx.send(line[i + "listening on ".len()..].trim().to_owned());
            }
        }
    });
    let base = rx.recv_timeout(Duration::from_secs(30));
    let spec = base.map_err(|e| e.to_string()).and_then(|base| {
        let rt = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
        rt.block_on(async {
            let r = reqwest::get(format!("{base}/api/openapi.json"))
                .await
                .map_err(|e| e.to_string())?;
            r.json::<Value>().await.map_err(|e| e.to_string())
        })
    });
    let _ = child.kill();
    let _ = child.wait();
    spec.unwrap_or_else(|e| panic!("cannot read the server's spec: {e}"))
}

/// The "Roles: …" sentence of an operation's description.
fn roles(description: &str) -> String {
    let Some(i) = description.find("Roles:") else {
        return "(not stated)".to_owned();
    };
    let rest = &description[i + "Roles:".len()..];
    let end = rest.find(". ").map(|e| e + 1).unwrap_or(rest.len());
    rest[..end].trim().trim_end_matches('.').to_owned()
}

/// `text` without its "Roles: …" sentence.
fn without_roles(text: &str) -> &str {
    text.find("Roles:")
        .map(|i| &text[..i])
        .unwrap_or(text)
        .trim()
}

pub fn markdown(spec: &Value) -> String {
    // The servers' URL carries the listening port; only its path belongs in the reference.
    let server = spec["servers"][0]["url"].as_str().unwrap_or("");
    let prefix = server
        .find("/api/")
        .map(|i| server[i..].trim_end_matches('/'))
        .unwrap_or("");
    let mut ops: Vec<(String, String, String, &Value)> = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let tag = op["tags"][0].as_str().unwrap_or("Other").to_owned();
            ops.push((tag, path.clone(), method.to_uppercase(), op));
        }
    }
    let mut tags: Vec<String> = ops.iter().map(|o| o.0.clone()).collect();
    tags.sort();
    tags.dedup();
    let mut out = String::new();
    out.push_str("# API operations\n\n");
    out.push_str(super::GENERATED);
    let _ = writeln!(
        out,
        "\nThe {} operations of `/api/openapi.json`, grouped by tag. The server shows the same \
         spec, with every schema, at `/api/docs`. Prose (authentication, errors, paging, \
         idempotency) is in [docs/api.md](../api.md); who may call what is enforced by the \
         authorization matrix, tests/api/authz-matrix.txt. *Token*: whether a personal API \
         token (`Authorization: Bearer`) may call it; otherwise a browser session only, or \
         public.",
        ops.len()
    );
    for tag in &tags {
        let _ = writeln!(
            out,
            "\n## {tag}\n\n| Method | Path | Roles | Token | What it does |\n|---|---|---|---|---|"
        );
        let mut these: Vec<&(String, String, String, &Value)> =
            ops.iter().filter(|o| &o.0 == tag).collect();
        these.sort_by(|a, b| (&a.1, &a.2).cmp(&(&b.1, &b.2)));
        for (_, path, method, op) in these {
            let desc = op["description"].as_str().unwrap_or("");
            let summary = op["summary"].as_str().unwrap_or("");
            let token = op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|req| req.get("token").is_some()));
            let public = op.get("security").is_none();
            let _ = writeln!(
                out,
                "| {method} | `{prefix}{path}` | {} | {} | {} |",
                table_cell(&roles(&format!("{summary} {desc}"))),
                if public {
                    "public"
                } else if token {
                    "yes"
                } else {
                    "no"
                },
                table_cell(without_roles(summary).trim_end_matches('.')),
            );
        }
    }
    out
}
