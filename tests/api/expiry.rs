//! Session expiry needs time to pass: these tests run the same `App` in-process with a
//! `FixedClock`, on a real loopback listener, instead of waiting hours.

use ophiontt::clock::FixedClock;

use crate::helpers::{Client, PASSWORD};

const HOUR: i64 = 3_600_000;

async fn spawn(
    clock: FixedClock,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tempfile::TempDir,
    String,
    ophiontt::service::Services,
) {
    let p = crate::inproc::spawn_with(clock, |_| {}).await;
    (p.base, p.stop, p.dir, p.token, p.svc)
}

async fn admin(base: &str, token: &str) -> Client {
    let c = Client::new(base);
    let r = c
        .post("/api/v1/setup", serde_json::json!({ "token": token, "name": "A", "email": "a@example.com", "password": PASSWORD, "time_zone": "UTC" }))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    c
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_ends_after_twelve_idle_hours() {
    let clock = FixedClock::new(1_800_000_000_000);
    let (base, _stop, _dir, token, _svc) = spawn(clock.clone()).await;
    let c = admin(&base, &token).await;
    clock.advance(11 * HOUR);
    assert_eq!(
        c.get("/api/v1/me").await.status,
        200,
        "11 h idle is fine and renews"
    );
    clock.advance(12 * HOUR);
    assert_eq!(
        c.get("/api/v1/me").await.status,
        200,
        "12 h since the last request, not since login"
    );
    clock.advance(12 * HOUR + 1);
    let r = c.get("/api/v1/me").await;
    assert_eq!((r.status, r.code()), (401, "auth.required"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_ends_seven_days_after_login_however_active() {
    let clock = FixedClock::new(1_800_000_000_000);
    let (base, _stop, _dir, token, _svc) = spawn(clock.clone()).await;
    let c = admin(&base, &token).await;
    for _ in 0..16 {
        clock.advance(10 * HOUR);
        assert_eq!(c.get("/api/v1/me").await.status, 200);
    }
    clock.advance(9 * HOUR); // 169 h > 7 d
    assert_eq!(c.get("/api/v1/me").await.status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_setup_link_expires_after_one_hour() {
    let clock = FixedClock::new(1_800_000_000_000);
    let (base, _stop, _dir, token, _svc) = spawn(clock.clone()).await;
    clock.advance(HOUR + 1);
    let r = Client::new(&base)
        .post("/api/v1/setup", serde_json::json!({ "token": token, "name": "A", "email": "a@example.com", "password": PASSWORD, "time_zone": "UTC" }))
        .await;
    assert_eq!((r.status, r.code()), (400, "token.invalid"));
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_sessions_and_links_are_purged_and_the_purge_is_audited() {
    let clock = FixedClock::new(1_800_000_000_000);
    let (base, _stop, _dir, token, svc) = spawn(clock.clone()).await;
    let c = admin(&base, &token).await;
    let r = c
        .post("/api/v1/users", serde_json::json!({ "name": "B", "email": "b@example.com", "role": "member", "time_zone": "UTC" }))
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(
        svc.sessions().purge_expired().await.unwrap(),
        ophiontt::service::Purged::default(),
        "nothing has expired yet"
    );
    clock.advance(25 * HOUR); // past the idle limit and the reset link's 24 h
    let purged = svc.sessions().purge_expired().await.unwrap();
    assert_eq!((purged.sessions, purged.tokens), (1, 1));
    assert_eq!(svc.system().figures().await.counts["sessions"], 0);
    let c2 = Client::new(&base);
    c2.login("a@example.com", PASSWORD).await;
    let log = c2
        .get("/api/v1/audit?action=maintenance.expired_purged")
        .await;
    assert_eq!(log.body["items"][0]["body"]["sessions"], 1);
    assert_eq!(log.body["items"][0]["actor"], "system");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_expiry_purge_keeps_the_sessions_of_a_person_under_a_legal_hold() {
    // The hourly purge follows the `sessions` retention rule's hold check: one rule, not two.
    let clock = FixedClock::new(1_800_000_000_000);
    let (base, _stop, _dir, token, svc) = spawn(clock.clone()).await;
    let c = admin(&base, &token).await;
    for (name, email) in [("Held", "held@example.com"), ("Free", "free@example.com")] {
        let r = c
            .post("/api/v1/users", serde_json::json!({ "name": name, "email": email, "role": "member", "time_zone": "UTC" }))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = c
        .post("/api/v1/holds", serde_json::json!({ "kind": "user", "target": "held@example.com", "reason": "HR investigation" }))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    clock.advance(25 * HOUR); // the admin's session and both reset links have expired
    let purged = svc.sessions().purge_expired().await.unwrap();
    assert_eq!(
        (purged.sessions, purged.tokens),
        (1, 1),
        "the admin's session and Free's link go; Held's link stays"
    );
    assert_eq!(svc.system().figures().await.counts["tokens"], 1);
}
