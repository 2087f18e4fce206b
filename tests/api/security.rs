//! Security events: what is recorded (with IP and user agent), reading them with filters, and
//! who may.

use serde_json::{json, Value};

use crate::helpers::{cli, Client, Server, PASSWORD};

fn kinds(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn sign_ins_failures_lockouts_links_roles_and_admin_commands_are_recorded() {
    let srv = Server::start();
    let admin = srv.setup_admin().await;
    let (member, member_id) = srv.user_with_role(&admin, "mo@example.com", "member").await;
    // A wrong password for a known account, an unknown email, then a lockout.
    let stranger = Client::new(&srv.base);
    assert_eq!(
        stranger
            .login("mo@example.com", "nope nope nope")
            .await
            .status,
        401
    );
    assert_eq!(
        stranger
            .login("ghost@example.com", "nope nope nope")
            .await
            .status,
        401
    );
    let mut locked = false;
    for _ in 0..12 {
        if stranger.login("ghost@example.com", "nope").await.status == 429 {
            locked = true;
            break;
        }
    }
    assert!(locked, "the throttle answers 429 within 12 attempts");
    let r = admin
        .patch(
            &format!("/api/v1/users/{member_id}"),
            json!({ "role": "manager" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(member.delete("/api/v1/session").await.status, 204);
    let out = cli(&srv.data, &["user", "list"]);
    assert!(out.status.success());
    let r = admin
        .post(&format!("/api/v1/users/{member_id}/disable"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let all = admin.get("/api/v1/security-events?limit=100").await;
    assert_eq!(all.status, 200, "{}", all.body);
    let seen = kinds(&all.body);
    for k in [
        "link_issued",
        "link_used",
        "password_changed",
        "login_succeeded",
        "login_failed",
        "login_locked_out",
        "role_changed",
        "logout",
        "admin_command",
        "account_disabled",
    ] {
        assert!(seen.iter().any(|s| s == k), "{k} missing from {seen:?}");
    }
    let items = all.body["items"].as_array().unwrap();
    let unknown = items
        .iter()
        .find(|e| e["kind"] == "login_failed" && e["user_id"].is_null())
        .unwrap();
    assert_eq!(unknown["email"], "ghost@example.com");
    assert_eq!(unknown["ip"], "127.0.0.1");
    let role = items.iter().find(|e| e["kind"] == "role_changed").unwrap();
    assert_eq!(role["detail"], json!({ "from": "member", "to": "manager" }));
    assert!(
        role["by"].as_str().unwrap().starts_with("user:"),
        "the admin changed it"
    );
    assert_eq!(role["by_name"], "Ada Admin");
    assert_eq!(role["user_name"], "User member");
    let cmd = items.iter().find(|e| e["kind"] == "admin_command").unwrap();
    assert_eq!(cmd["detail"]["command"], "user_list");
    assert!(cmd["by"].as_str().unwrap().starts_with("cli:"));

    // Filters: one person, one kind, a page size and its cursor.
    let hers = admin
        .get(&format!(
            "/api/v1/security-events?user_id={member_id}&kind=login_failed,logout"
        ))
        .await;
    assert_eq!(
        kinds(&hers.body),
        ["logout", "login_failed"],
        "{}",
        hers.body
    );
    let page = admin.get("/api/v1/security-events?limit=2").await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);
    let cursor = page.body["next_cursor"].as_str().unwrap();
    let next = admin
        .get(&format!("/api/v1/security-events?limit=2&cursor={cursor}"))
        .await;
    assert_ne!(next.body["items"][0]["id"], page.body["items"][0]["id"]);
    let viewed = admin
        .get("/api/v1/audit?action=security_events.viewed")
        .await;
    assert!(
        !viewed.body["items"].as_array().unwrap().is_empty(),
        "reading them is audited"
    );
}

#[tokio::test]
async fn bad_filters_are_refused_and_only_admins_and_auditors_read_events() {
    let srv = Server::start();
    let admin = srv.setup_admin().await;
    for (q, field) in [
        ("kind=login", "kind"),
        ("user_id=42", "user_id"),
        ("cursor=abc", "cursor"),
        ("from=yesterday", "from"),
    ] {
        let r = admin.get(&format!("/api/v1/security-events?{q}")).await;
        assert_eq!(
            (r.status, r.code()),
            (422, "validation.failed"),
            "{q}: {}",
            r.body
        );
        assert_eq!(r.body["errors"][0]["field"], field, "{q}");
    }
    let (auditor, _) = srv
        .user_with_role(&admin, "au@example.com", "auditor")
        .await;
    assert_eq!(auditor.get("/api/v1/security-events").await.status, 200);
    assert_eq!(
        auditor.get("/api/v1/security-events/kinds").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        13
    );
    for role in ["member", "manager", "client"] {
        let (c, _) = srv
            .user_with_role(&admin, &format!("{role}@example.com"), role)
            .await;
        let r = c.get("/api/v1/security-events").await;
        assert_eq!((r.status, r.code()), (403, "auth.forbidden"), "{role}");
    }
    let anon = Client::new(&srv.base).get("/api/v1/security-events").await;
    assert_eq!(anon.status, 401);
    let _ = PASSWORD;
}
