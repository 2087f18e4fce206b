//! User administration over HTTP.

use serde_json::json;

use crate::helpers::{Client, Server, PASSWORD};

#[tokio::test]
async fn admin_creates_lists_edits_and_pages_users() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    for i in 0..5 {
        let r = admin.post("/api/v1/users", json!({ "name": format!("Person {i}"), "email": format!("p{i}@example.com"), "role": "member", "time_zone": "Europe/Berlin" })).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["user"]["last_login_at"], serde_json::Value::Null);
    }
    let page1 = admin.get("/api/v1/users?limit=4").await;
    let emails: Vec<&str> = page1.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        [
            "admin@example.com",
            "p0@example.com",
            "p1@example.com",
            "p2@example.com"
        ]
    );
    let cursor = page1.body["next_cursor"].as_str().unwrap();
    let page2 = admin
        .get(&format!("/api/v1/users?limit=4&cursor={cursor}"))
        .await;
    let emails: Vec<&str> = page2.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["p3@example.com", "p4@example.com"]);
    assert!(page2.body["next_cursor"].is_null());
    let found = admin.get("/api/v1/users?q=person%203").await;
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1);

    let id = found.body["items"][0]["id"].as_str().unwrap().to_owned();
    let r = admin
        .patch(
            &format!("/api/v1/users/{id}"),
            json!({ "role": "manager", "name": "Person Three" }),
        )
        .await;
    assert_eq!(
        (r.status, r.body["role"].as_str(), r.body["name"].as_str()),
        (200, Some("manager"), Some("Person Three"))
    );
    assert_eq!(
        admin.get(&format!("/api/v1/users/{id}")).await.body["role"],
        "manager"
    );
}

#[tokio::test]
async fn an_email_in_use_is_refused_in_any_letter_case() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let r = admin.post("/api/v1/users", json!({ "name": "X", "email": "ADMIN@Example.com", "role": "member", "time_zone": "UTC" })).await;
    assert_eq!((r.status, r.code()), (409, "user.email_taken"));
    let r = admin
        .post(
            "/api/v1/users",
            json!({ "name": "Y", "email": "y@example.com", "role": "member", "time_zone": "UTC" }),
        )
        .await;
    let id = r.body["user"]["id"].as_str().unwrap();
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
    let r = admin
        .post_empty(&format!("/api/v1/users/{id}/disable"))
        .await;
    assert_eq!((r.status, r.body["disabled"].as_bool()), (200, Some(true)));
    assert_eq!(member.get("/api/v1/me").await.code(), "auth.required");
    let c = Client::new(&s.base);
    let r = c.login("mo@example.com", PASSWORD).await;
    assert_eq!((r.status, r.code()), (403, "auth.account_disabled"));
    let refused = admin
        .get("/api/v1/audit?action=session.login_refused")
        .await;
    assert_eq!(refused.body["items"][0]["target"], format!("user:{id}"));
    assert_eq!(
        admin
            .post_empty(&format!("/api/v1/users/{id}/enable"))
            .await
            .status,
        200
    );
    assert_eq!(c.login("mo@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn the_last_admin_cannot_be_demoted_or_disabled() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let me = admin.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
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
    let r = admin
        .patch(&format!("/api/v1/users/{me}"), json!({ "role": "member" }))
        .await;
    assert_eq!(r.status, 200);
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
