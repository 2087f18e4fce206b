//! First run: the setup link creates the first admin, once. The rest of start-up and shutdown
//! belongs in `startup.rs`.

use serde_json::json;

use crate::helpers::{Client, Server, PASSWORD};

#[tokio::test]
async fn first_run_prints_a_setup_link_and_reports_setup_needed() {
    let s = Server::start();
    let link = s
        .setup_link
        .clone()
        .expect("setup link printed on first run");
    assert!(
        link.starts_with(&format!("{}/setup#token=", s.base)),
        "{link}"
    );
    assert!(s.setup_token().len() >= 43, "256-bit token");
    let r = Client::new(&s.base).get("/api/v1/instance").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["setup_needed"], true);
    assert_eq!(r.body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(r.body["min_timer_seconds"], 60, "the default");
}

/// `tracking.min_timer_seconds` reaches the web UI through the instance info.
#[tokio::test]
async fn the_short_timer_threshold_is_the_instances_setting() {
    let s = Server::start_with_env(&[("OPHIONTT_TRACKING_MIN_TIMER_SECONDS", "0")]);
    let r = Client::new(&s.base).get("/api/v1/instance").await;
    assert_eq!(r.body["min_timer_seconds"], 0);
}

#[tokio::test]
async fn the_setup_link_creates_the_first_admin_and_works_only_once() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let me = admin.get("/api/v1/me").await;
    assert_eq!((me.status, me.body["role"].as_str()), (200, Some("admin")));
    let r = Client::new(&s.base).get("/api/v1/instance").await;
    assert_eq!(r.body["setup_needed"], false);
    // Reusing the same token fails: setup is done.
    let again = Client::new(&s.base)
        .post("/api/v1/setup", json!({ "token": s.setup_token(), "name": "Eve", "email": "eve@example.com", "password": PASSWORD, "time_zone": "UTC" }))
        .await;
    assert_eq!((again.status, again.code()), (409, "setup.already_done"));
}

#[tokio::test]
async fn a_wrong_setup_token_is_refused_and_creates_nobody() {
    let s = Server::start();
    let c = Client::new(&s.base);
    let r = c
        .post("/api/v1/setup", json!({ "token": "not-the-token", "name": "Eve", "email": "eve@example.com", "password": PASSWORD, "time_zone": "UTC" }))
        .await;
    assert_eq!((r.status, r.code()), (400, "token.invalid"));
    assert_eq!(c.get("/api/v1/instance").await.body["setup_needed"], true);
    assert_eq!(c.login("eve@example.com", PASSWORD).await.status, 401);
}

#[tokio::test]
async fn setup_reports_every_invalid_field() {
    let s = Server::start();
    let r = Client::new(&s.base)
        .post("/api/v1/setup", json!({ "token": s.setup_token(), "name": " ", "email": "nope", "password": "short", "time_zone": "Mars/Olympus" }))
        .await;
    assert_eq!((r.status, r.code()), (422, "validation.failed"));
    let mut fields: Vec<(String, String)> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    fields.sort();
    let want = [
        ("email", "invalid_email"),
        ("name", "required"),
        ("password", "too_short"),
        ("time_zone", "unknown_zone"),
    ];
    assert_eq!(fields, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
    // The token was not used up by the failed attempt.
    s.setup_admin().await;
}

#[tokio::test]
async fn a_restart_before_setup_prints_a_new_link_and_retires_the_old_one() {
    let mut s = Server::start();
    let old = s.setup_token();
    s.stop();
    let s2 = Server::start_in(&s.data, &[]);
    assert_ne!(s2.setup_token(), old);
    let r = Client::new(&s2.base)
        .post("/api/v1/setup", json!({ "token": old, "name": "Ada", "email": "ada@example.com", "password": PASSWORD, "time_zone": "UTC" }))
        .await;
    assert_eq!((r.status, r.code()), (400, "token.invalid"));
}
