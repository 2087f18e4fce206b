//! The entries list (filters, cursor paging, ranges), bulk changes, and team-wide tags.

use serde_json::{json, Value};

use crate::helpers::Server;
use crate::tracking::{entry, ids, project};

#[tokio::test]
async fn the_entries_list_filters_by_client_tag_billable_and_text_and_pages_by_cursor() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let acme = admin
        .post("/api/v1/clients", json!({ "name": "Acme" }))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let backups = admin
        .post(
            "/api/v1/projects",
            json!({ "name": "Backups", "client_id": acme }),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let internal = admin
        .post(
            "/api/v1/projects",
            json!({ "name": "Internal", "billable": false }),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mk = |p: &str, h: u32, note: &str, tags: Value| json!({ "project_id": p, "start": format!("2026-11-20T{h:02}:00:00Z"), "end": format!("2026-11-20T{h:02}:30:00Z"), "note": note, "tags": tags });
    let e1 = admin
        .post(
            "/api/v1/entries",
            mk(&backups, 8, "Rotated RAID keys", json!(["ops"])),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let e2 = admin
        .post(
            "/api/v1/entries",
            mk(&internal, 9, "standup", json!(["meeting"])),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let e3 = admin
        .post(
            "/api/v1/entries",
            mk(&backups, 10, "restore drill", json!(["OPS", "drill"])),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let list = |q: &str| format!("/api/v1/entries?from=2026-11-20&to=2026-11-20&{q}");
    assert_eq!(
        ids(&admin.get(&list(&format!("client_id={acme}"))).await.body),
        vec![e3.clone(), e1.clone()]
    );
    assert_eq!(
        ids(&admin.get(&list("tag=ops")).await.body),
        vec![e3.clone(), e1.clone()]
    );
    assert_eq!(
        ids(&admin.get(&list("billable=false")).await.body),
        vec![e2.clone()]
    );
    assert_eq!(
        ids(&admin.get(&list("q=raid")).await.body),
        vec![e1.clone()]
    );
    let page1 = admin.get(&list("limit=2")).await;
    assert_eq!(ids(&page1.body), vec![e3, e2]);
    assert_eq!(page1.body["total_seconds"], 3600);
    let cursor = page1.body["next_cursor"].as_str().unwrap();
    let page2 = admin.get(&list(&format!("limit=2&cursor={cursor}"))).await;
    assert_eq!(ids(&page2.body), vec![e1]);
    assert!(page2.body["next_cursor"].is_null());
}

#[tokio::test]
async fn bulk_changes_tag_and_move_entries_all_or_nothing() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, member_id) = s.user_with_role(&admin, "m@example.com", "member").await;
    let a = project(&admin, "A", &[&member_id]).await;
    let b = project(&admin, "B", &[&member_id]).await;
    let mut mine = Vec::new();
    for h in [8, 9, 10] {
        mine.push(
            entry(
                &member,
                &a,
                &format!("2026-11-20T{h:02}:00:00Z"),
                &format!("2026-11-20T{h:02}:30:00Z"),
            )
            .await
            .body["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let admins = entry(&admin, &a, "2026-11-20T11:00:00Z", "2026-11-20T11:30:00Z")
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = member
        .post(
            "/api/v1/entries/bulk",
            json!({ "ids": mine, "add_tags": ["#review"], "project_id": b }),
        )
        .await;
    assert_eq!(
        (r.status, r.body["items"].as_array().unwrap().len()),
        (200, 3),
        "{}",
        r.body
    );
    let day = member.get("/api/v1/entries?from=2026-11-20").await;
    assert!(day.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["project_id"] == b.as_str() && e["tags"] == json!(["review"])));
    // One entry the member may not change refuses the whole request.
    let mut with_foreign = mine.clone();
    with_foreign.push(admins);
    let r = member
        .post(
            "/api/v1/entries/bulk",
            json!({ "ids": with_foreign, "remove_tags": ["review"] }),
        )
        .await;
    assert_eq!((r.status, r.code()), (404, "entry.not_found"));
    let day = member.get("/api/v1/entries?from=2026-11-20").await;
    assert!(
        day.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["tags"] == json!(["review"])),
        "nothing changed"
    );
    let r = member
        .post("/api/v1/entries/bulk", json!({ "ids": [] }))
        .await;
    assert_eq!(r.body["errors"][0]["code"], "out_of_range");
    let audit = admin
        .get("/api/v1/audit?action=entry.updated&limit=10")
        .await;
    assert_eq!(
        audit.body["items"].as_array().unwrap().len(),
        3,
        "each entry audited on its own"
    );
}

#[tokio::test]
async fn tags_are_counted_and_can_be_renamed_and_merged() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, member_id) = s.user_with_role(&admin, "m@example.com", "member").await;
    let p = project(&admin, "P", &[&member_id]).await;
    let mk = |h: u32, tags: Value| json!({ "project_id": p, "start": format!("2026-11-20T{h:02}:00:00Z"), "end": format!("2026-11-20T{h:02}:30:00Z"), "tags": tags });
    let e1 = member
        .post("/api/v1/entries", mk(8, json!(["Ops", "db"])))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    member.post("/api/v1/entries", mk(9, json!(["ops"]))).await;
    admin
        .post("/api/v1/entries", mk(10, json!(["operations"])))
        .await;
    assert_eq!(
        admin.tag_counts().await,
        [
            ("db".into(), 1),
            ("operations".into(), 1),
            ("Ops".into(), 2)
        ]
    );
    assert_eq!(
        member.tag_counts().await,
        [("db".into(), 1), ("Ops".into(), 2)],
        "a member counts only the tags on their own entries"
    );
    member
        .patch(&format!("/api/v1/entries/{e1}"), json!({ "tags": ["ops"] }))
        .await;
    assert_eq!(
        admin.tag_counts().await,
        [("operations".into(), 1), ("Ops".into(), 2)],
        "db went with its last use"
    );
    let r = member
        .post(
            "/api/v1/tags/rename",
            json!({ "from": "ops", "to": "operations" }),
        )
        .await;
    assert_eq!(
        r.code(),
        "auth.forbidden",
        "members do not rename team tags"
    );
    let r = admin
        .post(
            "/api/v1/tags/rename",
            json!({ "from": "ops", "to": "operations" }),
        )
        .await;
    assert_eq!(
        (r.status, r.body["entries_changed"].as_u64()),
        (200, Some(2)),
        "{}",
        r.body
    );
    assert_eq!(
        admin.tag_counts().await,
        [("operations".into(), 3)],
        "merged"
    );
    let r = admin
        .post(
            "/api/v1/tags/rename",
            json!({ "from": "operations", "to": "infra" }),
        )
        .await;
    assert_eq!(r.body["entries_changed"], 3);
    assert_eq!(admin.tag_counts().await, [("infra".into(), 3)]);
    assert_eq!(
        admin
            .post("/api/v1/tags/rename", json!({ "from": "nope", "to": "x" }))
            .await
            .code(),
        "tag.not_found"
    );
    member.delete(&format!("/api/v1/entries/{e1}")).await;
    assert_eq!(admin.tag_counts().await, [("infra".into(), 2)]);
    assert_eq!(
        admin.get("/api/v1/audit?action=tag.renamed").await.body["items"][0]["body"]["to"],
        "infra"
    );
}

#[tokio::test]
async fn a_list_range_that_ends_before_it_starts_is_refused() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let r = admin
        .get("/api/v1/entries?from=2026-11-24&to=2026-11-20")
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "to");
    assert_eq!(r.body["errors"][0]["code"], "before_from");
}
