//! Administering other people's accounts over HTTP (`/api/v1/users`): creating, listing and
//! paging, editing, disabling and enabling, and the last-admin guards. One's own sign-in,
//! profile and password belong in `account.rs`; the `ophiontt user …` commands in `cli.rs`.

use serde_json::json;

use crate::helpers::{Client, Server, UserPatch, UserReq, PASSWORD};

#[tokio::test]
async fn admin_creates_lists_edits_and_pages_users() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    for i in 0..5 {
        let (name, email) = (format!("Person {i}"), format!("p{i}@example.com"));
        let created = admin
            .create_user(&UserReq::new(&name, &email, "member", "Europe/Berlin"))
            .await;
        assert_eq!(created.user.last_login_at, None);
    }
    let page1 = admin.list_users("limit=4").await;
    assert_eq!(
        page1.emails(),
        [
            "admin@example.com",
            "p0@example.com",
            "p1@example.com",
            "p2@example.com"
        ]
    );
    let cursor = page1.next_cursor.unwrap();
    let page2 = admin.list_users(&format!("limit=4&cursor={cursor}")).await;
    assert_eq!(page2.emails(), ["p3@example.com", "p4@example.com"]);
    assert!(page2.next_cursor.is_none());
    let found = admin.list_users("q=person%203").await;
    assert_eq!(found.items.len(), 1);

    let id = found.items[0].id.clone();
    let changed = admin
        .update_user(
            &id,
            &UserPatch {
                role: Some("manager".into()),
                name: Some("Person Three".into()),
                ..UserPatch::default()
            },
        )
        .await;
    assert_eq!(
        (changed.role.as_str(), changed.name.as_str()),
        ("manager", "Person Three")
    );
    assert_eq!(admin.get_user(&id).await.role, "manager");
}

#[tokio::test]
async fn an_email_in_use_is_refused_in_any_letter_case() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let r = admin.post("/api/v1/users", json!({ "name": "X", "email": "ADMIN@Example.com", "role": "member", "time_zone": "UTC" })).await;
    assert_eq!((r.status, r.code()), (409, "user.email_taken"));
    let id = admin
        .create_user(&UserReq::new("Y", "y@example.com", "member", "UTC"))
        .await
        .user
        .id;
    let r = admin
        .patch(
            &format!("/api/v1/users/{id}"),
            json!({ "email": "admin@example.com" }),
        )
        .await;
    assert_eq!((r.status, r.code()), (409, "user.email_taken"));
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_at_once_and_blocks_login_until_enabled() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, id) = s.user_with_role(&admin, "mo@example.com", "member").await;
    assert_eq!(member.get("/api/v1/me").await.status, 200);
    assert!(admin.disable_user(&id).await.disabled);
    assert_eq!(member.get("/api/v1/me").await.code(), "auth.required");
    let c = Client::new(&s.base);
    let r = c.login("mo@example.com", PASSWORD).await;
    assert_eq!((r.status, r.code()), (403, "auth.account_disabled"));
    let refused = admin.audit("action=session.login_refused").await;
    assert_eq!(refused[0].target, Some(format!("user:{id}")));
    admin.enable_user(&id).await;
    assert_eq!(c.login("mo@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn the_last_admin_cannot_be_demoted_or_disabled() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let me = admin.me().await.id;
    let r = admin
        .patch(&format!("/api/v1/users/{me}"), json!({ "role": "member" }))
        .await;
    assert_eq!((r.status, r.code()), (409, "user.last_admin"));
    let r = admin
        .post_empty(&format!("/api/v1/users/{me}/disable"))
        .await;
    assert_eq!((r.status, r.code()), (409, "user.self_disable"));
    // With a second admin, the first may step down.
    let (_, _) = s
        .user_with_role(&admin, "second@example.com", "admin")
        .await;
    let step_down = UserPatch {
        role: Some("member".into()),
        ..UserPatch::default()
    };
    admin.update_user(&me, &step_down).await;
}

#[tokio::test]
async fn unknown_user_ids_are_404_user_not_found() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    for path in [
        "/api/v1/users/not-a-uuid",
        "/api/v1/users/01937a4e-0000-7000-8000-000000000000",
    ] {
        let r = admin.get(path).await;
        assert_eq!((r.status, r.code()), (404, "user.not_found"), "{path}");
    }
    let r = admin
        .post_empty("/api/v1/users/01937a4e-0000-7000-8000-000000000000/disable")
        .await;
    assert_eq!(r.code(), "user.not_found");
}
