//! Security events: what is recorded (with IP and user agent), reading them with filters, and
//! who may.

use serde_json::json;

use crate::helpers::{cli, Client, SecurityEventPage, Server, UserPatch, PASSWORD};

fn kinds(page: &SecurityEventPage) -> Vec<String> {
    page.items.iter().map(|i| i.kind.clone()).collect()
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
    let promote = UserPatch {
        role: Some("manager".into()),
        ..UserPatch::default()
    };
    admin.update_user(&member_id, &promote).await;
    assert_eq!(member.delete("/api/v1/session").await.status, 204);
    let out = cli(&srv.data, &["user", "list"]);
    assert!(out.status.success());
    admin.disable_user(&member_id).await;

    let all = admin.security_events("limit=100").await;
    let seen = kinds(&all);
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
    let items = &all.items;
    let unknown = items
        .iter()
        .find(|e| e.kind == "login_failed" && e.user_id.is_none())
        .unwrap();
    assert_eq!(unknown.email.as_deref(), Some("ghost@example.com"));
    assert_eq!(unknown.ip.as_deref(), Some("127.0.0.1"));
    let role = items.iter().find(|e| e.kind == "role_changed").unwrap();
    assert_eq!(role.detail, json!({ "from": "member", "to": "manager" }));
    assert!(
        role.by.as_deref().unwrap().starts_with("user:"),
        "the admin changed it"
    );
    assert_eq!(role.by_name.as_deref(), Some("Ada Admin"));
    assert_eq!(role.user_name.as_deref(), Some("User member"));
    let cmd = items.iter().find(|e| e.kind == "admin_command").unwrap();
    assert_eq!(cmd.detail["command"], "user_list");
    assert!(cmd.by.as_deref().unwrap().starts_with("cli:"));

    // Filters: one person, one kind, a page size and its cursor.
    let hers = admin
        .security_events(&format!("user_id={member_id}&kind=login_failed,logout"))
        .await;
    assert_eq!(kinds(&hers), ["logout", "login_failed"], "{hers:?}");
    let page = admin.security_events("limit=2").await;
    assert_eq!(page.items.len(), 2);
    let cursor = page.next_cursor.as_deref().unwrap();
    let next = admin
        .security_events(&format!("limit=2&cursor={cursor}"))
        .await;
    assert_ne!(next.items[0].id, page.items[0].id);
    let viewed = admin.audit("action=security_events.viewed").await;
    assert!(!viewed.is_empty(), "reading them is audited");
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
    assert_eq!(auditor.security_event_kinds().await.len(), 15);
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
