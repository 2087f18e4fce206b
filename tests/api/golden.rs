//! Golden audit events: makes `tests/golden/audit-events.jsonl` from real actions on a server
//! (in-process, fixed clock), so the audit bodies in the golden fixtures are the ones this
//! version writes. Nothing here runs by default; the golden tests that read the file are in
//! `src/store/golden/` (see there and docs/admin-guide.md, "Stored formats").
//!
//! Regenerate (only with a migration, see the docs):
//! `OPHIONTT_WRITE_GOLDEN=1 cargo test --test api golden -- --ignored`, then
//! `OPHIONTT_WRITE_GOLDEN=1 cargo test --lib golden`.

use std::collections::BTreeMap;

use ophiontt::clock::FixedClock;
use ophiontt::domain::audit::AuditEvent;
use serde_json::{json, Value};

use crate::inproc::spawn_with;

/// 2026-01-01T00:01:00Z, after every instant of the store fixtures.
const START_MS: i64 = 1_767_225_660_000;

/// The fixtures' admin id (`src/store/golden/fixtures.rs`, `uuid(1)`): the real admin's id
/// becomes it, so the events can be appended to the fixture store as that admin's.
const FIXTURE_ADMIN: &str = "01900000-0000-7000-8000-000000000001";

#[tokio::test]
#[ignore = "writes tests/golden/audit-events.jsonl; run with OPHIONTT_WRITE_GOLDEN=1"]
async fn write_golden_audit_events() {
    if std::env::var("OPHIONTT_WRITE_GOLDEN").as_deref() != Ok("1") {
        return;
    }
    let clock = FixedClock::new(START_MS);
    let s = spawn_with(clock.clone(), |_| {}).await;
    let admin = s.admin().await;
    let me = admin.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let step = || clock.advance(1_000);
    step();
    let r = admin.post("/api/v1/users", json!({ "name": "Max Mitglied", "email": "max@example.com", "role": "member", "time_zone": "UTC" })).await;
    assert_eq!(r.status, 201, "{}", r.body);
    step();
    let client = admin
        .post("/api/v1/clients", json!({ "name": "Acme" }))
        .await;
    step();
    let p = admin
        .post(
            "/api/v1/projects",
            json!({ "name": "Backups", "client_id": client.body["id"], "rate_cents": 9500 }),
        )
        .await;
    assert_eq!(p.status, 201, "{}", p.body);
    let pid = p.body["id"].as_str().unwrap().to_owned();
    step();
    let e = admin
        .post(
            "/api/v1/entries",
            json!({ "project_id": pid, "note": "rotated keys", "tags": ["ops"],
                    "start": "2026-01-01T08:00:00Z", "end": "2026-01-01T09:30:00Z", "confirm": true }),
        )
        .await;
    assert_eq!(e.status, 201, "{}", e.body);
    let eid = e.body["id"].as_str().unwrap().to_owned();
    step();
    let r = admin
        .patch(
            &format!("/api/v1/entries/{eid}"),
            json!({ "note": "rotated all keys", "tags": ["ops", "night"] }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    step();
    let r = admin
        .post("/api/v1/timer/start", json!({ "project_id": pid }))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    clock.advance(600_000);
    let r = admin.post_empty("/api/v1/timer/stop").await;
    assert_eq!(r.status, 200, "{}", r.body);
    step();
    let r = admin.delete(&format!("/api/v1/entries/{eid}")).await;
    assert!(r.status < 300, "{}", r.body);
    step();
    admin.get("/api/v1/users").await;
    step();
    let page = admin.get("/api/v1/audit?limit=500").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let mut items = page.body["items"].as_array().unwrap().clone();
    items.reverse();
    let mut out = String::new();
    for it in &items {
        let at = chrono::DateTime::parse_from_rfc3339(it["at"].as_str().unwrap()).unwrap();
        let ev = AuditEvent {
            at_ms: at.timestamp_millis(),
            actor: it["actor"].as_str().unwrap().to_owned(),
            ip: it["ip"].as_str().map(str::to_owned),
            action: it["action"].as_str().unwrap().to_owned(),
            target: it["target"].as_str().map(str::to_owned),
            body: it["body"].clone(),
        };
        out.push_str(&serde_json::to_string(&ev).unwrap());
        out.push('\n');
    }
    let out = fixed_ids(&out, &me);
    let file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/audit-events.jsonl");
    std::fs::write(&file, out).unwrap();
    let _ = s.stop.send(());
    assert!(items.len() >= 8, "{:?}", Value::Array(items));
}

/// Replaces every UUID in `text` by a fixed one, in order of first appearance (`admin` by the
/// fixtures' admin id), so the file is the same on every run.
fn fixed_ids(text: &str, admin: &str) -> String {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    map.insert(admin.to_owned(), FIXTURE_ADMIN.to_owned());
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        match text.get(i..i + 36).filter(|s| is_uuid(s)) {
            Some(found) => {
                let n = map.len();
                let id = map
                    .entry(found.to_owned())
                    .or_insert_with(|| format!("01900000-0000-7000-8000-{:012x}", 0xa00 + n));
                out.push_str(id);
                i += 36;
            }
            None => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

fn is_uuid(s: &str) -> bool {
    s.char_indices().all(|(i, c)| match i {
        8 | 13 | 18 | 23 => c == '-',
        _ => c.is_ascii_hexdigit(),
    })
}
