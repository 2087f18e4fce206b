//! Quick-add over HTTP: a line becomes an entry in the user's time zone, or a problem naming the
//! token that is wrong, with nothing created.

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
