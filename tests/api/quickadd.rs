//! Quick-add over HTTP: a line becomes an entry in the user's time zone, or a problem naming the
//! token that is wrong, with nothing created.

use chrono::Datelike;
use serde_json::json;

use crate::helpers::{ProjectReq, Server};

#[tokio::test]
async fn typed_lines_become_entries_in_the_users_time_zone() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    admin
        .patch("/api/v1/me", json!({ "time_zone": "America/New_York" }))
        .await;
    let acme = admin.create_client("Acme").await.id;
    admin
        .create_project(&ProjectReq {
            client_id: Some(acme),
            billable: Some(false),
            ..ProjectReq::named("Backups")
        })
        .await;
    admin.create_project(&ProjectReq::named("VPN")).await;

    let e = admin
        .quick_add("1h30 acme/backups #ops #billable yesterday rotated RAID keys")
        .await;
    assert_eq!(
        (e.duration_seconds, e.note.as_str()),
        (5400, "rotated RAID keys")
    );
    assert_eq!((e.tags, e.billable), (vec!["ops".to_owned()], true));
    assert_eq!(e.project_name, "Backups");

    let e = admin
        .quick_add("9:15-10:00 /vpn 2026-11-20 call with vendor")
        .await;
    // 09:15 in New York on 2026-11-20 (UTC-5) is 14:15Z.
    assert_eq!(
        (e.start.as_str(), e.end.as_deref()),
        ("2026-11-20T14:15:00Z", Some("2026-11-20T15:00:00Z"))
    );
    assert_eq!(e.note, "call with vendor");
}

#[tokio::test]
async fn a_line_that_does_not_parse_names_the_token_and_creates_nothing() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    admin.create_project(&ProjectReq::named("VPN")).await;
    let cases = [
        ("1x30 /vpn call", "quick.bad_time", "`1x30`"),
        (
            "1h nowhere/vpn call",
            "quick.unknown_project",
            "`nowhere/vpn`",
        ),
        ("1h call with vendor", "quick.missing_project", ""),
        ("1h /vpn 2026-13-01", "quick.bad_date", "`2026-13-01`"),
        ("", "quick.missing_time", ""),
    ];
    for (line, code, token) in cases {
        let r = admin
            .post("/api/v1/entries/quick", json!({ "text": line }))
            .await;
        assert_eq!((r.status, r.code()), (422, "validation.failed"), "{line:?}");
        assert_eq!(r.body["errors"][0]["field"], "text");
        assert_eq!(r.body["errors"][0]["code"], code, "{line:?}");
        assert!(
            r.body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(token),
            "{line:?}: {}",
            r.body
        );
    }
    let all = admin.list_entries("from=2000-01-01&to=2099-12-31").await;
    assert!(all.items.is_empty());
}

/// The `text` field's error item of a refused quick-add: (code, message).
async fn refusal(admin: &crate::helpers::Client, line: &str) -> (String, String) {
    let r = admin
        .post("/api/v1/entries/quick", json!({ "text": line }))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (422, "validation.failed"),
        "{line:?}: {}",
        r.body
    );
    let item = &r.body["errors"][0];
    assert_eq!(item["field"], "text");
    (
        item["code"].as_str().unwrap().to_owned(),
        item["message"].as_str().unwrap().to_owned(),
    )
}

// See: #14
#[tokio::test]
async fn names_with_spaces_are_read_as_the_longest_name_or_in_quotes() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let acme = admin.create_client("Acme Corp").await.id;
    let in_acme = |name: &str| ProjectReq {
        client_id: Some(acme.clone()),
        ..ProjectReq::named(name)
    };
    admin.create_project(&in_acme("Backups")).await;
    admin.create_project(&in_acme("Website")).await;
    admin
        .create_project(&ProjectReq::named("Website relaunch"))
        .await;

    let e = admin.quick_add("45m /Website relaunch").await;
    assert_eq!(
        (e.project_name.as_str(), e.duration_seconds, e.note.as_str()),
        ("Website relaunch", 2700, "")
    );
    for line in ["1h acme/backups", "1h acme corp/backups nightly"] {
        let e = admin.quick_add(line).await;
        assert_eq!(
            (e.project_name.as_str(), e.client_name.as_deref()),
            ("Backups", Some("Acme Corp")),
            "{line}"
        );
    }
    let e = admin
        .quick_add("30m \"Acme Corp\"/\"Website\" relaunch checklist")
        .await;
    assert_eq!(
        (e.project_name.as_str(), e.note.as_str()),
        ("Website", "relaunch checklist")
    );
    let e = admin.quick_add("30m /'website relaunch' copy").await;
    assert_eq!(
        (e.project_name.as_str(), e.note.as_str()),
        ("Website relaunch", "copy")
    );
}

// See: #14
#[tokio::test]
async fn the_day_may_come_first_and_last_weekday_is_before_today() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    admin
        .patch("/api/v1/me", json!({ "time_zone": "UTC" }))
        .await;
    admin.create_project(&ProjectReq::named("Ops")).await;
    let today = || chrono::Utc::now().date_naive();
    let before = today();

    let e = admin.quick_add("yesterday 14:00-15:30 /ops call").await;
    let after = today();

    let starts: Vec<String> = [before, after]
        .iter()
        .map(|d| format!("{}T14:00:00Z", d.pred_opt().unwrap()))
        .collect();
    assert!(starts.contains(&e.start), "{} not in {starts:?}", e.start);
    assert_eq!((e.duration_seconds, e.note.as_str()), (5400, "call"));

    // `last <today's weekday>` is a week back, never today.
    let weekday = format!("{:?}", before.weekday()).to_lowercase();
    let e = admin
        .quick_add(&format!("last {weekday} 9:00-10:00 /ops rotated keys"))
        .await;
    let week_back: Vec<String> = [before, after]
        .iter()
        .map(|d| format!("{}T09:00:00Z", *d - chrono::Days::new(7)))
        .collect();
    assert!(
        week_back.contains(&e.start),
        "{} not in {week_back:?}",
        e.start
    );
    assert_eq!(e.note, "rotated keys");
}

// See: #14
#[tokio::test]
async fn an_ambiguous_client_prefix_names_the_candidates_and_creates_nothing() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    for client in ["Acme Corp", "Acme Labs"] {
        let id = admin.create_client(client).await.id;
        admin
            .create_project(&ProjectReq {
                client_id: Some(id),
                ..ProjectReq::named("Backups")
            })
            .await;
    }

    let (code, message) = refusal(&admin, "1h acme/backups nightly").await;

    assert_eq!(code, "quick.ambiguous_project");
    assert!(message.contains("`acme/backups`"), "{message}");
    assert!(message.contains("Acme Corp/Backups"), "{message}");
    assert!(message.contains("Acme Labs/Backups"), "{message}");
    let all = admin.list_entries("from=2000-01-01&to=2099-12-31").await;
    assert!(all.items.is_empty());
    let e = admin.quick_add("1h acme labs/backups nightly").await;
    assert_eq!(e.client_name.as_deref(), Some("Acme Labs"));
}

// See: #14
#[tokio::test]
async fn archived_projects_and_projects_of_archived_clients_are_not_matched() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let gone = admin.create_client("Gone Inc").await.id;
    let kept = admin.create_client("Kept").await.id;
    for (client, name) in [(&gone, "Legacy"), (&gone, "Website"), (&kept, "Website")] {
        admin
            .create_project(&ProjectReq {
                client_id: Some(client.clone()),
                ..ProjectReq::named(name)
            })
            .await;
    }
    let old = admin.create_project(&ProjectReq::named("Old site")).await;
    admin
        .update_project(
            &old.id,
            &ProjectReq {
                archived: Some(true),
                ..ProjectReq::default()
            },
        )
        .await;
    let r = admin
        .patch(
            &format!("/api/v1/clients/{gone}"),
            json!({ "archived": true }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    for line in ["1h /old site", "1h gone inc/legacy", "1h gone/website"] {
        let (code, message) = refusal(&admin, line).await;
        assert_eq!(code, "quick.unknown_project", "{line}: {message}");
    }
    // The archived client's "Website" no longer makes `/website` ambiguous.
    let e = admin.quick_add("1h /website").await;
    assert_eq!(e.client_name.as_deref(), Some("Kept"));
}

/// A line naming a day over a year ago or after tomorrow is kept only when confirmed; the
/// question is reported on the line (`text`), and nothing is created before.
#[tokio::test]
async fn a_day_over_a_year_ago_is_kept_only_when_confirmed() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    admin.create_project(&ProjectReq::named("Ops")).await;
    let line = "1h /ops 2020-01-06 the old migration";
    let r = admin
        .post("/api/v1/entries/quick", json!({ "text": line }))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (422, "entry.needs_confirmation"),
        "{}",
        r.body
    );
    assert_eq!(r.body["errors"][0]["field"], "text");
    let message = r.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("2020-01-06"), "{message}");
    let none = admin
        .get("/api/v1/entries?from=2020-01-01&to=2020-01-31")
        .await;
    assert_eq!(none.body["items"].as_array().unwrap().len(), 0);
    let r = admin
        .post(
            "/api/v1/entries/quick",
            json!({ "text": line, "confirm": true }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["note"], "the old migration");
}

/// `POST /api/v1/timer/start` with `text`: a typed line as a timer, refused like quick-add.
async fn start_text(c: &crate::helpers::Client, body: serde_json::Value) -> crate::helpers::Resp {
    c.post("/api/v1/timer/start", body).await
}

#[tokio::test]
async fn a_typed_line_starts_a_timer_with_its_project_tags_flag_and_note() {
    // Arrange
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, member_id) = s.user_with_role(&admin, "m@example.com", "member").await;
    let acme = admin.create_client("Acme Corp").await.id;
    admin
        .create_project(&ProjectReq {
            client_id: Some(acme),
            billable: Some(false),
            member_ids: Some(vec![member_id.clone()]),
            ..ProjectReq::named("Backups")
        })
        .await;
    admin.create_project(&ProjectReq::named("Secret")).await;
    // Act
    let r = start_text(
        &member,
        json!({ "text": "acme/backups #ops #billable rotating keys" }),
    )
    .await;
    // Assert
    assert_eq!(r.status, 201, "{}", r.body);
    let started = &r.body["started"];
    assert_eq!(started["project_name"], "Backups");
    assert_eq!(started["client_name"], "Acme Corp");
    assert_eq!(started["tags"], json!(["ops"]));
    assert_eq!(started["billable"], true);
    assert_eq!(started["note"], "rotating keys");
    assert!(started["end"].is_null());
    let running = member.get("/api/v1/timer").await;
    assert_eq!(running.body["running"]["id"], started["id"]);
    // A second line replaces the first, as a start by project_id does (one under a second old
    // is discarded rather than kept: `stopped` is null then).
    let r = start_text(&member, json!({ "text": "/backups call" })).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let running = member.get("/api/v1/timer").await;
    assert_eq!(running.body["running"]["note"], "call");
    // Only the caller's projects are named: the member is not on Secret.
    let r = start_text(&member, json!({ "text": "/secret" })).await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "text", "quick.unknown_project")
    );
}

#[tokio::test]
async fn a_timer_line_with_a_when_or_a_day_or_beside_other_fields_starts_nothing() {
    // Arrange
    let s = Server::start();
    let admin = s.setup_admin().await;
    let vpn = admin.create_project(&ProjectReq::named("VPN")).await.id;
    // Act + Assert: the line's own errors, on `text`, naming the token
    for (line, code, token) in [
        ("1h30 /vpn call", "quick.unexpected_time", "`1h30`"),
        ("/vpn yesterday call", "quick.unexpected_day", "`yesterday`"),
        ("rotating keys", "quick.missing_project", ""),
        ("nowhere/vpn", "quick.unknown_project", "`nowhere/vpn`"),
        ("", "quick.missing_project", ""),
    ] {
        let r = start_text(&admin, json!({ "text": line })).await;
        assert_eq!(
            r.field_error(),
            (422, "validation.failed", "text", code),
            "{line:?}: {}",
            r.body
        );
        let message = r.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(token), "{line:?}: {message}");
    }
    // Either a line or the fields, not both; and one of them.
    let r = start_text(
        &admin,
        json!({ "text": "/vpn", "project_id": vpn, "tags": ["ops"] }),
    )
    .await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "project_id", "unexpected"),
        "{}",
        r.body
    );
    assert_eq!(r.body["errors"][1]["field"], "tags");
    let r = start_text(&admin, json!({ "note": "no project" })).await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "project_id", "required")
    );
    let r = start_text(&admin, json!({ "text": null })).await;
    assert_eq!((r.status, r.code()), (400, "request.invalid_body"));
    let running = admin.get("/api/v1/timer").await;
    assert!(running.body["running"].is_null(), "{}", running.body);
}
