//! Tags are scoped like the entries that carry them: the list shows each caller only tags on
//! entries they may see, and a rename changes only entries its caller may change, never a
//! restricted person's.

use std::collections::HashMap;

use serde_json::json;

use crate::helpers::{Client, EntryReq, ProjectReq, Server};

async fn entry(c: &Client, pid: &str, day: u32, tags: &[&str]) -> String {
    let (start, end) = (
        format!("2026-03-{day:02}T09:00:00Z"),
        format!("2026-03-{day:02}T10:00:00Z"),
    );
    let req = EntryReq::new(pid, &start, &end).tags(tags);
    c.create_entry(&req).await.id
}

async fn tags_of(c: &Client) -> HashMap<String, u64> {
    c.tag_counts().await.into_iter().collect()
}

async fn tags_on(c: &Client, day: u32) -> Vec<String> {
    let page = c
        .list_entries(&format!("from=2026-03-{day:02}&to=2026-03-{day:02}"))
        .await;
    page.items[0].tags.clone()
}

#[tokio::test]
async fn tags_are_listed_and_renamed_only_where_the_caller_may_see_and_change() {
    // Arrange: a manager of P1 only; Ana on P1 and P2; Bo on P2 only; Rui on P1, restricted.
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (manager, mid) = s.user_with_role(&admin, "mgr@example.com", "manager").await;
    let (ana, ana_id) = s.user_with_role(&admin, "ana@example.com", "member").await;
    let (bo, bo_id) = s.user_with_role(&admin, "bo@example.com", "member").await;
    let (rui, rui_id) = s.user_with_role(&admin, "rui@example.com", "member").await;
    let p1 = admin
        .create_project(&ProjectReq {
            manager_ids: Some(vec![mid]),
            ..ProjectReq::named("P1").members(&[&ana_id, &rui_id])
        })
        .await
        .id;
    let p2 = admin
        .create_project(&ProjectReq::named("P2").members(&[&ana_id, &bo_id]))
        .await
        .id;
    entry(&ana, &p1, 2, &["shared"]).await;
    entry(&ana, &p2, 3, &["shared", "p2-only"]).await;
    entry(&bo, &p2, 4, &["bo-secret"]).await;
    entry(&rui, &p1, 5, &["shared"]).await;
    let r = admin
        .post(
            &format!("/api/v1/privacy/users/{rui_id}/restrict"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // The list: each caller sees counts over the entries they may see.
    let all = tags_of(&admin).await;
    assert_eq!((all["shared"], all["p2-only"], all["bo-secret"]), (3, 1, 1));
    assert_eq!(
        tags_of(&bo).await,
        HashMap::from([("bo-secret".to_owned(), 1)]),
        "a member sees only tags on their own entries"
    );
    assert_eq!(
        tags_of(&manager).await,
        HashMap::from([("shared".to_owned(), 1)]),
        "a manager sees tags on their project's entries, not P2's nor the restricted person's"
    );

    // A manager cannot rename a tag that lives only on projects they do not manage.
    let r = manager
        .post(
            "/api/v1/tags/rename",
            json!({ "from": "p2-only", "to": "x" }),
        )
        .await;
    assert_eq!((r.status, r.code()), (404, "tag.not_found"));
    let r = manager
        .post(
            "/api/v1/tags/rename",
            json!({ "from": "bo-secret", "to": "x" }),
        )
        .await;
    assert_eq!((r.status, r.code()), (404, "tag.not_found"));

    // A manager's rename changes Ana's P1 entry only: not her P2 entry, not Rui's (restricted).
    assert_eq!(manager.rename_tag("shared", "common").await, 1);
    assert_eq!(tags_on(&ana, 2).await, ["common"]);
    assert_eq!(tags_on(&ana, 3).await, ["shared", "p2-only"]);
    assert_eq!(tags_on(&rui, 5).await, ["shared"]);

    // An admin's rename changes every entry but the restricted person's.
    assert_eq!(admin.rename_tag("shared", "common").await, 1);
    assert_eq!(tags_on(&ana, 3).await, ["common", "p2-only"]);
    assert_eq!(tags_on(&rui, 5).await, ["shared"]);
}
