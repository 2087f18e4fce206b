//! The entries list (filters, cursor paging, ranges), bulk changes, and team-wide tags.

use serde_json::json;

use crate::helpers::{BulkReq, EntryReq, ProjectReq, Server};
use crate::tracking::{entry, project};

#[tokio::test]
async fn the_entries_list_filters_by_client_tag_billable_and_text_and_pages_by_cursor() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let acme = admin.create_client("Acme").await.id;
    let backups = admin
        .create_project(&ProjectReq {
            client_id: Some(acme.clone()),
            ..ProjectReq::named("Backups")
        })
        .await
        .id;
    let internal = admin
        .create_project(&ProjectReq {
            billable: Some(false),
            ..ProjectReq::named("Internal")
        })
        .await
        .id;
    let mk = |p: &str, h: u32, note: &str, tags: &[&str]| {
        let (start, end) = (
            format!("2026-11-20T{h:02}:00:00Z"),
            format!("2026-11-20T{h:02}:30:00Z"),
        );
        EntryReq::new(p, &start, &end).note(note).tags(tags)
    };
    let e1 = admin
        .create_entry(&mk(&backups, 8, "Rotated RAID keys", &["ops"]))
        .await
        .id;
    let e2 = admin
        .create_entry(&mk(&internal, 9, "standup", &["meeting"]))
        .await
        .id;
    let e3 = admin
        .create_entry(&mk(&backups, 10, "restore drill", &["OPS", "drill"]))
        .await
        .id;
    let list = |q: &str| format!("from=2026-11-20&to=2026-11-20&{q}");
    assert_eq!(
        admin
            .list_entries(&list(&format!("client_id={acme}")))
            .await
            .ids(),
        vec![e3.clone(), e1.clone()]
    );
    assert_eq!(
        admin.list_entries(&list("tag=ops")).await.ids(),
        vec![e3.clone(), e1.clone()]
    );
    assert_eq!(
        admin.list_entries(&list("billable=false")).await.ids(),
        vec![e2.clone()]
    );
    assert_eq!(
        admin.list_entries(&list("q=raid")).await.ids(),
        vec![e1.clone()]
    );
    let page1 = admin.list_entries(&list("limit=2")).await;
    assert_eq!(page1.ids(), vec![e3, e2]);
    assert_eq!(page1.total_seconds, 3600);
    let cursor = page1.next_cursor.unwrap();
    let page2 = admin
        .list_entries(&list(&format!("limit=2&cursor={cursor}")))
        .await;
    assert_eq!(page2.ids(), vec![e1]);
    assert!(page2.next_cursor.is_none());
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
        let (start, end) = (
            format!("2026-11-20T{h:02}:00:00Z"),
            format!("2026-11-20T{h:02}:30:00Z"),
        );
        mine.push(entry(&member, &a, &start, &end).await.id);
    }
    let admins = entry(&admin, &a, "2026-11-20T11:00:00Z", "2026-11-20T11:30:00Z")
        .await
        .id;
    let changed = member
        .bulk_entries(&BulkReq {
            ids: mine.clone(),
            add_tags: vec!["#review".into()],
            project_id: Some(b.clone()),
            ..BulkReq::default()
        })
        .await;
    assert_eq!(changed.len(), 3);
    let day = member.list_entries("from=2026-11-20").await;
    assert!(day
        .items
        .iter()
        .all(|e| e.project_id == b && e.tags == ["review"]));
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
    let day = member.list_entries("from=2026-11-20").await;
    assert!(
        day.items.iter().all(|e| e.tags == ["review"]),
        "nothing changed"
    );
    let r = member
        .post("/api/v1/entries/bulk", json!({ "ids": [] }))
        .await;
    assert_eq!(r.body["errors"][0]["code"], "out_of_range");
    let audit = admin.audit("action=entry.updated&limit=10").await;
    assert_eq!(audit.len(), 3, "each entry audited on its own");
}

#[tokio::test]
async fn tags_are_counted_and_can_be_renamed_and_merged() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, member_id) = s.user_with_role(&admin, "m@example.com", "member").await;
    let p = project(&admin, "P", &[&member_id]).await;
    let mk = |h: u32, tags: &[&str]| {
        let (start, end) = (
            format!("2026-11-20T{h:02}:00:00Z"),
            format!("2026-11-20T{h:02}:30:00Z"),
        );
        EntryReq::new(&p, &start, &end).tags(tags)
    };
    let e1 = member.create_entry(&mk(8, &["Ops", "db"])).await.id;
    member.create_entry(&mk(9, &["ops"])).await;
    admin.create_entry(&mk(10, &["operations"])).await;
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
        .update_entry(&e1, &EntryReq::default().tags(&["ops"]))
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
    assert_eq!(admin.rename_tag("ops", "operations").await, 2);
    assert_eq!(
        admin.tag_counts().await,
        [("operations".into(), 3)],
        "merged"
    );
    assert_eq!(admin.rename_tag("operations", "infra").await, 3);
    assert_eq!(admin.tag_counts().await, [("infra".into(), 3)]);
    assert_eq!(
        admin
            .post("/api/v1/tags/rename", json!({ "from": "nope", "to": "x" }))
            .await
            .code(),
        "tag.not_found"
    );
    member.delete_entry(&e1).await;
    assert_eq!(admin.tag_counts().await, [("infra".into(), 2)]);
    assert_eq!(
        admin.audit("action=tag.renamed").await[0].body["to"],
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

#[tokio::test]
async fn a_busy_month_comes_in_one_page_and_pages_stop_at_two_thousand() {
    // 2,005 entries in March (65 a day; a busy month is about 1,550): a page of up to 2,000
    // holds a month, a larger limit is moved to 2,000, and the cursor brings the rest.
    let s = Server::start();
    let admin = std::sync::Arc::new(s.setup_admin().await);
    let pid = admin.create_project(&ProjectReq::named("Busy")).await.id;
    let writers: Vec<_> = (0..5)
        .map(|w| {
            let (admin, pid) = (admin.clone(), pid.clone());
            tokio::spawn(async move {
                for i in (w..2005).step_by(5) {
                    let (day, minute) = (1 + i / 65, (i % 65) * 10);
                    let start = format!(
                        "2026-03-{day:02}T{:02}:{:02}:00Z",
                        6 + minute / 60,
                        minute % 60
                    );
                    let end = format!(
                        "2026-03-{day:02}T{:02}:{:02}:30Z",
                        6 + minute / 60,
                        minute % 60
                    );
                    admin.create_entry(&EntryReq::new(&pid, &start, &end)).await;
                }
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    let first = admin
        .list_entries("from=2026-03-01&to=2026-03-31&limit=5000")
        .await;
    assert_eq!(first.items.len(), 2000);
    assert_eq!(first.total_seconds, 2000 * 30);
    let cursor = first.next_cursor.clone().expect("a second page");
    let rest = admin
        .list_entries(&format!(
            "from=2026-03-01&to=2026-03-31&limit=5000&cursor={cursor}"
        ))
        .await;
    assert_eq!(rest.items.len(), 5);
    assert_eq!(rest.next_cursor, None);
    // Every entry once, names resolved on every one of them.
    let mut ids = first.ids();
    ids.extend(rest.ids());
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 2005);
    assert!(first.items.iter().all(|e| e.project_name == "Busy"));
}
