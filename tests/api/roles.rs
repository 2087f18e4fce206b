//! The role matrix: every endpoint, called by every role, is allowed or refused as docs/api.md says.

use serde_json::json;

use crate::helpers::Server;

/// (method, path, body, roles allowed). `{id}` is a target user's id.
const MATRIX: &[(&str, &str, &str, &[&str])] = &[
    (
        "GET",
        "/api/v1/me",
        "",
        &["admin", "manager", "member", "client", "auditor"],
    ),
    (
        "PATCH",
        "/api/v1/me",
        r#"{"name":"Same Name"}"#,
        &["admin", "manager", "member", "client", "auditor"],
    ),
    (
        "GET",
        "/api/v1/privacy-notice",
        "",
        &["admin", "manager", "member", "client", "auditor"],
    ),
    ("GET", "/api/v1/users", "", &["admin"]),
    (
        "POST",
        "/api/v1/users",
        r#"{"name":"N","email":"new-{role}@example.com","role":"member","time_zone":"UTC"}"#,
        &["admin"],
    ),
    ("GET", "/api/v1/users/{id}", "", &["admin"]),
    (
        "PATCH",
        "/api/v1/users/{id}",
        r#"{"name":"Renamed"}"#,
        &["admin"],
    ),
    ("POST", "/api/v1/users/{id}/reset-link", "", &["admin"]),
    ("POST", "/api/v1/users/{id}/disable", "", &["admin"]),
    ("POST", "/api/v1/users/{id}/enable", "", &["admin"]),
    ("GET", "/api/v1/audit", "", &["admin", "auditor"]),
    ("GET", "/api/v1/audit/actions", "", &["admin", "auditor"]),
    ("GET", "/api/v1/audit/verify", "", &["admin", "auditor"]),
    (
        "GET",
        "/api/v1/audit/accessed?from=2026-11-01&to=2026-11-30",
        "",
        &["admin", "auditor"],
    ),
    (
        "GET",
        "/api/v1/clients",
        "",
        &["admin", "manager", "member", "auditor"],
    ),
    (
        "POST",
        "/api/v1/clients",
        r#"{"name":"C {role}"}"#,
        &["admin", "manager"],
    ),
    (
        "GET",
        "/api/v1/projects",
        "",
        &["admin", "manager", "member", "auditor"],
    ),
    (
        "POST",
        "/api/v1/projects",
        r#"{"name":"P {role}"}"#,
        &["admin", "manager"],
    ),
    (
        "GET",
        "/api/v1/entries",
        "",
        &["admin", "manager", "member", "auditor"],
    ),
    ("GET", "/api/v1/timer", "", &["admin", "manager", "member"]),
    ("GET", "/api/v1/security-events", "", &["admin", "auditor"]),
    (
        "GET",
        "/api/v1/security-events/kinds",
        "",
        &["admin", "auditor"],
    ),
    ("GET", "/api/v1/holds", "", &["admin", "auditor"]),
    (
        "POST",
        "/api/v1/holds",
        r#"{"kind":"instance","reason":"matrix {role}"}"#,
        &["admin"],
    ),
    ("GET", "/api/v1/retention", "", &["admin", "auditor"]),
    (
        "PUT",
        "/api/v1/retention/rules/exports",
        r#"{"rule":"1y"}"#,
        &["admin"],
    ),
    (
        "POST",
        "/api/v1/retention/run",
        r#"{"dry_run":true}"#,
        &["admin"],
    ),
];

#[tokio::test]
async fn every_endpoint_allows_exactly_the_roles_it_states() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let target = admin.post("/api/v1/users", json!({ "name": "Target", "email": "target@example.com", "role": "member", "time_zone": "UTC" })).await;
    let target_id = target.body["user"]["id"].as_str().unwrap().to_owned();
    let mut clients = Vec::new();
    for role in ["manager", "member", "client", "auditor"] {
        let (c, _) = s
            .user_with_role(&admin, &format!("{role}@example.com"), role)
            .await;
        clients.push((role, c));
    }
    clients.push(("admin", admin));
    let mut failures = Vec::new();
    for (role, c) in &clients {
        for (method, path, body, allowed) in MATRIX {
            let url = s.url(&path.replace("{id}", &target_id));
            let mut rb = c.http.request(method.parse().unwrap(), url);
            if !body.is_empty() {
                rb = rb
                    .header("content-type", "application/json")
                    .body(body.replace("{role}", role));
            }
            let r = c.send(rb).await;
            let ok = allowed.contains(role);
            let refused = r.status == 403 && r.code() == "auth.forbidden";
            if ok == refused || r.status == 401 || r.status >= 500 {
                failures.push(format!("{role} {method} {path}: {} {}", r.status, r.code()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "role matrix violations:\n{}",
        failures.join("\n")
    );
}
