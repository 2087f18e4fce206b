//! Ticket links (`tickets.patterns`, issue 17): the read-only `tickets` field of entries and
//! tasks, the patterns the web UI reads, reports grouped and filtered by ticket, the exports'
//! `tickets` column (a JSON export with it still imports: `import::ophiontt`'s round trip), and
//! a bad pattern refused at start-up.

use serde_json::{json, Value};

use crate::helpers::{Client, EntryReq, ProjectReq, Server, TaskReq};

/// GitHub references first, then Jira keys.
const PATTERNS: &str = r#"[
  { name = "github", pattern = '\b(([\w.-]+/[\w.-]+)#(\d+))\b', url = "https://github.com/$2/issues/$3" },
  { name = "jira", pattern = '\b([A-Z][A-Z0-9]+-\d+)\b', url = "https://jira.example.com/browse/$1" },
]"#;

fn with_patterns() -> Server {
    Server::start_with_env(&[("OPHIONTT_TICKETS_PATTERNS", PATTERNS)])
}

/// `(id, source, url)` of a `tickets` list.
fn tickets(v: &Value) -> Vec<(String, String, String)> {
    (v.as_array().expect("tickets is a list").iter())
        .map(|t| {
            let s = |k: &str| t[k].as_str().unwrap().to_owned();
            (s("id"), s("source"), s("url"))
        })
        .collect()
}

fn jira(id: &str) -> (String, String, String) {
    let url = format!("https://jira.example.com/browse/{id}");
    (id.to_owned(), "jira".to_owned(), url)
}

async fn project(admin: &Client) -> String {
    admin.create_project(&ProjectReq::named("Backups")).await.id
}

async fn entry(c: &Client, project: &str, day: u32, hours: u32, note: &str) -> Value {
    let req = EntryReq::new(
        project,
        &format!("2026-11-{day:02}T09:00:00Z"),
        &format!("2026-11-{day:02}T{:02}:00:00Z", 9 + hours),
    )
    .note(note);
    let r = c
        .post("/api/v1/entries", serde_json::to_value(&req).unwrap())
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body
}

#[tokio::test]
async fn entries_and_tasks_list_the_tickets_of_their_note_and_title() {
    let s = with_patterns();
    let admin = s.setup_admin().await;
    let p = project(&admin).await;
    let task = admin
        .create_task(&p, &TaskReq::titled("OPS-7 rotate the keys"))
        .await;
    let req = EntryReq::new(&p, "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z")
        .task(&task.id)
        .note("fixed OPS-12 and infra/vpn#3 — OPS-12 again, not ops-13");
    let created = admin
        .post("/api/v1/entries", serde_json::to_value(&req).unwrap())
        .await;
    assert_eq!(created.status, 201, "{}", created.body);

    let github = (
        "infra/vpn#3".to_owned(),
        "github".to_owned(),
        "https://github.com/infra/vpn/issues/3".to_owned(),
    );
    let want = vec![jira("OPS-12"), github, jira("OPS-7")];
    assert_eq!(
        tickets(&created.body["tickets"]),
        want,
        "the answer to a create"
    );
    // The list is written by hand (entries_json.rs), not by the spec's types: the same field.
    let list = admin
        .get("/api/v1/entries?from=2026-11-23&to=2026-11-23")
        .await;
    assert_eq!(list.status, 200);
    assert_eq!(tickets(&list.body["items"][0]["tickets"]), want, "the list");
    let tasks = admin.get(&format!("/api/v1/projects/{p}/tasks")).await;
    assert_eq!(tickets(&tasks.body["items"][0]["tickets"]), [jira("OPS-7")]);

    // A note without a ticket: an empty list, never a missing field.
    let plain = entry(&admin, &p, 24, 1, "no ticket here").await;
    assert_eq!(plain["tickets"], json!([]));

    // The patterns the web UI links with: signed in only.
    let pats = admin.get("/api/v1/instance/ticket-patterns").await;
    assert_eq!(pats.status, 200);
    let names: Vec<&str> = (pats.body["items"].as_array().unwrap().iter())
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["github", "jira"]);
    assert_eq!(
        pats.body["items"][1]["url"],
        "https://jira.example.com/browse/$1"
    );
    let anon = Client::new(&s.base);
    let r = anon.get("/api/v1/instance/ticket-patterns").await;
    assert_eq!((r.status, r.code()), (401, "auth.required"));
}

#[tokio::test]
async fn without_patterns_every_tickets_list_is_empty() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = project(&admin).await;
    let e = entry(&admin, &p, 23, 1, "fixed OPS-12").await;
    assert_eq!(e["tickets"], json!([]));
    let pats = admin.get("/api/v1/instance/ticket-patterns").await;
    assert_eq!(pats.body, json!({ "items": [] }));
    let r = admin
        .get("/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&group=ticket")
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["rows"][0]["key"]["label"], "(no ticket)");
}

/// `(label, seconds)` of a report's rows.
fn rows(report: &Value) -> Vec<(String, i64)> {
    (report["rows"].as_array().unwrap().iter())
        .map(|r| {
            let label = r["key"]["label"].as_str().unwrap().to_owned();
            (label, r["seconds"].as_i64().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn reports_group_and_filter_by_ticket_and_count_an_entry_once_in_totals() {
    let s = with_patterns();
    let admin = s.setup_admin().await;
    let p = project(&admin).await;
    entry(&admin, &p, 23, 2, "OPS-1 and OPS-2").await;
    entry(&admin, &p, 24, 1, "follow-up on ops-2: OPS-2").await;
    entry(&admin, &p, 25, 3, "meetings").await;
    let week = "from=2026-11-23&to=2026-11-29";

    let r = admin
        .get(&format!("/api/v1/reports/summary?{week}&group=ticket"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["total"]["seconds"], 6 * 3600, "each entry once");
    let want = [
        ("OPS-2".to_owned(), 3 * 3600),
        ("(no ticket)".to_owned(), 3 * 3600),
        ("OPS-1".to_owned(), 2 * 3600),
    ];
    let mut got = rows(&r.body);
    got.sort_by_key(|(l, s)| (-s, l.starts_with('(') as u8, l.clone()));
    assert_eq!(got, want);

    // Filtered by ticket (any letter case, several at once), in every report and the list.
    let r = admin
        .get(&format!("/api/v1/reports/summary?{week}&ticket=ops-1"))
        .await;
    assert_eq!(r.body["total"]["seconds"], 2 * 3600);
    let r = admin
        .get(&format!(
            "/api/v1/reports/summary?{week}&ticket=OPS-1,OPS-2&group=day"
        ))
        .await;
    assert_eq!(r.body["total"]["seconds"], 3 * 3600);
    let r = admin
        .get(&format!("/api/v1/reports/detailed?{week}&ticket=OPS-2"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["items"][0]["tickets"][0]["id"], "OPS-2");
    let r = admin
        .get("/api/v1/reports/weekly?week=2026-11-23&ticket=OPS-1")
        .await;
    assert_eq!(r.body["seconds"], 2 * 3600);
    let r = admin
        .get("/api/v1/entries?from=2026-11-23&to=2026-11-29&ticket=ops-2")
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);

    // Grouped by ticket then by day: the inner rows split the ticket's time.
    let r = admin
        .get(&format!("/api/v1/reports/summary?{week}&group=ticket,day"))
        .await;
    let ops2 = (r.body["rows"].as_array().unwrap().iter())
        .find(|row| row["key"]["label"] == "OPS-2")
        .unwrap();
    assert_eq!(ops2["rows"].as_array().unwrap().len(), 2);

    // A filter too long is refused with the field named.
    let many: Vec<String> = (0..51).map(|i| format!("OPS-{i}")).collect();
    let r = admin
        .get(&format!(
            "/api/v1/reports/summary?{week}&ticket={}",
            many.join(",")
        ))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "ticket");
}

#[tokio::test]
async fn csv_and_json_exports_have_the_tickets_of_each_entry() {
    let s = with_patterns();
    let admin = s.setup_admin().await;
    let p = project(&admin).await;
    entry(&admin, &p, 23, 1, "OPS-1 then OPS-2").await;
    let range = "from=2026-11-01&to=2026-11-30";

    let csv = admin
        .get(&format!("/api/v1/exports/entries?format=csv&{range}"))
        .await;
    assert_eq!(csv.status, 200);
    let mut lines = csv.text.split("\r\n");
    let header = lines.next().unwrap();
    assert!(header.ends_with(",user_id,tickets"), "{header}");
    let row = lines.next().unwrap();
    assert!(row.ends_with(",\"OPS-1, OPS-2\""), "{row}");

    let doc = admin
        .get(&format!("/api/v1/exports/entries?format=json&{range}"))
        .await;
    assert_eq!(doc.status, 200);
    let t = &doc.body["entries"][0]["tickets"];
    assert_eq!(tickets(t), [jira("OPS-1"), jira("OPS-2")]);

    // Filtered by ticket, as reports are.
    for (ticket, rows) in [("ops-2", 1), ("OPS-9", 0)] {
        let csv = admin
            .get(&format!(
                "/api/v1/exports/entries?format=csv&{range}&ticket={ticket}"
            ))
            .await;
        assert_eq!(csv.status, 200, "{}", csv.text);
        let lines = csv.text.split("\r\n").filter(|l| !l.is_empty()).count();
        assert_eq!(lines, 1 + rows, "{ticket}");
    }
}

#[tokio::test]
async fn a_bad_pattern_is_refused_at_start_naming_the_key_and_the_value() {
    let bad = [
        (
            r#"[{ name = "jira", pattern = '([A-Z]+-\d+', url = "https://t.example/$1" }]"#,
            "not a valid regular expression",
        ),
        (
            r#"[{ name = "jira", pattern = '[A-Z]+-\d+', url = "https://t.example/$1" }]"#,
            "no capture group",
        ),
        (
            r#"[{ name = "jira", pattern = '(\w{1000}){1000}', url = "https://t.example/$1" }]"#,
            "too large",
        ),
        (
            r#"[{ name = "jira", pattern = '([A-Z]+-\d+)', url = "https://t.example/" }]"#,
            "$1",
        ),
        ("not toml", "not a TOML list of tables"),
    ];
    for (value, why) in bad {
        let dir = tempfile::tempdir().unwrap();
        let err = match Server::try_start_in(dir.path(), &[("OPHIONTT_TICKETS_PATTERNS", value)]) {
            Ok(_) => panic!("started with {value}"),
            Err(e) => e,
        };
        assert!(
            err.contains("tickets.patterns")
                && err.contains("OPHIONTT_TICKETS_PATTERNS")
                && err.contains(why),
            "{value}: {err}"
        );
    }
}
