//! The client portal: a `client` account linked to Acme sees Acme's projects, tasks, budgets and
//! hours, and nothing else. The isolation matrix calls every operation the client role can reach,
//! with every grouping and range it accepts, and checks that no answer carries another client's
//! anything, a note, a tag, an email, a person's id, or money while the instance hides rates.

use serde_json::{json, Value};

use crate::helpers::{Client, EntryReq, ProjectReq, Server, TaskReq};

const OCTOBER: &str = "from=2026-10-01&to=2026-10-31";

/// Acme (Backups: €90/h, a 10 h budget, a task estimated at 2 h; and an archived project) and
/// Globex (a secret project at €500/h); Bob works on both, with notes and tags; Carol is
/// Acme's client account.
struct World {
    admin: Client,
    bob: Client,
    bob_id: String,
    backups: String,
    carol: Client,
    carol_id: String,
    acme: String,
    /// Strings that must never reach Carol.
    secrets: Vec<String>,
}

async fn world(s: &Server) -> World {
    let admin = s.setup_admin().await;
    let (bob, bob_id) = s.user_with_role(&admin, "bob@example.com", "member").await;
    let acme = admin.create_client("Acme").await.id;
    let globex = admin.create_client("Globex Corp").await.id;
    let backups = admin
        .create_project(&ProjectReq {
            client_id: Some(acme.clone()),
            billable: Some(true),
            rate_cents: Some(9000),
            currency: Some("EUR".into()),
            ..ProjectReq::named("Backups").members(&[&bob_id])
        })
        .await
        .id;
    let r = admin
        .patch(
            &format!("/api/v1/projects/{backups}"),
            json!({ "budget": { "seconds": 36_000 } }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let old = admin
        .create_project(&ProjectReq {
            client_id: Some(acme.clone()),
            ..ProjectReq::named("Old migration").members(&[&bob_id])
        })
        .await
        .id;
    let secret = admin
        .create_project(&ProjectReq {
            client_id: Some(globex.clone()),
            billable: Some(true),
            rate_cents: Some(50_000),
            ..ProjectReq::named("Orbital Laser").members(&[&bob_id])
        })
        .await
        .id;
    let drill = admin
        .create_task(
            &backups,
            &TaskReq {
                title: Some("Restore drill".into()),
                estimate_secs: Some(7_200),
                ..TaskReq::default()
            },
        )
        .await
        .id;
    let entry = |project: &str, start: &str, end: &str| {
        EntryReq::new(project, start, end)
            .note("SECRET-NOTE about the vault")
            .tags(&["confidential-tag"])
    };
    bob.create_entry(&entry(&backups, "2026-10-05T09:00:00Z", "2026-10-05T12:00:00Z").task(&drill))
        .await;
    bob.create_entry(&entry(
        &backups,
        "2026-10-06T09:00:00Z",
        "2026-10-06T10:00:00Z",
    ))
    .await;
    bob.create_entry(&entry(&old, "2026-10-07T09:00:00Z", "2026-10-07T11:00:00Z"))
        .await;
    bob.create_entry(&entry(
        &secret,
        "2026-10-08T09:00:00Z",
        "2026-10-08T17:00:00Z",
    ))
    .await;
    let r = admin
        .patch(
            &format!("/api/v1/projects/{old}"),
            json!({ "archived": true }),
        )
        .await;
    assert_eq!(r.status, 200);

    let (carol, carol_id) = s
        .user_with_role(&admin, "carol@acme.example", "client")
        .await;
    let r = admin
        .patch(
            &format!("/api/v1/users/{carol_id}"),
            json!({ "client_id": acme }),
        )
        .await;
    assert_eq!(
        (r.status, r.body["client_id"].as_str()),
        (200, Some(acme.as_str()))
    );
    let secrets = vec![
        "Globex".into(),
        "Orbital".into(),
        globex,
        secret,
        "SECRET-NOTE".into(),
        "confidential-tag".into(),
        "bob@example.com".into(),
        bob_id.clone(),
        backups.clone(),
        "rate_cents".into(),
        "\"cents\"".into(),
        "50000".into(),
    ];
    World {
        admin,
        bob,
        bob_id,
        backups,
        carol,
        carol_id,
        acme,
        secrets,
    }
}

fn assert_keeps_secrets(w: &World, what: &str, body: &str) {
    for s in &w.secrets {
        assert!(!body.contains(s.as_str()), "{what} shows {s:?}: {body}");
    }
}

#[tokio::test]
async fn a_client_sees_its_own_projects_tasks_budgets_and_hours() {
    let s = Server::start();
    let w = world(&s).await;

    let r = w.carol.get("/api/v1/portal").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["client"]["name"], "Acme");
    assert_eq!(r.body["show_rates"], false);
    let names: Vec<&str> = (r.body["projects"].as_array().unwrap().iter())
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Backups", "Old migration"],
        "open first, then archived"
    );
    let backups = &r.body["projects"][0];
    assert_eq!(backups["tracked_seconds"], 4 * 3600);
    assert_eq!(backups["usage"]["percent"], 40);
    assert_eq!(backups["tasks"][0]["title"], "Restore drill");
    assert_eq!(backups["tasks"][0]["status"], "open");
    assert_eq!(
        backups["tasks"][0]["usage"]["over"], true,
        "3 h against 2 h"
    );

    let r = w
        .carol
        .get(&format!(
            "/api/v1/portal/hours?{OCTOBER}&group=project,user"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.body["total"]["seconds"],
        6 * 3600,
        "Acme's two projects only"
    );
    assert_eq!(r.body["rows"][0]["label"], "Backups");
    assert_eq!(
        r.body["rows"][0]["rows"][0]["label"], "User member",
        "people by display name"
    );
    assert!(r.body["total"]["amounts"].as_array().unwrap().is_empty());

    let csv = w
        .carol
        .get(&format!("/api/v1/portal/hours.csv?{OCTOBER}&group=project"))
        .await;
    assert_eq!(csv.status, 200);
    let text = csv.text.clone();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "project,hours,billed_hours",
            "Backups,4.00,4.00",
            "Old migration,2.00,2.00",
            "Total,6.00,6.00"
        ]
    );

    // The PDF timesheet: Acme's entries of October by person, no note, no e-mail, no money.
    let pdf = w
        .carol
        .http
        .get(format!(
            "{}/api/v1/portal/hours.pdf?{OCTOBER}",
            w.carol.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&bytes);
    for shown in [
        "Timesheet",
        "Acme",
        "Backups · Restore drill",
        "Old migration",
        "6:00",
    ] {
        assert!(text.contains(shown), "{shown} is in the PDF: {text}");
    }
    for hidden in ["SECRET", "Globex", "@example.com", "500"] {
        assert!(!text.contains(hidden), "{hidden} is not in the PDF");
    }

    // Reading Bob's time is recorded as a read of his data.
    let accessed = w
        .admin
        .get("/api/v1/audit/accessed?from=2026-01-01&to=2099-01-01")
        .await;
    let portal_reads = (accessed.body["items"].as_array().unwrap().iter())
        .filter(|a| {
            a["what"] == "time entries (client portal)"
                && a["actor"] == format!("user:{}", w.carol_id)
        })
        .count();
    assert!(portal_reads >= 1, "{}", accessed.body);
}

/// Every operation the client role can reach, with every grouping and a few ranges: no
/// answer carries anything of Globex, a note, a tag, an email, a person's id, or money.
#[tokio::test]
async fn the_portal_never_shows_another_clients_data_notes_people_or_money() {
    let s = Server::start();
    let w = world(&s).await;
    let mut calls = vec!["/api/v1/portal".to_string()];
    let groups = [
        "",
        "project",
        "task",
        "user",
        "day",
        "week",
        "month",
        "project,task",
        "user,day",
        "month,project",
    ];
    for path in [
        "/api/v1/portal/hours",
        "/api/v1/portal/hours.csv",
        "/api/v1/portal/hours.pdf",
    ] {
        for g in groups {
            for range in [OCTOBER, "from=2026-10-08&to=2026-10-08", ""] {
                calls.push(format!("{path}?{range}&group={g}"));
            }
        }
    }
    for call in &calls {
        let r = w.carol.get(call).await;
        assert_eq!(r.status, 200, "{call}: {}", r.body);
        assert_keeps_secrets(&w, call, &r.text);
    }
    // Asking for a grouping the portal does not offer, or another client's project, gets nothing.
    let r = w
        .carol
        .get(&format!("/api/v1/portal/hours?{OCTOBER}&group=tag"))
        .await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "group", "invalid")
    );
    let r = w
        .carol
        .get(&format!("/api/v1/portal/hours?{OCTOBER}&group=client"))
        .await;
    assert_eq!(r.status, 422);
    // The rest of the API stays shut (the authorization matrix checks every operation).
    for path in [
        "/api/v1/projects",
        "/api/v1/entries",
        "/api/v1/reports/summary",
        "/api/v1/people",
    ] {
        assert_eq!(w.carol.get(path).await.status, 403, "{path}");
    }
}

#[tokio::test]
async fn rates_show_only_where_the_instance_says_so() {
    let s = Server::start_with_env(&[("OPHIONTT_PORTAL_SHOW_RATES", "true")]);
    let w = world(&s).await;
    let r = w
        .carol
        .get(&format!("/api/v1/portal/hours?{OCTOBER}"))
        .await;
    assert_eq!(r.body["show_rates"], true);
    assert_eq!(
        r.body["total"]["amounts"],
        json!([{ "currency": "EUR", "cents": 36_000 }])
    );
    let o = w.carol.get("/api/v1/portal").await;
    assert_eq!(
        o.body["projects"][0]["amount"],
        json!({ "currency": "EUR", "cents": 36_000 })
    );
    let csv = w
        .carol
        .get(&format!("/api/v1/portal/hours.csv?{OCTOBER}"))
        .await;
    assert!(
        csv.text.contains("Backups,4.00,4.00,360.00,EUR"),
        "{}",
        csv.text
    );
    assert!(
        !csv.text.contains("Globex") && !csv.text.contains("5000"),
        "{}",
        csv.text
    );
}

#[tokio::test]
async fn only_linked_client_accounts_have_a_portal() {
    let s = Server::start();
    let w = world(&s).await;
    // Not a client account: no portal.
    let (member, member_id) = s.user_with_role(&w.admin, "mo@example.com", "member").await;
    assert_eq!(member.get("/api/v1/portal").await.status, 403);
    assert_eq!(w.admin.get("/api/v1/portal").await.status, 403);
    // Only a client account is linked to a client.
    let r = w
        .admin
        .patch(
            &format!("/api/v1/users/{member_id}"),
            json!({ "client_id": w.acme }),
        )
        .await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "client_id", "not_client_role")
    );
    let r = w
        .admin
        .patch(
            &format!("/api/v1/users/{}", w.carol_id),
            json!({ "client_id": "01900000-0000-7000-8000-0000000000ff" }),
        )
        .await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "client_id", "unknown")
    );
    // Unlinked: the portal says so.
    let r = w
        .admin
        .patch(
            &format!("/api/v1/users/{}", w.carol_id),
            json!({ "client_id": null }),
        )
        .await;
    assert_eq!(r.body["client_id"], Value::Null);
    let r = w.carol.get("/api/v1/portal").await;
    assert_eq!((r.status, r.code()), (409, "portal.not_linked"));
    // Linked at creation; a change of role drops the link.
    let r = w
        .admin
        .post(
            "/api/v1/users",
            json!({ "name": "Dan", "email": "dan@acme.example", "role": "client", "time_zone": "UTC", "client_id": w.acme }),
        )
        .await;
    assert_eq!(
        (r.status, r.body["user"]["client_id"].as_str()),
        (201, Some(w.acme.as_str()))
    );
    let dan = r.body["user"]["id"].as_str().unwrap().to_owned();
    let r = w
        .admin
        .patch(&format!("/api/v1/users/{dan}"), json!({ "role": "member" }))
        .await;
    assert_eq!((r.status, &r.body["client_id"]), (200, &Value::Null));
}

/// With approval in use, the portal counts only approved weeks.
#[tokio::test]
async fn with_approval_on_the_portal_counts_approved_weeks_only() {
    let s = Server::start_with_env(&[("OPHIONTT_APPROVAL_ENABLED", "true")]);
    let w = world(&s).await;
    // A second week of Bob's on Backups, never submitted.
    w.bob
        .create_entry(&EntryReq::new(
            &w.backups,
            "2026-10-12T09:00:00Z",
            "2026-10-12T14:00:00Z",
        ))
        .await;
    let hours = || async {
        let r = w
            .carol
            .get(&format!("/api/v1/portal/hours?{OCTOBER}"))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.body["total"]["seconds"].as_i64().unwrap()
    };
    assert_eq!(hours().await, 0, "nothing approved yet");
    let r = w
        .bob
        .post("/api/v1/weeks/2026-10-05/submit", json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(hours().await, 0, "submitted is not approved");
    let r = w
        .admin
        .post(
            &format!("/api/v1/weeks/{}/2026-10-05/approve", w.bob_id),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        hours().await,
        6 * 3600,
        "the approved week of 5 October; not the 12th"
    );
    let o = w.carol.get("/api/v1/portal").await;
    assert_eq!(o.body["projects"][0]["tracked_seconds"], 4 * 3600);
}

/// The text of a PDF's page contents: every stream inflated (the pages are deflated), joined.
fn pdf_text(pdf: &[u8]) -> String {
    use std::io::Read;
    let mut text = String::new();
    let mut rest = pdf;
    while let Some(at) = find(rest, b"stream\n").or_else(|| find(rest, b"stream\r\n")) {
        let body = &rest[at..];
        let body = &body[body.iter().position(|&b| b == b'\n').unwrap() + 1..];
        let end = find(body, b"endstream").unwrap();
        let mut out = Vec::new();
        if flate2::read::ZlibDecoder::new(&body[..end])
            .read_to_end(&mut out)
            .is_ok()
        {
            text.push_str(&shown_strings(&String::from_utf8_lossy(&out)));
        }
        rest = &body[end + b"endstream".len()..];
    }
    text
}

/// The hex strings (`<4163…>`) a page draws, decoded (Latin-1, as WinAnsi is for these).
fn shown_strings(content: &str) -> String {
    let mut out = String::new();
    for part in content.split('<').skip(1) {
        let Some((hex, _)) = part.split_once('>') else {
            continue;
        };
        let bytes =
            (0..hex.len() / 2).filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok());
        out.extend(bytes.map(char::from));
        out.push('\n');
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
