//! Personal API tokens: created in a session and shown once, used as `Authorization: Bearer`,
//! narrowed by their scopes, refused when unknown, expired, revoked or their owner disabled,
//! never allowed to change passwords, roles or tokens, and every use and refusal in the
//! security log. Who may call what through a token is also in the authorization matrix.

use serde_json::{json, Value};

use crate::helpers::{Client, Resp, Server};

/// Creates a token for `c`'s user; returns its secret and id.
async fn token(c: &Client, name: &str, scopes: &[&str]) -> (String, String) {
    let r = c
        .post(
            "/api/v1/me/tokens",
            json!({ "name": name, "scopes": scopes }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    (
        r.body["secret"].as_str().unwrap().to_owned(),
        r.body["token"]["id"].as_str().unwrap().to_owned(),
    )
}

/// A request with `Authorization: Bearer secret` and no cookie.
async fn bearer(s: &Server, secret: &str, method: &str, path: &str, body: Option<Value>) -> Resp {
    let c = Client::new(&s.url(""));
    let mut rb = c
        .http
        .request(method.parse().unwrap(), s.url(path))
        .bearer_auth(secret);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    c.send(rb).await
}

async fn security_kinds(admin: &Client, kind: &str) -> Vec<Value> {
    let r = admin
        .get(&format!("/api/v1/security-events?kind={kind}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_token_is_shown_once_works_as_bearer_and_records_its_use() {
    // Arrange
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, _) = s.user_with_role(&admin, "m@example.com", "member").await;
    // Act
    let r = member
        .post(
            "/api/v1/me/tokens",
            json!({ "name": "laptop terminal", "scopes": ["write"] }),
        )
        .await;
    // Assert
    assert_eq!(r.status, 201, "{}", r.body);
    let secret = r.body["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("ott_") && secret.len() == 47, "{secret}");
    assert_eq!(r.body["token"]["scopes"], json!(["read", "write"]));
    assert_eq!(r.body["token"]["state"], "active");
    let me = bearer(&s, &secret, "GET", "/api/v1/me", None).await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["email"], "m@example.com");
    let list = member.get("/api/v1/me/tokens").await;
    assert_eq!(list.status, 200);
    assert!(
        !list.text.contains(&secret),
        "the list never holds the secret"
    );
    assert!(list.body["items"][0]["last_used_at"].is_string());
    assert_eq!(list.body["items"][0]["last_used_ip"], "127.0.0.1");
    let used = security_kinds(&admin, "token_used").await;
    assert!(used
        .iter()
        .any(|e| e["detail"]["accepted"] == true && e["detail"]["name"] == "laptop terminal"));
    let created = security_kinds(&admin, "token_created").await;
    assert_eq!(created.len(), 1);
    assert!(!created[0].to_string().contains(&secret));
}

#[tokio::test]
async fn scopes_narrow_what_a_token_may_do() {
    // Arrange
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, member_id) = s.user_with_role(&admin, "m@example.com", "member").await;
    let p = admin
        .post(
            "/api/v1/projects",
            json!({ "name": "Ops", "member_ids": [member_id] }),
        )
        .await;
    let project = p.body["id"].as_str().unwrap().to_owned();
    let (read, _) = token(&member, "reader", &["read"]).await;
    let (write, _) = token(&member, "writer", &["write"]).await;
    let (adm_read, _) = token(&admin, "audit export", &["read", "admin"]).await;
    let (adm_write, _) = token(&admin, "no admin scope", &["write"]).await;
    // Act + Assert: read only reads
    let start = json!({ "project_id": project });
    let r = bearer(
        &s,
        &read,
        "POST",
        "/api/v1/timer/start",
        Some(start.clone()),
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (403, "auth.token_scope"),
        "{}",
        r.body
    );
    assert_eq!(
        bearer(&s, &read, "GET", "/api/v1/timer", None).await.status,
        200
    );
    // write changes, as far as the role allows
    let r = bearer(&s, &write, "POST", "/api/v1/timer/start", Some(start)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = bearer(&s, &write, "GET", "/api/v1/users", None).await;
    assert_eq!((r.status, r.code()), (403, "auth.forbidden"));
    // admin operations need the admin scope, and changes also need write
    assert_eq!(
        bearer(&s, &adm_read, "GET", "/api/v1/users", None)
            .await
            .status,
        200
    );
    assert_eq!(
        bearer(&s, &adm_read, "GET", "/api/v1/audit", None)
            .await
            .status,
        200
    );
    let r = bearer(
        &s,
        &adm_read,
        "POST",
        "/api/v1/holds",
        Some(json!({ "kind": "instance", "reason": "x" })),
    )
    .await;
    assert_eq!((r.status, r.code()), (403, "auth.token_scope"));
    let r = bearer(&s, &adm_write, "GET", "/api/v1/users", None).await;
    assert_eq!(
        (r.status, r.code()),
        (403, "auth.token_scope"),
        "{}",
        r.body
    );
    assert_eq!(
        bearer(&s, &adm_write, "GET", "/api/v1/entries", None)
            .await
            .status,
        200
    );
    let me = bearer(&s, &adm_write, "GET", "/api/v1/me", None).await;
    let caps = me.body["capabilities"].to_string();
    assert!(
        caps.contains("track_time") && !caps.contains("manage_users"),
        "{caps}"
    );
}

#[tokio::test]
async fn the_admin_scope_is_only_for_admins_and_auditors_and_bad_input_is_named() {
    // Arrange
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, _) = s.user_with_role(&admin, "m@example.com", "member").await;
    let (auditor, _) = s.user_with_role(&admin, "a@example.com", "auditor").await;
    // Act
    let r = member
        .post(
            "/api/v1/me/tokens",
            json!({ "name": "x", "scopes": ["admin"] }),
        )
        .await;
    // Assert
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "scopes", "not_allowed")
    );
    token(&auditor, "siem", &["admin"]).await;
    for (body, field, code) in [
        (
            json!({ "name": " ", "scopes": ["read"] }),
            "name",
            "required",
        ),
        (json!({ "name": "x", "scopes": [] }), "scopes", "required"),
        (
            json!({ "name": "x", "scopes": ["root"] }),
            "scopes",
            "invalid",
        ),
        (
            json!({ "name": "x", "scopes": ["read"], "expires_in_days": 400 }),
            "expires_in_days",
            "out_of_range",
        ),
        (
            json!({ "name": "x", "scopes": ["read"], "expires_at": "2001-01-01" }),
            "expires_at",
            "in_the_past",
        ),
        (
            json!({ "name": "x", "scopes": ["read"], "expires_at": "soon" }),
            "expires_at",
            "invalid_date",
        ),
    ] {
        let r = member.post("/api/v1/me/tokens", body.clone()).await;
        assert_eq!(
            r.field_error(),
            (422, "validation.failed", field, code),
            "{body}"
        );
    }
    let r = member
        .post(
            "/api/v1/me/tokens",
            json!({ "name": "x", "scopes": ["read"], "expires_in_days": 365 }),
        )
        .await;
    assert_eq!(r.status, 201, "a year is allowed by default: {}", r.body);
}

#[tokio::test]
async fn a_token_never_changes_passwords_roles_or_tokens() {
    // Arrange
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (_member, member_id) = s.user_with_role(&admin, "m@example.com", "member").await;
    let (all, id) = token(&admin, "everything", &["read", "write", "admin"]).await;
    // Act + Assert
    for (method, path, body) in [
        (
            "POST",
            "/api/v1/me/tokens".to_owned(),
            json!({ "name": "x", "scopes": ["read"] }),
        ),
        ("DELETE", format!("/api/v1/tokens/{id}"), Value::Null),
        (
            "POST",
            "/api/v1/me/password".to_owned(),
            json!({ "current_password": "x", "new_password": "y" }),
        ),
        ("DELETE", "/api/v1/session".to_owned(), Value::Null),
        (
            "PATCH",
            format!("/api/v1/users/{member_id}"),
            json!({ "role": "admin" }),
        ),
        (
            "POST",
            format!("/api/v1/users/{member_id}/reset-link"),
            json!({}),
        ),
    ] {
        let b = (!body.is_null()).then_some(body);
        let r = bearer(&s, &all, method, &path, b).await;
        assert_eq!(
            (r.status, r.code()),
            (403, "auth.session_only"),
            "{method} {path}: {}",
            r.body
        );
    }
    // The token still works, and a change that is not a role's goes through.
    let r = bearer(
        &s,
        &all,
        "PATCH",
        &format!("/api/v1/users/{member_id}"),
        Some(json!({ "name": "Renamed" })),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let spec = admin.get("/api/openapi.json").await.body;
    assert_eq!(
        spec["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    assert_eq!(
        spec["paths"]["/me/password"]["post"]["security"],
        json!([{ "session": [] }])
    );
    assert_eq!(
        spec["paths"]["/me"]["get"]["security"],
        json!([{ "session": [] }, { "token": [] }])
    );
}

#[tokio::test]
async fn revoked_expired_unknown_and_disabled_tokens_are_refused_and_logged() {
    // Arrange
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, member_id) = s.user_with_role(&admin, "m@example.com", "member").await;
    let (other, _) = s.user_with_role(&admin, "o@example.com", "member").await;
    let (own, own_id) = token(&member, "revoked by me", &["read"]).await;
    let (by_admin, by_admin_id) = token(&member, "revoked by admin", &["read"]).await;
    let soon = (chrono::Utc::now() + chrono::Duration::milliseconds(1500)).to_rfc3339();
    let r = member
        .post(
            "/api/v1/me/tokens",
            json!({ "name": "short", "scopes": ["read"], "expires_at": soon }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let short = r.body["secret"].as_str().unwrap().to_owned();
    let (kept, _) = token(&member, "kept", &["read"]).await;
    // Act
    let not_theirs = other.delete(&format!("/api/v1/tokens/{own_id}")).await;
    let mine = member.delete(&format!("/api/v1/tokens/{own_id}")).await;
    let admins = admin.delete(&format!("/api/v1/tokens/{by_admin_id}")).await;
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    // Assert
    assert_eq!(
        (not_theirs.status, not_theirs.code()),
        (404, "api_token.not_found")
    );
    assert_eq!(
        (mine.status, mine.body["state"].as_str()),
        (200, Some("revoked"))
    );
    assert_eq!(
        admins.body["revoked_by"]
            .as_str()
            .map(|s| s.starts_with("user:")),
        Some(true)
    );
    for (secret, code) in [
        (own.as_str(), "auth.token_revoked"),
        (by_admin.as_str(), "auth.token_revoked"),
        (short.as_str(), "auth.token_expired"),
    ] {
        let r = bearer(&s, secret, "GET", "/api/v1/me", None).await;
        assert_eq!((r.status, r.code()), (401, code), "{}", r.body);
    }
    let all = admin.get("/api/v1/tokens").await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 4);
    assert_eq!(all.body["items"][0]["owner"]["email"], "m@example.com");
    admin
        .post_empty(&format!("/api/v1/users/{member_id}/disable"))
        .await;
    let r = bearer(&s, &kept, "GET", "/api/v1/me", None).await;
    assert_eq!((r.status, r.code()), (403, "auth.account_disabled"));
    let refused = security_kinds(&admin, "token_used").await;
    let reasons: Vec<&str> = refused
        .iter()
        .filter_map(|e| e["detail"]["reason"].as_str())
        .collect();
    for code in [
        "auth.token_revoked",
        "auth.token_expired",
        "auth.account_disabled",
    ] {
        assert!(reasons.contains(&code), "{code} in {reasons:?}");
    }
    assert_eq!(security_kinds(&admin, "token_revoked").await.len(), 2);
}

#[tokio::test]
async fn unknown_tokens_are_refused_and_a_flood_of_them_is_not_logged() {
    // Arrange: three refusals a minute for one client
    let s = Server::start_with_env(&[("OPHIONTT_AUTH_LOGIN_ATTEMPTS_PER_MINUTE", "3")]);
    let admin = s.setup_admin().await;
    let fake = format!("ott_{}", "A".repeat(43));
    // Act
    let mut answers = Vec::new();
    for secret in ["garbage", &fake, &fake, &fake] {
        let r = bearer(&s, secret, "GET", "/api/v1/me", None).await;
        answers.push((r.status, r.code().to_owned()));
    }
    // Assert
    assert_eq!(answers[0], (401, "auth.token_invalid".into()));
    assert_eq!(answers[2], (401, "auth.token_invalid".into()));
    assert_eq!(
        answers[3],
        (401, "auth.token_invalid".into()),
        "over the quota: still 401"
    );
    let logged = security_kinds(&admin, "token_used").await;
    assert_eq!(
        logged.len(),
        3,
        "the attempt over the quota is not logged: {logged:?}"
    );
}
