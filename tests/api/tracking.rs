//! Time tracking over HTTP: projects, entries, the timer, bad input, days across DST, and who
//! may do what. The entries list, bulk changes and tags are in `entries_list.rs`.

use ophiontt::clock::FixedClock;
use serde_json::{json, Value};

use crate::helpers::{Client, Entry, EntryReq, Project, ProjectReq, Server};
use crate::inproc::spawn_with;

/// Creates a project billed at 95 EUR an hour; its id.
pub(crate) async fn project(c: &Client, name: &str, members: &[&str]) -> String {
    let req = ProjectReq {
        rate_cents: Some(9500),
        currency: Some("EUR".into()),
        ..ProjectReq::named(name).members(members)
    };
    c.create_project(&req).await.id
}

/// Creates an entry noted "work".
pub(crate) async fn entry(c: &Client, project: &str, start: &str, end: &str) -> Entry {
    c.create_entry(&EntryReq::new(project, start, end).note("work"))
        .await
}

fn project_ids(projects: &[Project]) -> Vec<String> {
    projects.iter().map(|p| p.id.clone()).collect()
}

#[tokio::test]
async fn projects_are_created_by_admins_and_managers_and_seen_by_their_members() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (manager, manager_id) = s.user_with_role(&admin, "mgr@example.com", "manager").await;
    let (member, member_id) = s.user_with_role(&admin, "mem@example.com", "member").await;
    let acme = admin.create_client("Acme").await;
    let p = admin
        .create_project(&ProjectReq {
            client_id: Some(acme.id),
            color: Some("#AA3366".into()),
            ..ProjectReq::named("Backups").members(&[&member_id])
        })
        .await;
    assert_eq!(
        (p.client_name.as_deref(), p.color.as_str()),
        (Some("Acme"), "#aa3366")
    );
    let own = project(&manager, "Infra", &[]).await;
    let listed = manager.list_projects("").await;
    assert_eq!(
        project_ids(&listed),
        vec![own.clone()],
        "a manager sees what they manage"
    );
    assert_eq!(listed[0].manager_ids, vec![manager_id]);
    assert_eq!(member.list_projects("").await[0].name, "Backups");
    let r = member
        .post("/api/v1/projects", json!({ "name": "Mine" }))
        .await;
    assert_eq!((r.status, r.code()), (403, "auth.forbidden"));
    let r = member.post("/api/v1/clients", json!({ "name": "X" })).await;
    assert_eq!(r.status, 403);
    // Archiving hides a project unless asked for.
    let archive = ProjectReq {
        archived: Some(true),
        ..ProjectReq::default()
    };
    assert!(manager.update_project(&own, &archive).await.archived);
    assert!(manager.list_projects("").await.is_empty());
    assert_eq!(
        project_ids(&manager.list_projects("archived=true").await),
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
    // In process with a held clock: the first timer must run a whole second (a timer stopped
    // within a second is discarded), and the clock moves that second at once.
    let clock = FixedClock::new(chrono::Utc::now().timestamp_millis());
    let srv = spawn_with(clock.clone(), |_| {}).await;
    let admin = srv.admin().await;
    let p = project(&admin, "Ops", &[]).await;
    let first = admin
        .start_timer(&EntryReq::timer(&p).note("first").tags(&["#ops", "ops"]))
        .await;
    assert_eq!(first.started.tags, ["ops"]);
    assert!(first.started.end.is_none());
    assert_eq!(admin.running_timer().await.unwrap().note, "first");
    clock.advance(1100);
    let second = admin.start_timer(&EntryReq::timer(&p).note("second")).await;
    let stopped = second.stopped.expect("the first timer was stopped");
    assert_eq!(stopped.entry.id, first.started.id);
    assert_eq!(
        stopped.entry.end.as_deref(),
        Some(second.started.start.as_str()),
        "same instant"
    );
    assert_eq!(admin.stop_timer().await.entry.note, "second");
    assert!(admin.running_timer().await.is_none());
    let again = admin.post_empty("/api/v1/timer/stop").await;
    assert_eq!((again.status, again.code()), (409, "timer.not_running"));
    let cont = admin.continue_entry(&first.started.id).await;
    assert_eq!(cont.started.note, "first");
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
            a.start_timer(&EntryReq::timer(&p).note(&format!("n{i}")))
                .await
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let running = admin.running_timer().await.expect("a running timer");
    let all = admin.list_entries("limit=500").await;
    let open: Vec<&Entry> = all.items.iter().filter(|e| e.end.is_none()).collect();
    assert_eq!(open.len(), 1, "exactly one entry without an end");
    assert_eq!(open[0].id, running.id);
}

#[tokio::test]
async fn bad_entries_are_refused_with_their_code_and_nothing_is_written() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, member_id) = s.user_with_role(&admin, "m@example.com", "member").await;
    let mine = project(&admin, "Mine", &[&member_id]).await;
    let theirs = project(&admin, "Theirs", &[]).await;
    let archived = project(&admin, "Old", &[&member_id]).await;
    let archive = ProjectReq {
        archived: Some(true),
        ..ProjectReq::default()
    };
    admin.update_project(&archived, &archive).await;
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
    let all = member.list_entries("from=2026-11-01&to=2026-11-30").await;
    assert!(all.items.is_empty(), "nothing was written");
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
    let managed = admin
        .create_project(&ProjectReq {
            manager_ids: Some(vec![manager_id.clone()]),
            ..ProjectReq::named("Managed").members(&[&alice_id, &bob_id])
        })
        .await
        .id;
    let other = project(&admin, "Other", &[&alice_id]).await;
    let a1 = entry(
        &alice,
        &managed,
        "2026-11-20T09:00:00Z",
        "2026-11-20T10:00:00Z",
    )
    .await
    .id;
    let a2 = entry(
        &alice,
        &other,
        "2026-11-20T11:00:00Z",
        "2026-11-20T12:00:00Z",
    )
    .await
    .id;
    let range = "from=2026-11-20&to=2026-11-20";
    let q = |user: &str| format!("{range}&user_id={user}");

    assert_eq!(
        alice.list_entries(range).await.ids(),
        vec![a2.clone(), a1.clone()]
    );
    assert_eq!(
        bob.get(&format!("/api/v1/entries?{}", q(&alice_id)))
            .await
            .code(),
        "auth.forbidden",
        "members read only their own"
    );
    assert_eq!(
        manager.list_entries(&q(&alice_id)).await.ids(),
        vec![a1.clone()],
        "managers see their projects only"
    );
    assert_eq!(auditor.list_entries(&q(&alice_id)).await.ids().len(), 2);
    assert_eq!(admin.list_entries(&q(&alice_id)).await.ids().len(), 2);
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
    let corrected = EntryReq {
        note: Some("corrected".into()),
        ..EntryReq::default()
    };
    assert_eq!(
        manager.update_entry(&a1, &corrected).await.note,
        "corrected"
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
    let audit = admin.audit("action=entry.updated").await;
    assert_eq!(audit[0].actor, format!("user:{manager_id}"));
    assert_eq!(audit[0].body["before"]["note"], "work");
    alice.delete_entry(&a2).await;
    assert_eq!(admin.list_entries(&q(&alice_id)).await.total_seconds, 3600);
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
        .id;
    let next_day = entry(&admin, &p, "2026-03-29T22:00:00Z", "2026-03-29T22:30:00Z")
        .await
        .id;
    let before = entry(&admin, &p, "2026-03-28T22:30:00Z", "2026-03-28T22:59:00Z")
        .await
        .id;
    let day = |d: &str| format!("from={d}&to={d}");
    assert_eq!(
        admin.list_entries(&day("2026-03-29")).await.ids(),
        vec![inside]
    );
    assert_eq!(
        admin.list_entries(&day("2026-03-30")).await.ids(),
        vec![next_day]
    );
    assert_eq!(
        admin.list_entries(&day("2026-03-28")).await.ids(),
        vec![before]
    );
    // 2026-10-25 is 25 hours long: an entry at 23:30 local (22:30Z) still belongs to that day.
    let late = entry(&admin, &p, "2026-10-25T22:30:00Z", "2026-10-25T22:45:00Z")
        .await
        .id;
    assert_eq!(
        admin.list_entries(&day("2026-10-25")).await.ids(),
        vec![late]
    );
}
