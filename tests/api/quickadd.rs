//! Quick-add over HTTP: a line becomes an entry in the user's time zone, or a problem naming the
//! token that is wrong, with nothing created.

use serde_json::json;

use crate::helpers::Server;

#[tokio::test]
async fn typed_lines_become_entries_in_the_users_time_zone() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    admin
        .patch("/api/v1/me", json!({ "time_zone": "America/New_York" }))
        .await;
    let acme = admin
        .post("/api/v1/clients", json!({ "name": "Acme" }))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    admin
        .post(
            "/api/v1/projects",
            json!({ "name": "Backups", "client_id": acme, "billable": false }),
        )
        .await;
    admin
        .post("/api/v1/projects", json!({ "name": "VPN" }))
        .await;

    let r = admin
        .post(
            "/api/v1/entries/quick",
            json!({ "text": "1h30 acme/backups #ops #billable yesterday rotated RAID keys" }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        (r.body["duration_seconds"].as_i64(), r.body["note"].as_str()),
        (Some(5400), Some("rotated RAID keys"))
    );
    assert_eq!(
        (r.body["tags"].clone(), r.body["billable"].as_bool()),
        (json!(["ops"]), Some(true))
    );
    assert_eq!(r.body["project_name"], "Backups");

    let r = admin
        .post(
            "/api/v1/entries/quick",
            json!({ "text": "9:15-10:00 /vpn 2026-11-20 call with vendor" }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // 09:15 in New York on 2026-11-20 (UTC-5) is 14:15Z.
    assert_eq!(
        (r.body["start"].as_str(), r.body["end"].as_str()),
        (Some("2026-11-20T14:15:00Z"), Some("2026-11-20T15:00:00Z"))
    );
    assert_eq!(r.body["note"], "call with vendor");
}

#[tokio::test]
async fn a_line_that_does_not_parse_names_the_token_and_creates_nothing() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    admin
        .post("/api/v1/projects", json!({ "name": "VPN" }))
        .await;
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
    let all = admin
        .get("/api/v1/entries?from=2000-01-01&to=2099-12-31")
        .await;
    assert!(all.body["items"].as_array().unwrap().is_empty());
}
