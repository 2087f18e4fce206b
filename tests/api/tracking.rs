//! Time tracking over HTTP: projects, entries, the timer, bad input, days across DST, and who
//! may do what. The entries list, bulk changes and tags are in `entries_list.rs`.

use serde_json::{json, Value};

use crate::helpers::{Client, Server};

pub(crate) async fn project(c: &Client, name: &str, members: &[&str]) -> String {
    let r = c
        .post(
            "/api/v1/projects",
            json!({ "name": name, "member_ids": members, "rate_cents": 9500, "currency": "EUR" }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn entry(
    c: &Client,
    project: &str,
    start: &str,
    end: &str,
) -> crate::helpers::Resp {
    c.post(
        "/api/v1/entries",
        json!({ "project_id": project, "start": start, "end": end, "note": "work" }),
    )
    .await
}

pub(crate) fn ids(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn projects_are_created_by_admins_and_managers_and_seen_by_their_members() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (manager, manager_id) = s.user_with_role(&admin, "mgr@example.com", "manager").await;
    let (member, member_id) = s.user_with_role(&admin, "mem@example.com", "member").await;
    let client = admin
        .post("/api/v1/clients", json!({ "name": "Acme" }))
        .await;
    assert_eq!(client.status, 201);
    let acme = client.body["id"].as_str().unwrap();
    let p = admin.post("/api/v1/projects", json!({ "name": "Backups", "client_id": acme, "member_ids": [member_id], "color": "#AA3366" })).await;
    assert_eq!(
        (
            p.status,
            p.body["client_name"].as_str(),
            p.body["color"].as_str()
        ),
        (201, Some("Acme"), Some("#aa3366"))
    );
    let own = project(&manager, "Infra", &[]).await;
    let listed = manager.get("/api/v1/projects").await;
    assert_eq!(
        ids(&listed.body),
        vec![own.clone()],
        "a manager sees what they manage"
    );
    assert_eq!(listed.body["items"][0]["manager_ids"], json!([manager_id]));
    assert_eq!(
        member.get("/api/v1/projects").await.body["items"][0]["name"],
        "Backups"
    );
    let r = member
        .post("/api/v1/projects", json!({ "name": "Mine" }))
        .await;
    assert_eq!((r.status, r.code()), (403, "auth.forbidden"));
    let r = member.post("/api/v1/clients", json!({ "name": "X" })).await;
    assert_eq!(r.status, 403);
    // Archiving hides a project unless asked for.
    let r = manager
        .patch(
            &format!("/api/v1/projects/{own}"),
            json!({ "archived": true }),
        )
        .await;
    assert_eq!(r.body["archived"], true);
    assert!(ids(&manager.get("/api/v1/projects").await.body).is_empty());
    assert_eq!(
        ids(&manager.get("/api/v1/projects?archived=true").await.body),
        vec![own]
    );
    let bad = admin
        .post(
            "/api/v1/projects",
            json!({ "name": "P", "color": "blue", "currency": "EURO", "rate_cents": -1 }),
        )
        .await;
    let codes: Vec<&str> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["invalid_color", "invalid_currency", "negative"]);
}

#[tokio::test]
async fn starting_a_timer_stops_the_running_one_at_the_same_instant() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = project(&admin, "Ops", &[]).await;
    let first = admin
        .post(
            "/api/v1/timer/start",
            json!({ "project_id": p, "note": "first", "tags": ["#ops", "ops"] }),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.body["started"]["tags"], json!(["ops"]));
    assert!(first.body["started"]["end"].is_null());
    assert_eq!(
        admin.get("/api/v1/timer").await.body["running"]["note"],
        "first"
    );
    std::thread::sleep(std::time::Duration::from_millis(1100)); // let the first run a whole second
    let second = admin
        .post(
            "/api/v1/timer/start",
            json!({ "project_id": p, "note": "second" }),
        )
        .await;
    assert_eq!(second.body["stopped"]["id"], first.body["started"]["id"]);
    assert_eq!(
        second.body["stopped"]["end"], second.body["started"]["start"],
        "same instant"
    );
    let stopped = admin.post_empty("/api/v1/timer/stop").await;
    assert_eq!(
        (stopped.status, stopped.body["note"].as_str()),
        (200, Some("second"))
    );
    assert!(admin.get("/api/v1/timer").await.body["running"].is_null());
    let again = admin.post_empty("/api/v1/timer/stop").await;
    assert_eq!((again.status, again.code()), (409, "timer.not_running"));
    let cont = admin
        .post_empty(&format!(
            "/api/v1/entries/{}/continue",
            first.body["started"]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        (cont.status, cont.body["started"]["note"].as_str()),
        (201, Some("first"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_starts_leave_exactly_one_running_timer() {
    let s = Server::start();
    let admin = std::sync::Arc::new(s.setup_admin().await);
    let p = project(&admin, "Race", &[]).await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        let (a, p) = (admin.clone(), p.clone());
        tasks.push(tokio::spawn(async move {
            a.post(
                "/api/v1/timer/start",
                json!({ "project_id": p, "note": format!("n{i}") }),
            )
            .await
            .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 201);
    }
    let running = admin.get("/api/v1/timer").await.body["running"].clone();
    assert!(running.is_object());
    let all = admin.get("/api/v1/entries?limit=500").await;
    let open: Vec<&Value> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["end"].is_null())
        .collect();
    assert_eq!(open.len(), 1, "exactly one entry without an end");
    assert_eq!(open[0]["id"], running["id"]);
}

#[tokio::test]
async fn bad_entries_are_refused_with_their_code_and_nothing_is_written() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, member_id) = s.user_with_role(&admin, "m@example.com", "member").await;
    let mine = project(&admin, "Mine", &[&member_id]).await;
    let theirs = project(&admin, "Theirs", &[]).await;
    let archived = project(&admin, "Old", &[&member_id]).await;
    admin
        .patch(
            &format!("/api/v1/projects/{archived}"),
            json!({ "archived": true }),
        )
        .await;
    let t = "2026-11-20T09:00:00Z";
    let cases: Vec<(Value, u16, &str, Option<&str>)> = vec![
        (
            json!({ "project_id": mine, "start": t, "end": "2026-11-20T08:00:00Z" }),
            422,
            "validation.failed",
            Some("end_before_start"),
        ),
        (
            json!({ "project_id": mine, "start": t, "end": t }),
            422,
            "validation.failed",
            Some("end_before_start"),
        ),
        (
            json!({ "project_id": mine, "start": t, "end": "2026-11-21T09:00:01Z" }),
            422,
            "validation.failed",
            Some("too_long"),
        ),
        (
            json!({ "project_id": mine, "start": "yesterday", "end": t }),
            422,
            "validation.failed",
            Some("invalid_instant"),
        ),
        (
            json!({ "project_id": mine, "start": t, "end": "2026-11-20T10:00:00Z", "tags": ["x".repeat(41)] }),
            422,
            "validation.failed",
            Some("too_long"),
        ),
        (
            json!({ "start": t, "end": "2026-11-20T10:00:00Z" }),
            422,
            "validation.failed",
            Some("required"),
        ),
        (
            json!({ "project_id": "01937a4e-0000-7000-8000-000000000000", "start": t, "end": "2026-11-20T10:00:00Z" }),
            404,
            "project.not_found",
            None,
        ),
        (
            json!({ "project_id": theirs, "start": t, "end": "2026-11-20T10:00:00Z" }),
            403,
            "project.not_member",
            None,
        ),
        (
            json!({ "project_id": archived, "start": t, "end": "2026-11-20T10:00:00Z" }),
            409,
            "project.archived",
            None,
        ),
    ];
    for (body, status, code, field_code) in cases {
        let r = member.post("/api/v1/entries", body.clone()).await;
        assert_eq!((r.status, r.code()), (status, code), "{body}: {}", r.body);
        if let Some(fc) = field_code {
            assert_eq!(r.body["errors"][0]["code"], fc, "{body}");
        }
    }
    let r = member
        .post("/api/v1/timer/start", json!({ "project_id": archived }))
        .await;
    assert_eq!(r.code(), "project.archived");
    let all = member
        .get("/api/v1/entries?from=2026-11-01&to=2026-11-30")
        .await;
    assert!(
        all.body["items"].as_array().unwrap().is_empty(),
        "nothing was written"
    );
}

#[tokio::test]
async fn members_managers_admins_and_auditors_see_and_change_what_they_may() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (manager, manager_id) = s.user_with_role(&admin, "mgr@example.com", "manager").await;
    let (alice, alice_id) = s
        .user_with_role(&admin, "alice@example.com", "member")
        .await;
    let (bob, bob_id) = s.user_with_role(&admin, "bob@example.com", "member").await;
    let (auditor, _) = s.user_with_role(&admin, "aud@example.com", "auditor").await;
    let (client, _) = s.user_with_role(&admin, "cli@example.com", "client").await;
    let managed = admin.post("/api/v1/projects", json!({ "name": "Managed", "member_ids": [alice_id, bob_id], "manager_ids": [manager_id] })).await.body["id"].as_str().unwrap().to_owned();
    let other = project(&admin, "Other", &[&alice_id]).await;
    let a1 = entry(
        &alice,
        &managed,
        "2026-11-20T09:00:00Z",
        "2026-11-20T10:00:00Z",
    )
    .await
    .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let a2 = entry(
        &alice,
        &other,
        "2026-11-20T11:00:00Z",
        "2026-11-20T12:00:00Z",
    )
    .await
    .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let range = "from=2026-11-20&to=2026-11-20";
    let q = |user: &str| format!("/api/v1/entries?{range}&user_id={user}");

    assert_eq!(
        ids(&alice.get(&format!("/api/v1/entries?{range}")).await.body),
        vec![a2.clone(), a1.clone()]
    );
    assert_eq!(
        bob.get(&q(&alice_id)).await.code(),
        "auth.forbidden",
        "members read only their own"
    );
    assert_eq!(
        ids(&manager.get(&q(&alice_id)).await.body),
        vec![a1.clone()],
        "managers see their projects only"
    );
    assert_eq!(ids(&auditor.get(&q(&alice_id)).await.body).len(), 2);
    assert_eq!(ids(&admin.get(&q(&alice_id)).await.body).len(), 2);
    assert_eq!(
        client.get(&format!("/api/v1/entries?{range}")).await.code(),
        "auth.forbidden"
    );
    assert_eq!(
        client.get("/api/v1/projects").await.code(),
        "auth.forbidden"
    );

    let r = bob
        .patch(
            &format!("/api/v1/entries/{a1}"),
            json!({ "note": "bob was here" }),
        )
        .await;
    assert_eq!(
        r.code(),
        "entry.not_found",
        "another member's entry is invisible"
    );
    let r = manager
        .patch(
            &format!("/api/v1/entries/{a1}"),
            json!({ "note": "corrected" }),
        )
        .await;
    assert_eq!(
        (r.status, r.body["note"].as_str()),
        (200, Some("corrected"))
    );
    let r = manager.delete(&format!("/api/v1/entries/{a2}")).await;
    assert_eq!(r.code(), "entry.not_found", "not on a project they manage");
    let r = auditor
        .patch(&format!("/api/v1/entries/{a1}"), json!({ "note": "x" }))
        .await;
    assert_eq!(r.code(), "auth.forbidden", "auditors read only");
    assert_eq!(
        auditor
            .post("/api/v1/timer/start", json!({ "project_id": managed }))
            .await
            .code(),
        "auth.forbidden"
    );
    let audit = admin.get("/api/v1/audit?action=entry.updated").await;
    assert_eq!(
        audit.body["items"][0]["actor"],
        format!("user:{manager_id}")
    );
    assert_eq!(audit.body["items"][0]["body"]["before"]["note"], "work");
    assert_eq!(
        alice.delete(&format!("/api/v1/entries/{a2}")).await.status,
        204
    );
    assert_eq!(admin.get(&q(&alice_id)).await.body["total_seconds"], 3600);
}

#[tokio::test]
async fn days_follow_the_users_time_zone_across_dst_changes() {
    let s = Server::start();
    let admin = s.setup_admin().await; // Europe/London
    admin
        .patch("/api/v1/me", json!({ "time_zone": "Europe/Berlin" }))
        .await;
    let p = project(&admin, "P", &[]).await;
    // 2026-03-29 is 23 hours long in Berlin: 2026-03-28T23:00Z to 2026-03-29T22:00Z.
    let inside = entry(&admin, &p, "2026-03-29T21:30:00Z", "2026-03-29T21:59:00Z")
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let next_day = entry(&admin, &p, "2026-03-29T22:00:00Z", "2026-03-29T22:30:00Z")
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = entry(&admin, &p, "2026-03-28T22:30:00Z", "2026-03-28T22:59:00Z")
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        ids(&admin
            .get("/api/v1/entries?from=2026-03-29&to=2026-03-29")
            .await
            .body),
        vec![inside]
    );
    assert_eq!(
        ids(&admin
            .get("/api/v1/entries?from=2026-03-30&to=2026-03-30")
            .await
            .body),
        vec![next_day]
    );
    assert_eq!(
        ids(&admin
            .get("/api/v1/entries?from=2026-03-28&to=2026-03-28")
            .await
            .body),
        vec![before]
    );
    // 2026-10-25 is 25 hours long: an entry at 23:30 local (22:30Z) still belongs to that day.
    let late = entry(&admin, &p, "2026-10-25T22:30:00Z", "2026-10-25T22:45:00Z")
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        ids(&admin
            .get("/api/v1/entries?from=2026-10-25&to=2026-10-25")
            .await
            .body),
        vec![late]
    );
}
