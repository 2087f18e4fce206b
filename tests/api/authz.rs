//! The whole authorization matrix: every operation of the live `/api/openapi.json`, called by
//! each of thirteen callers (nine people and four API tokens), is allowed or refused exactly as `tests/api/authz-matrix.txt` says.
//! That table is the source of truth for who may call what (docs/api.md points at it); this
//! module owns reading it, calling every cell and comparing. Fixtures live in `authz/world.rs`,
//! the per-operation requests in `authz/calls.rs`. roles.rs stays the short per-role check.
//!
//! How an answer is read (the rule is also in the table's header):
//! - **deny**: `401`, `403`, or an answer that hides the target — a `404` whose code is a
//!   `*.not_found` code (not `route.not_found`), or quick-add's `422` `quick.unknown_project`.
//!   Every target a cell names exists (the admin's cell on the same row shows it), so such a
//!   "not found" tells the caller nothing but "not for you".
//! - **allow**: any other answer: `2xx`, or a `409` business refusal made after the caller was
//!   let in (`job.running`, `setup.already_done`…), or `400 token.invalid` of the public
//!   token endpoints.
//! - a `5xx`, or a `400`/`415`/`422` otherwise, is neither: the cell's request is broken (its
//!   recipe in calls.rs must be fixed), and the test fails on it.
//!
//! Set `AUTHZ_MATRIX_PRINT=1` to print the observed table in the file's format on stderr.

mod calls;
mod world;

use std::collections::{BTreeMap, BTreeSet};

use calls::{Target, CALLS, LAST, OWN_SESSION};
use world::{World, COLUMNS};

const TABLE: &str = include_str!("authz-matrix.txt");

/// What a cell expects or observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Allow,
    Deny,
}

impl Verdict {
    fn token(self) -> &'static str {
        match self {
            Verdict::Allow => "Y",
            Verdict::Deny => "-",
        }
    }
}

/// The table: operation → one verdict per column, in file order.
fn read_table() -> Vec<(String, Vec<Verdict>)> {
    let mut rows = Vec::new();
    let mut header = false;
    for (i, raw) in TABLE.lines().enumerate() {
        let line = raw.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let t: Vec<&str> = line.split_whitespace().collect();
        if !header {
            assert_eq!(
                t[1..],
                COLUMNS,
                "authz-matrix.txt:{}: the header names the columns",
                i + 1
            );
            header = true;
            continue;
        }
        assert_eq!(t.len(), 2 + COLUMNS.len(), "authz-matrix.txt:{}", i + 1);
        let cells = t[2..]
            .iter()
            .map(|c| match *c {
                "Y" => Verdict::Allow,
                "-" => Verdict::Deny,
                other => panic!("authz-matrix.txt:{}: cell `{other}` is not Y or -", i + 1),
            })
            .collect();
        rows.push((format!("{} {}", t[0], t[1]), cells));
    }
    rows
}

/// Every operation of the live spec, as `METHOD /api/v1/path`.
async fn spec_operations(w: &World) -> BTreeSet<String> {
    let r = w.net.call(None, "GET", "/api/openapi.json", "").await;
    assert_eq!(r.status, 200);
    let server = r.body["servers"][0]["url"].as_str().unwrap();
    // `http://host:port/api/v1` → `/api/v1`
    let prefix = &server[server.find("//").unwrap() + 2..];
    let prefix = &prefix[prefix.find('/').unwrap_or(prefix.len())..];
    let mut ops = BTreeSet::new();
    for (path, item) in r.body["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                ops.insert(format!("{} {prefix}{path}", method.to_uppercase()));
            }
        }
    }
    ops
}

/// Reads an answer; `Err` says why the cell's request is broken.
fn classify(r: &crate::helpers::Resp) -> Result<Verdict, String> {
    let code = r.code();
    let hidden_quick = r.body["errors"]
        .as_array()
        .is_some_and(|e| e.iter().any(|f| f["code"] == "quick.unknown_project"));
    match r.status {
        401 | 403 => Ok(Verdict::Deny),
        404 if code.ends_with(".not_found") && code != "route.not_found" => Ok(Verdict::Deny),
        422 if hidden_quick => Ok(Verdict::Deny),
        400 if code == "token.invalid" => Ok(Verdict::Allow),
        400 | 404 | 405 | 415 | 422 | 500.. => Err(format!("{} {code} {}", r.status, r.body)),
        _ => Ok(Verdict::Allow),
    }
}

/// The id a cell's path names; destructive calls get a new one per cell.
async fn target(w: &World, t: Target) -> String {
    let mem_p = || w.person("mem-P").unwrap().id.clone();
    match t {
        Target::Nothing => String::new(),
        Target::MemP => mem_p(),
        Target::Project => w.project.clone(),
        Target::Client => w.client.clone(),
        Target::Entry => w.entry.clone(),
        Target::Task => w.task.clone(),
        Target::Request => w.request.clone(),
        Target::Incident => w.incident.clone(),
        Target::Job => "expire_sessions".into(),
        Target::Category => "exports".into(),
        Target::FreshUser => w.fresh_user().await,
        Target::FreshRestricted => w.fresh_restricted_user().await,
        Target::FreshEntry => w.fresh_entry().await,
        Target::FreshHold => w.fresh_hold().await,
        Target::FreshRequest => w.fresh_request().await,
        Target::FreshIncident => w.fresh_incident().await,
        Target::FreshToken => w.fresh_token().await,
        Target::FreshFeed => w.fresh_feed().await.0,
        Target::FeedSecret => w.feed_secret.clone(),
        Target::Webhook => w.webhook.clone(),
        Target::FreshWebhook => w.fresh_webhook().await,
        Target::Message => w.message.clone(),
    }
}

/// Fills a recipe's placeholders for column `n`.
fn fill(w: &World, text: &str, n: usize) -> String {
    text.replace("{P}", &w.project)
        .replace("{client}", &w.client)
        .replace("{entry}", &w.entry)
        .replace("{task}", &w.task)
        .replace("{memP}", &w.person("mem-P").unwrap().id)
        .replace("{holdee}", &w.holdee)
        .replace("{login}", &w.login_email)
        .replace("{col}", COLUMNS[n])
        .replace("{n}", &n.to_string())
        .replace("{day}", &format!("{:02}", 10 + n))
}

/// Sends one cell; returns what it observed and the answer in short.
async fn run_cell(w: &World, op: &str, n: usize) -> (Result<Verdict, String>, String) {
    let &(_, t, query, body) = CALLS.iter().find(|c| c.0 == op).unwrap();
    let col = COLUMNS[n];
    let cookie = if OWN_SESSION.contains(&op) || LAST.contains(&op) {
        w.fresh_cookie(col).await
    } else {
        w.cookie(col)
    };
    let id = target(w, t).await;
    let (method, path) = op.split_once(' ').unwrap();
    let path = path
        .replace("{id}", &id)
        .replace("{name}", &id)
        .replace("{category}", &id)
        .replace("{user_id}", &id)
        .replace("{secret}", &id)
        // The week of the fixture entry (a Monday).
        .replace("{date}", "2026-11-02");
    let url = format!("{path}{}", fill(w, query, n));
    let r = w
        .net
        .call(cookie.as_deref(), method, &url, &fill(w, body, n))
        .await;
    (classify(&r), format!("{} {}", r.status, r.code()))
}

#[tokio::test]
async fn every_operation_allows_exactly_the_callers_the_matrix_states() {
    // Arrange
    let w = World::build().await;
    let table = read_table();
    let spec = spec_operations(&w).await;
    let rows: BTreeMap<&str, &Vec<Verdict>> =
        table.iter().map(|(op, v)| (op.as_str(), v)).collect();
    let recipes: BTreeSet<&str> = CALLS.iter().map(|c| c.0).collect();
    let mut failures = Vec::new();
    for op in &spec {
        if !rows.contains_key(op.as_str()) {
            failures.push(format!("{op}: in the spec, missing from authz-matrix.txt"));
        }
        if !recipes.contains(op.as_str()) {
            failures.push(format!("{op}: in the spec, no request in authz/calls.rs"));
        }
    }
    for op in rows.keys().chain(recipes.iter()) {
        if !spec.contains(*op) {
            failures.push(format!("{op}: not an operation of /api/openapi.json"));
        }
    }
    assert_eq!(rows.len(), table.len(), "an operation listed twice");
    // Act: every row, the ones that end other sessions last.
    let order = table
        .iter()
        .filter(|(op, _)| !LAST.contains(&op.as_str()))
        .chain(table.iter().filter(|(op, _)| LAST.contains(&op.as_str())))
        .filter(|(op, _)| spec.contains(op) && recipes.contains(op.as_str()));
    let (mut covered, mut cells) = (0, 0);
    let mut observed = Vec::new();
    for (op, expected) in order {
        covered += 1;
        let mut seen = Vec::new();
        for (n, want) in expected.iter().enumerate() {
            cells += 1;
            let (got, answer) = run_cell(&w, op, n).await;
            let col = COLUMNS[n];
            match &got {
                Ok(v) if v == want => {}
                Ok(v) => failures.push(format!(
                    "{op} as {col}: expected {want:?}, got {v:?} ({answer})"
                )),
                Err(e) => failures.push(format!("{op} as {col}: broken request: {e}")),
            }
            seen.push(got.map(Verdict::token).unwrap_or("?"));
        }
        observed.push(format!("{op:<48} {}", seen.join("  ")));
    }
    if std::env::var("AUTHZ_MATRIX_PRINT").is_ok() {
        eprintln!("{}", observed.join("\n"));
    }
    // Assert
    println!(
        "authorization matrix: {covered} of {} operations covered ({cells} cells)",
        spec.len()
    );
    assert!(
        failures.is_empty(),
        "{} authorization matrix failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
