//! The signed-in person's own account: login, logout, the one cookie, throttling, profile,
//! password change and reset links. Accounts administered by someone else belong in `users.rs`.

use serde_json::json;

use crate::helpers::{link_token, Client, Server, UserPatch, UserReq, PASSWORD};

fn set_cookie(r: &crate::helpers::Resp) -> String {
    r.headers
        .get("set-cookie")
        .expect("a Set-Cookie header")
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn login_sets_exactly_one_httponly_strict_cookie_with_a_new_id_each_time() {
    let s = Server::start();
    s.setup_admin().await;
    let c = Client::new(&s.base);
    let r1 = c.login("admin@example.com", PASSWORD).await;
    assert_eq!(r1.status, 200);
    assert_eq!(r1.headers.get_all("set-cookie").iter().count(), 1);
    let cookie = set_cookie(&r1);
    assert!(cookie.starts_with("ophiontt_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain-HTTP loopback cookie is not Secure"
    );
    let r2 = c.login("admin@example.com", PASSWORD).await;
    assert_ne!(
        set_cookie(&r2),
        cookie,
        "a login always issues a new session id"
    );
    // The first session was revoked by the second login from the same browser.
    let old = reqwest::Client::new()
        .get(s.url("/api/v1/me"))
        .header("cookie", cookie.split(';').next().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(old.status().as_u16(), 401);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let s = Server::start();
    s.setup_admin().await;
    let c = Client::new(&s.base);
    let wrong = c
        .login("admin@example.com", "not the password at all")
        .await;
    let unknown = c.login("nobody@example.com", PASSWORD).await;
    let garbage = c.login("not an email", PASSWORD).await;
    for r in [&wrong, &unknown, &garbage] {
        assert_eq!((r.status, r.code()), (401, "auth.invalid_credentials"));
        assert!(r.headers.get("set-cookie").is_none());
    }
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let r = admin.delete("/api/v1/session").await;
    assert_eq!(r.status, 204);
    assert!(set_cookie(&r).contains("Max-Age=0"));
    assert_eq!(admin.get("/api/v1/me").await.code(), "auth.required");
}

#[tokio::test]
async fn requests_without_a_session_get_401_auth_required() {
    let s = Server::start();
    let c = Client::new(&s.base);
    for path in ["/api/v1/me", "/api/v1/users", "/api/v1/audit"] {
        let r = c.get(path).await;
        assert_eq!((r.status, r.code()), (401, "auth.required"), "{path}");
    }
}

#[tokio::test]
async fn profile_changes_name_and_time_zone_and_rejects_unknown_zones() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let me = admin
        .update_me(&UserPatch {
            name: Some("Ada Lovelace".into()),
            time_zone: Some("America/New_York".into()),
            ..UserPatch::default()
        })
        .await;
    assert_eq!(
        (me.name.as_str(), me.time_zone.as_str()),
        ("Ada Lovelace", "America/New_York")
    );
    let r = admin
        .patch("/api/v1/me", json!({ "time_zone": "Europe/Atlantis" }))
        .await;
    assert_eq!((r.status, r.code()), (422, "validation.failed"));
    assert_eq!(r.body["errors"][0]["code"], "unknown_zone");
    assert_eq!(admin.me().await.time_zone, "America/New_York");
}

#[tokio::test]
async fn password_change_needs_the_current_one_and_ends_other_sessions() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let other = Client::new(&s.base);
    assert_eq!(other.login("admin@example.com", PASSWORD).await.status, 200);
    let r = admin.post("/api/v1/me/password", json!({ "current_password": "wrong wrong wrong", "new_password": "a brand new passphrase" })).await;
    assert_eq!((r.status, r.code()), (422, "validation.failed"));
    assert_eq!(
        (
            r.body["errors"][0]["field"].as_str(),
            r.body["errors"][0]["code"].as_str()
        ),
        (Some("current_password"), Some("wrong_password"))
    );
    let r = admin
        .post(
            "/api/v1/me/password",
            json!({ "current_password": PASSWORD, "new_password": "short" }),
        )
        .await;
    assert_eq!(r.body["errors"][0]["code"], "too_short");
    let r = admin
        .post(
            "/api/v1/me/password",
            json!({ "current_password": PASSWORD, "new_password": "a brand new passphrase" }),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        admin.get("/api/v1/me").await.status,
        200,
        "this session stays"
    );
    assert_eq!(
        other.get("/api/v1/me").await.status,
        401,
        "other sessions end"
    );
    let c = Client::new(&s.base);
    assert_eq!(c.login("admin@example.com", PASSWORD).await.status, 401);
    assert_eq!(
        c.login("admin@example.com", "a brand new passphrase")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn a_reset_link_sets_a_password_once_and_ends_every_session() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, id) = s.user_with_role(&admin, "mia@example.com", "member").await;
    let link = admin.reset_link(&id).await;
    assert!(link.url.starts_with(&format!("{}/reset#token=", s.base)));
    let token = link_token(&link.url);
    let anon = Client::new(&s.base);
    let r = anon
        .post(
            "/api/v1/password-reset",
            json!({ "token": token, "new_password": "another long passphrase" }),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        member.get("/api/v1/me").await.status,
        401,
        "sessions end on reset"
    );
    let again = anon
        .post(
            "/api/v1/password-reset",
            json!({ "token": token, "new_password": "yet another passphrase" }),
        )
        .await;
    assert_eq!((again.status, again.code()), (400, "token.invalid"));
    assert_eq!(
        anon.login("mia@example.com", "another long passphrase")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn issuing_a_new_reset_link_retires_the_older_ones() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let created = admin
        .create_user(&UserReq::new("G", "g@example.com", "member", "UTC"))
        .await;
    let first = link_token(&created.reset_link.url);
    let second = link_token(&admin.reset_link(&created.user.id).await.url);
    let anon = Client::new(&s.base);
    let r = anon
        .post(
            "/api/v1/password-reset",
            json!({ "token": first, "new_password": "first link passphrase" }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "token.invalid"),
        "the older link stopped working"
    );
    let r = anon
        .post(
            "/api/v1/password-reset",
            json!({ "token": second, "new_password": "second link passphrase" }),
        )
        .await;
    assert_eq!(r.status, 204);
}

#[tokio::test]
async fn repeated_login_attempts_for_one_account_are_throttled_with_429() {
    let s = Server::start();
    s.setup_admin().await;
    let c = Client::new(&s.base);
    for _ in 0..10 {
        assert_eq!(
            c.login("admin@example.com", "guess guess guess")
                .await
                .status,
            401
        );
    }
    let r = c.login("admin@example.com", "guess guess guess").await;
    assert_eq!((r.status, r.code()), (429, "auth.rate_limited"));
    let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    assert_eq!(r.body["retry_after"].as_u64(), Some(wait));
    // Even the right password waits: the throttle runs before any password check.
    assert_eq!(c.login("admin@example.com", PASSWORD).await.status, 429);
    // Another account from the same address is not affected.
    assert_eq!(
        c.login("someone@example.com", "guess guess guess")
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_throttled_too() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Server::start_in(
        tmp.path(),
        &[("OPHIONTT_AUTH_LOGIN_ATTEMPTS_PER_MINUTE", "2")],
    );
    let c = Client::new(&s.base);
    for i in 0..10 {
        let r = c
            .login(&format!("user{i}@example.com"), "guess guess guess")
            .await;
        assert_eq!(r.status, 401, "attempt {i}");
    }
    let r = c.login("user99@example.com", "guess guess guess").await;
    assert_eq!((r.status, r.code()), (429, "auth.rate_limited"));
}
