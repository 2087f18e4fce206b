//! Calendar subscriptions: a private feed URL per person (or a managed project), polled
//! without a session, read-only, revocable, never in the server's log. The feed's iCalendar is
//! also read back by Python's `icalendar` in tests/exports/check.py.

use serde_json::json;

use crate::helpers::{Client, Server};

/// An entry of yesterday's, 09:00–10:30 UTC, on `project`.
async fn entry(c: &Client, project: &str, note: &str) -> String {
    let day = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive();
    let body = json!({ "project_id": project, "start": format!("{day}T09:00:00Z"), "end": format!("{day}T10:30:00Z"), "note": note });
    let r = c.post("/api/v1/entries", body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

/// Fetches a feed URL with no cookie; returns the status and the body's text.
async fn fetch(url: &str) -> (u16, String, Option<String>) {
    let r = reqwest::get(url).await.unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, r.text().await.unwrap(), ct)
}

struct World {
    s: Server,
    admin: Client,
    manager: Client,
    member: Client,
    project: String,
    manager_id: String,
}

async fn world() -> World {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (manager, manager_id) = s.user_with_role(&admin, "mgr@example.com", "manager").await;
    let (member, member_id) = s.user_with_role(&admin, "mem@example.com", "member").await;
    let r = admin
        .post("/api/v1/projects", json!({ "name": "Backups", "member_ids": [member_id, manager_id], "manager_ids": [manager_id] }))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let project = r.body["id"].as_str().unwrap().to_owned();
    World {
        s,
        admin,
        manager,
        member,
        project,
        manager_id,
    }
}

#[tokio::test]
async fn a_feed_shows_its_owner_s_entries_without_a_session_until_revoked() {
    // Arrange
    let w = world().await;
    entry(&w.member, &w.project, "rotated the RAID keys").await;
    entry(&w.manager, &w.project, "manager's own work").await;
    // Act
    let r = w
        .member
        .post("/api/v1/me/calendar-feeds", json!({ "name": "phone" }))
        .await;
    // Assert
    assert_eq!(r.status, 201, "{}", r.body);
    let url = r.body["url"].as_str().unwrap().to_owned();
    assert!(
        url.contains("/api/v1/calendar/otc_") && url.ends_with(".ics"),
        "{url}"
    );
    assert!(r.body["webcal_url"]
        .as_str()
        .unwrap()
        .starts_with("webcal://"));
    let (status, ics, ct) = fetch(&url).await;
    assert_eq!(status, 200, "{ics}");
    assert_eq!(ct.as_deref(), Some("text/calendar; charset=utf-8"));
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.contains("X-WR-CALNAME:OphionTT: phone"), "{ics}");
    assert!(ics.contains("rotated the RAID keys"), "{ics}");
    assert!(
        !ics.contains("manager's own work"),
        "only the owner's entries"
    );
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    let list = w.member.get("/api/v1/me/calendar-feeds").await;
    let feed = &list.body["items"][0];
    assert_eq!(feed["last_used_ip"], "127.0.0.1");
    assert!(
        !list.text.contains("otc_"),
        "the list never holds the secret"
    );
    let id = feed["id"].as_str().unwrap();
    let gone = w
        .member
        .delete(&format!("/api/v1/me/calendar-feeds/{id}"))
        .await;
    assert_eq!(gone.body["state"], "revoked");
    let (status, body, _) = fetch(&url).await;
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("calendar.not_found"));
    let secret = url.rsplit('/').next().unwrap().trim_end_matches(".ics");
    assert!(!w.s.printed(secret), "the feed's secret is not in the log");
    let spec = w.admin.get("/api/openapi.json").await.body;
    let op = &spec["paths"]["/calendar/{secret}"]["get"];
    assert!(
        op["security"].is_null(),
        "the feed is public: its secret authorizes"
    );
}

#[tokio::test]
async fn a_manager_s_project_feed_shows_the_team_and_stops_when_they_no_longer_manage_it() {
    // Arrange
    let w = world().await;
    entry(&w.member, &w.project, "member on the project").await;
    let r = w
        .member
        .post(
            "/api/v1/me/calendar-feeds",
            json!({ "name": "team", "project_id": w.project }),
        )
        .await;
    assert_eq!((r.status, r.code()), (403, "auth.forbidden"), "{}", r.body);
    // Act
    let r = w
        .manager
        .post(
            "/api/v1/me/calendar-feeds",
            json!({ "name": "team", "project_id": w.project }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let url = r.body["url"].as_str().unwrap().to_owned();
    let (status, ics, _) = fetch(&url).await;
    // Assert
    assert_eq!(status, 200);
    assert!(ics.contains("member on the project"), "{ics}");
    let today = chrono::Utc::now().date_naive();
    let q = format!(
        "/api/v1/audit/accessed?from={}&to={today}",
        today - chrono::Duration::days(2)
    );
    let accessed = w.admin.get(&q).await;
    assert!(
        accessed.text.contains("time entries (export)"),
        "{}",
        accessed.body
    );
    let p = format!("/api/v1/projects/{}", w.project);
    let r = w.admin.patch(&p, json!({ "manager_ids": [] })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(fetch(&url).await.0, 404, "no longer a manager of it");
    let _ = w.manager_id;
}

#[tokio::test]
async fn bad_feeds_and_requests_are_refused_clearly() {
    // Arrange
    let w = world().await;
    let base = w.s.url("/api/v1/calendar/");
    // Act + Assert
    for secret in [
        "nothing",
        "otc_short.ics",
        &format!("otc_{}.ics", "A".repeat(43)),
        &format!("ott_{}", "A".repeat(43)),
    ] {
        let (status, body, _) = fetch(&format!("{base}{secret}")).await;
        assert_eq!(status, 404, "{secret}: {body}");
        assert!(body.contains("calendar.not_found"), "{body}");
    }
    let r = w
        .member
        .post(
            "/api/v1/me/calendar-feeds",
            json!({ "name": "", "project_id": null }),
        )
        .await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "name", "required")
    );
    let r = w
        .member
        .post(
            "/api/v1/me/calendar-feeds",
            json!({ "name": "x", "project_id": "nope" }),
        )
        .await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "project_id", "invalid")
    );
    let r = w
        .member
        .delete(&format!("/api/v1/me/calendar-feeds/{}", uuid::Uuid::nil()))
        .await;
    assert_eq!((r.status, r.code()), (404, "calendar.not_found"));
    // An API token's id is not a feed's.
    let t = w
        .member
        .post(
            "/api/v1/me/tokens",
            json!({ "name": "t", "scopes": ["read"] }),
        )
        .await;
    let id = t.body["token"]["id"].as_str().unwrap();
    let r = w
        .member
        .delete(&format!("/api/v1/me/calendar-feeds/{id}"))
        .await;
    assert_eq!((r.status, r.code()), (404, "calendar.not_found"));
    let (disabled, disabled_id) =
        w.s.user_with_role(&w.admin, "d@example.com", "member")
            .await;
    let r = disabled
        .post("/api/v1/me/calendar-feeds", json!({ "name": "soon gone" }))
        .await;
    let url = r.body["url"].as_str().unwrap().to_owned();
    assert_eq!(fetch(&url).await.0, 200);
    w.admin
        .post_empty(&format!("/api/v1/users/{disabled_id}/disable"))
        .await;
    assert_eq!(fetch(&url).await.0, 404, "a disabled owner's feed stops");
}
