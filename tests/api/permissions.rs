//! What the API tells each caller they may do: `capabilities` of `/api/v1/me` per role, and the
//! `can` of entries, projects, tasks, clients and tags for every role — each answer then tried
//! as the write it promises (or refuses), so `can` and the server's checks cannot drift apart.

use serde_json::{json, Value};

use crate::helpers::{Client, Server};

/// Everyone in one instance: an admin, a manager, two members, an auditor and a client user.
/// P1 is managed by the manager, with member Ana; P2 has Ana, Bo and the manager as members;
/// P3 (Ana's) is archived; P4 (Ana's) belongs to an archived client.
struct World {
    _server: Server,
    admin: Client,
    manager: Client,
    ana: Client,
    ana_id: String,
    bo: Client,
    auditor: Client,
    client: Client,
    p1: String,
    p2: String,
    p3: String,
    p4: String,
}

async fn post_id(c: &Client, path: &str, body: Value) -> String {
    let r = c.post(path, body).await;
    assert_eq!(r.status, 201, "{path}: {}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

async fn world() -> World {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (manager, manager_id) = s.user_with_role(&admin, "mgr@example.com", "manager").await;
    let (ana, ana_id) = s.user_with_role(&admin, "ana@example.com", "member").await;
    let (bo, bo_id) = s.user_with_role(&admin, "bo@example.com", "member").await;
    let (auditor, _) = s.user_with_role(&admin, "aud@example.com", "auditor").await;
    let (client, _) = s.user_with_role(&admin, "cli@example.com", "client").await;
    let p1 = post_id(
        &admin,
        "/api/v1/projects",
        json!({ "name": "P1", "member_ids": [ana_id], "manager_ids": [manager_id] }),
    )
    .await;
    let p2 = post_id(
        &admin,
        "/api/v1/projects",
        json!({ "name": "P2", "member_ids": [ana_id, bo_id, manager_id] }),
    )
    .await;
    let p3 = post_id(
        &admin,
        "/api/v1/projects",
        json!({ "name": "P3", "member_ids": [ana_id] }),
    )
    .await;
    let r = admin
        .patch(
            &format!("/api/v1/projects/{p3}"),
            json!({ "archived": true }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let gone = post_id(&admin, "/api/v1/clients", json!({ "name": "Gone Ltd" })).await;
    let p4 = post_id(
        &admin,
        "/api/v1/projects",
        json!({ "name": "P4", "client_id": gone, "member_ids": [ana_id] }),
    )
    .await;
    let r = admin
        .patch(
            &format!("/api/v1/clients/{gone}"),
            json!({ "archived": true }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    World {
        _server: s,
        admin,
        manager,
        ana,
        ana_id,
        bo,
        auditor,
        client,
        p1,
        p2,
        p3,
        p4,
    }
}

async fn entry(c: &Client, project: &str, hour: u32) -> String {
    post_id(
        c,
        "/api/v1/entries",
        json!({ "project_id": project, "start": format!("2026-03-02T{hour:02}:00:00Z"),
                "end": format!("2026-03-02T{hour:02}:30:00Z"), "tags": ["t"], "confirm": true }),
    )
    .await
}

/// The entries `c` lists for `user` (None: their own) on the test day, by id, with their `can`.
async fn listed(c: &Client, user: Option<&str>) -> Vec<(String, Value)> {
    let who = user.map(|u| format!("&user_id={u}")).unwrap_or_default();
    let r = c
        .get(&format!(
            "/api/v1/entries?from=2026-03-02&to=2026-03-02{who}"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap().to_owned(), e["can"].clone()))
        .collect()
}

/// The `can` of the item with `id` in the list `c` gets from `path`.
async fn can_in(c: &Client, path: &str, key: &str, id: &str) -> Value {
    let r = c.get(path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i[key] == id)
        .unwrap_or_else(|| panic!("{id} not listed at {path}: {}", r.body))["can"]
        .clone()
}

/// Whether a write answered as `can` promised: a 2xx when allowed, a 4xx refusal when not.
fn agrees(what: &str, allowed: bool, status: u16, body: &Value) {
    if allowed {
        assert!(
            (200..300).contains(&status),
            "{what}: can said yes, got {status} {body}"
        );
    } else {
        assert!(
            matches!(status, 403 | 404 | 409),
            "{what}: can said no, got {status} {body}"
        );
    }
}

#[tokio::test]
async fn me_lists_what_each_role_may_do() {
    let w = world().await;
    let caps = |c: &'static str| c.split(' ').map(str::to_owned).collect::<Vec<_>>();
    let cases: [(&Client, Vec<String>); 5] = [
        (
            &w.admin,
            caps("manage_own_account track_time read_projects read_all_projects manage_projects read_team_time read_all_time manage_users read_audit read_privacy manage_privacy manage_system"),
        ),
        (
            &w.manager,
            caps("manage_own_account track_time read_projects manage_projects read_team_time"),
        ),
        (&w.ana, caps("manage_own_account track_time read_projects")),
        (
            &w.auditor,
            caps("manage_own_account read_projects read_all_projects read_team_time read_all_time read_audit read_privacy"),
        ),
        (&w.client, caps("manage_own_account read_portal")),
    ];
    for (c, want) in cases {
        let r = c.get("/api/v1/me").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let got: Vec<String> = serde_json::from_value(r.body["capabilities"].clone()).unwrap();
        assert_eq!(got, want, "{}", r.body["role"]);
        assert!(
            r.body["email"].is_string(),
            "the user's fields stay: {}",
            r.body
        );
    }
}

#[tokio::test]
async fn entries_say_who_may_change_them_and_the_writes_agree() {
    // Arrange: Ana has entries on P1 (managed by the manager) and P2 (not managed by them);
    // the manager has their own entry on P2.
    let w = world().await;
    let on_p1 = entry(&w.ana, &w.p1, 9).await;
    let on_p2 = entry(&w.ana, &w.p2, 11).await;
    let managers_own = entry(&w.manager, &w.p2, 13).await;
    let yes = json!({ "edit": true, "delete": true });
    let no = json!({ "edit": false, "delete": false });

    // A member: their own entries are theirs to change; another's are not even listed.
    assert_eq!(
        listed(&w.ana, None).await,
        vec![(on_p2.clone(), yes.clone()), (on_p1.clone(), yes.clone())]
    );
    let r =
        w.bo.get(&format!(
            "/api/v1/entries?from=2026-03-02&to=2026-03-02&user_id={}",
            w.ana_id
        ))
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // A manager: their own, and a member's on the project they manage.
    assert_eq!(
        listed(&w.manager, None).await,
        vec![(managers_own.clone(), yes.clone())]
    );
    assert_eq!(
        listed(&w.manager, Some(&w.ana_id)).await,
        vec![(on_p1.clone(), yes.clone())]
    );
    // An admin may change anyone's; an auditor reads them all and changes none.
    assert_eq!(
        listed(&w.admin, Some(&w.ana_id)).await,
        vec![(on_p2.clone(), yes.clone()), (on_p1.clone(), yes.clone())]
    );
    let audited = listed(&w.auditor, Some(&w.ana_id)).await;
    assert_eq!(
        audited,
        vec![(on_p2.clone(), no.clone()), (on_p1.clone(), no.clone())]
    );

    // The writes agree with `can`, for each caller and each entry they were told about.
    for (who, c, user) in [
        ("auditor", &w.auditor, Some(w.ana_id.as_str())),
        ("manager", &w.manager, Some(w.ana_id.as_str())),
        ("manager", &w.manager, None),
        ("member", &w.ana, None),
        ("admin", &w.admin, Some(w.ana_id.as_str())),
    ] {
        for (id, can) in listed(c, user).await {
            let r = c
                .patch(
                    &format!("/api/v1/entries/{id}"),
                    json!({ "note": format!("changed by {who}") }),
                )
                .await;
            agrees(
                &format!("{who} edits {id}"),
                can["edit"] == true,
                r.status,
                &r.body,
            );
        }
    }
    // The manager may not change Ana's entry on P2, which they do not manage (and were not
    // told about): the server refuses as well.
    let r = w
        .manager
        .patch(&format!("/api/v1/entries/{on_p2}"), json!({ "note": "no" }))
        .await;
    assert!(matches!(r.status, 403 | 404), "{}", r.body);
    // Deleting, last: the auditor is refused, the manager deletes the entry they were told
    // they may delete.
    let r = w.auditor.delete(&format!("/api/v1/entries/{on_p1}")).await;
    agrees("auditor deletes", false, r.status, &r.body);
    let r = w.manager.delete(&format!("/api/v1/entries/{on_p1}")).await;
    agrees("manager deletes", true, r.status, &r.body);
}

#[tokio::test]
async fn projects_and_tasks_say_who_may_manage_track_and_work_on_them() {
    let w = world().await;
    let t1 = post_id(
        &w.admin,
        &format!("/api/v1/projects/{}/tasks", w.p1),
        json!({ "title": "On P1" }),
    )
    .await;
    let all = |b: bool| json!({ "edit": b, "archive": b, "manage_members": b, "manage_tasks": b, "track": b });
    let member_of = |track: bool| json!({ "edit": false, "archive": false, "manage_members": false, "manage_tasks": true, "track": track });
    let projects = "/api/v1/projects?archived=true";
    let cases: Vec<(&str, &Client, &String, Value)> = vec![
        ("admin", &w.admin, &w.p1, all(true)),
        ("admin", &w.admin, &w.p2, all(true)),
        ("manager", &w.manager, &w.p1, all(true)),
        ("manager", &w.manager, &w.p2, member_of(true)),
        ("member", &w.ana, &w.p1, member_of(true)),
        ("member", &w.ana, &w.p3, member_of(false)),
        ("member", &w.ana, &w.p4, member_of(false)),
        ("auditor", &w.auditor, &w.p1, all(false)),
        ("auditor", &w.auditor, &w.p2, all(false)),
    ];
    for (who, c, p, want) in &cases {
        assert_eq!(&can_in(c, projects, "id", p).await, want, "{who} on {p}");
    }
    // Bo sees only P2, where he is a member.
    let r = w.bo.get(projects).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1, "{}", r.body);

    // The writes agree, project by project and caller by caller.
    for (who, c, p, _) in &cases {
        let can = can_in(c, projects, "id", p).await;
        let r = c
            .patch(
                &format!("/api/v1/projects/{p}"),
                json!({ "color": "#123456" }),
            )
            .await;
        agrees(
            &format!("{who} edits {p}"),
            can["edit"] == true,
            r.status,
            &r.body,
        );
        let r = c
            .post(
                &format!("/api/v1/projects/{p}/tasks"),
                json!({ "title": format!("by {who}") }),
            )
            .await;
        agrees(
            &format!("{who} adds a task to {p}"),
            can["manage_tasks"] == true,
            r.status,
            &r.body,
        );
        let r = c
            .post(
                "/api/v1/entries",
                json!({ "project_id": p, "start": "2026-03-03T09:00:00Z", "end": "2026-03-03T09:01:00Z", "confirm": true }),
            )
            .await;
        agrees(
            &format!("{who} tracks on {p}"),
            can["track"] == true,
            r.status,
            &r.body,
        );
        if r.status == 201 {
            let id = r.body["id"].as_str().unwrap();
            assert_eq!(c.delete(&format!("/api/v1/entries/{id}")).await.status, 204);
        }
    }

    // A task says the same as its project's `manage_tasks`, and moving or commenting agrees.
    for (who, c, want) in [
        ("admin", &w.admin, true),
        ("manager", &w.manager, true),
        ("member", &w.ana, true),
        ("auditor", &w.auditor, false),
    ] {
        let can = can_in(c, &format!("/api/v1/projects/{}/tasks", w.p1), "id", &t1).await;
        assert_eq!(can, json!({ "edit": want, "comment": want }), "{who}");
        let r = c
            .patch(
                &format!("/api/v1/tasks/{t1}"),
                json!({ "status": if want { "done" } else { "open" } }),
            )
            .await;
        agrees(&format!("{who} moves the task"), want, r.status, &r.body);
        let r = c
            .post(
                &format!("/api/v1/tasks/{t1}/comments"),
                json!({ "text": "seen" }),
            )
            .await;
        agrees(&format!("{who} comments"), want, r.status, &r.body);
    }
    // The answer of a write carries the caller's `can` too.
    let r = w
        .manager
        .patch(
            &format!("/api/v1/projects/{}", w.p1),
            json!({ "name": "P1 renamed" }),
        )
        .await;
    assert_eq!(r.body["can"], all(true), "{}", r.body);
}

#[tokio::test]
async fn clients_and_tags_say_who_may_change_them_and_the_writes_agree() {
    let w = world().await;
    let acme = post_id(&w.manager, "/api/v1/clients", json!({ "name": "Acme" })).await;
    entry(&w.ana, &w.p1, 9).await;
    entry(&w.manager, &w.p2, 10).await;
    for (who, c, want) in [
        ("admin", &w.admin, true),
        ("manager", &w.manager, true),
        ("member", &w.ana, false),
        ("auditor", &w.auditor, false),
    ] {
        let can = can_in(c, "/api/v1/clients", "id", &acme).await;
        assert_eq!(can, json!({ "edit": want, "archive": want }), "{who}");
        let r = c
            .patch(
                &format!("/api/v1/clients/{acme}"),
                json!({ "notes": format!("by {who}") }),
            )
            .await;
        agrees(&format!("{who} edits the client"), want, r.status, &r.body);

        let can = can_in(c, "/api/v1/tags", "name", "t").await;
        assert_eq!(can, json!({ "rename": want }), "{who}");
    }
    // Renames agree: refused for those told no, done for those told yes (each on the entries
    // they may change).
    for (who, c, want) in [
        ("member", &w.ana, false),
        ("auditor", &w.auditor, false),
        ("manager", &w.manager, true),
    ] {
        let r = c
            .post("/api/v1/tags/rename", json!({ "from": "t", "to": "tt" }))
            .await;
        agrees(&format!("{who} renames"), want, r.status, &r.body);
    }
    // A client user sees no records at all, and is refused every list.
    for path in [
        "/api/v1/projects",
        "/api/v1/clients",
        "/api/v1/tags",
        "/api/v1/entries",
    ] {
        assert_eq!(w.client.get(path).await.status, 403, "{path}");
    }
}
