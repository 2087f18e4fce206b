//! Requests that must not happen twice (timer start and stop, quick-add) under an
//! `Idempotency-Key`, and the instant a device says the person acted (`at`): what the web UI's
//! offline queue sends when the server is back.

use chrono::{SecondsFormat, Utc};
use ophiontt::clock::FixedClock;
use serde_json::{json, Value};

use crate::helpers::{Client, EntryReq, ProjectReq, Resp, Server, PASSWORD};

const HOUR: i64 = 3_600_000;

/// `POST path` with a JSON body and an `Idempotency-Key`.
async fn keyed(c: &Client, path: &str, key: &str, body: Value) -> Resp {
    let rb = c.http.post(format!("{}{path}", c.base));
    c.send(rb.header("Idempotency-Key", key).json(&body)).await
}

/// An RFC 3339 instant `ago_ms` before the real clock's now.
fn ago(ago_ms: i64) -> String {
    (Utc::now() - chrono::Duration::milliseconds(ago_ms)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn entry_count(c: &Client) -> usize {
    let page = c.get("/api/v1/entries?from=2020-01-01&to=2100-01-01").await;
    page.body["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_retried_quick_add_answers_as_the_first_and_makes_one_entry() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    admin.create_project(&ProjectReq::named("Backups")).await;
    let line = json!({ "text": "20m /backups rotated keys" });
    let first = keyed(&admin, "/api/v1/entries/quick", "k-1", line.clone()).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let again = keyed(&admin, "/api/v1/entries/quick", "k-1", line.clone()).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.body["start"], first.body["start"]);
    assert_eq!(entry_count(&admin).await, 1);

    // The same key for another line is refused; nothing is made.
    let other = json!({ "text": "25m /backups rotated keys" });
    let r = keyed(&admin, "/api/v1/entries/quick", "k-1", other.clone()).await;
    assert_eq!((r.status, r.code()), (422, "request.key_reused"));
    assert_eq!(entry_count(&admin).await, 1);

    // A retry answers with the entry as it is now; once deleted, the retry says it was done.
    let id = first.body["id"].as_str().unwrap().to_owned();
    let edited = admin
        .patch(
            &format!("/api/v1/entries/{id}"),
            json!({ "note": "rotated all keys" }),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
    let again = keyed(&admin, "/api/v1/entries/quick", "k-1", line.clone()).await;
    assert_eq!(again.body["note"], "rotated all keys");
    admin.delete_entry(&id).await;
    let r = keyed(&admin, "/api/v1/entries/quick", "k-1", line.clone()).await;
    assert_eq!((r.status, r.code()), (409, "request.already_done"));
    assert_eq!(entry_count(&admin).await, 0);

    // Keys are per person: another one's same key is theirs.
    let (member, member_id) = s
        .user_with_role(&admin, "member@example.com", "member")
        .await;
    let backups = admin.list_projects("").await.remove(0);
    let members = json!({ "member_ids": [member_id] });
    let r = admin
        .patch(&format!("/api/v1/projects/{}", backups.id), members)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let theirs = keyed(&member, "/api/v1/entries/quick", "k-1", line).await;
    assert_eq!(theirs.status, 201, "{}", theirs.body);
    assert_ne!(theirs.body["id"], first.body["id"]);

    // A key that is not 1–255 visible ASCII characters is refused before anything is done.
    for bad in ["two words", &"k".repeat(256)] {
        let r = keyed(&admin, "/api/v1/entries/quick", bad, other.clone()).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
    }
    assert_eq!(entry_count(&admin).await, 0);
}

#[tokio::test]
async fn concurrent_attempts_under_one_key_make_one_entry_and_one_timer() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = admin.create_project(&ProjectReq::named("Backups")).await;
    // Eight attempts at once, each answered 201 with the same thing made.
    let eight = |path: &'static str, body: Value, made: &'static str| {
        let admin = &admin;
        async move {
            let answers = futures_util::future::join_all(
                (0..8).map(|_| keyed(admin, path, path, body.clone())),
            )
            .await;
            for r in &answers {
                assert_eq!(r.status, 201, "{}", r.body);
                assert_eq!(r.body.pointer(made), answers[0].body.pointer(made));
            }
            answers
        }
    };
    eight(
        "/api/v1/entries/quick",
        json!({ "text": "20m /backups" }),
        "/id",
    )
    .await;
    assert_eq!(entry_count(&admin).await, 1);
    let start = json!({ "project_id": p.id, "note": "on call" });
    for r in eight("/api/v1/timer/start", start, "/started/id").await {
        assert!(r.body["stopped"].is_null(), "no start stopped another");
    }
    assert_eq!(entry_count(&admin).await, 2);
}

#[tokio::test]
async fn a_timer_starts_and_stops_at_the_instants_the_device_sends() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = admin.create_project(&ProjectReq::named("Backups")).await;
    let (started_at, stopped_at) = (ago(2 * HOUR), ago(HOUR));
    let start = json!({ "project_id": p.id, "at": started_at });
    let r = keyed(&admin, "/api/v1/timer/start", "s", start.clone()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["started"]["start"], started_at.as_str());

    // A stop before the running timer's start (it started later, elsewhere) leaves it running.
    let early = format!("/api/v1/timer/stop?at={}", ago(3 * HOUR));
    let r = keyed(&admin, &early, "early", json!({})).await;
    assert_eq!((r.status, r.code()), (409, "timer.started_later"));
    let r = keyed(
        &admin,
        "/api/v1/timer/start",
        "s2",
        json!({ "project_id": p.id, "at": ago(3 * HOUR) }),
    )
    .await;
    assert_eq!((r.status, r.code()), (409, "timer.started_later"));
    assert!(admin.running_timer().await.is_some());

    let stop = format!("/api/v1/timer/stop?at={stopped_at}");
    let r = keyed(&admin, &stop, "t", json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["end"].as_str(), r.body["duration_seconds"].as_i64()),
        (Some(stopped_at.as_str()), Some(3600))
    );
    assert_eq!(
        r.body["capped"], false,
        "ended when the device said, not cut short"
    );
    // Retried, the stop and the start answer as before and change nothing.
    let again = keyed(&admin, &stop, "t", json!({})).await;
    assert_eq!((again.status, &again.body["id"]), (200, &r.body["id"]));
    let again = keyed(&admin, "/api/v1/timer/start", "s", start).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.body["started"]["end"], stopped_at.as_str());
    assert!(admin.running_timer().await.is_none());
    assert_eq!(entry_count(&admin).await, 1);
    // Without a timer, a stop is refused as always.
    let r = admin.post_empty("/api/v1/timer/stop").await;
    assert_eq!((r.status, r.code()), (409, "timer.not_running"));
}

#[tokio::test]
async fn a_line_typed_offline_ends_when_it_was_typed_and_at_is_bounded() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    admin.create_project(&ProjectReq::named("Backups")).await;
    let typed = ago(5 * HOUR);
    let r = admin
        .post(
            "/api/v1/entries/quick",
            json!({ "text": "20m /backups", "at": typed }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["end"], typed.as_str());
    assert_eq!(r.body["duration_seconds"], 1200);

    let old = ago(7 * 24 * HOUR + HOUR);
    let ahead = ago(-5 * 60_000);
    for (path, body) in [
        (
            "/api/v1/entries/quick",
            json!({ "text": "20m /backups", "at": old }),
        ),
        (
            "/api/v1/timer/start",
            json!({ "project_id": admin.list_projects("").await[0].id, "at": old }),
        ),
    ] {
        let r = admin.post(path, body).await;
        assert_eq!(
            r.field_error(),
            (422, "validation.failed", "at", "too_old"),
            "{path}"
        );
    }
    let r = admin
        .post(
            "/api/v1/entries/quick",
            json!({ "text": "20m /backups", "at": ahead }),
        )
        .await;
    assert_eq!(r.field_error(), (422, "validation.failed", "at", "future"));
    let r = admin
        .post_empty(&format!("/api/v1/timer/stop?at={old}"))
        .await;
    assert_eq!(r.field_error(), (422, "validation.failed", "at", "too_old"));
    assert_eq!(entry_count(&admin).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_counts_for_eight_days_and_the_hourly_purge_removes_it() {
    // Eight: a request may say it was done up to seven days ago, so it can be retried for as
    // long as it may be sent at all.
    let clock = FixedClock::new(1_800_000_000_000);
    let p = crate::inproc::spawn_with(clock.clone(), |_| {}).await;
    let admin = p.admin().await;
    admin.create_project(&ProjectReq::named("Backups")).await;
    let line = json!({ "text": "20m /backups" });
    let first = keyed(&admin, "/api/v1/entries/quick", "week", line.clone()).await;
    clock.advance(8 * 24 * HOUR - 1);
    // Sessions end long before: sign in again.
    let r = admin.login("a@example.com", PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let again = keyed(&admin, "/api/v1/entries/quick", "week", line.clone()).await;
    assert_eq!(again.body["id"], first.body["id"], "still the same request");
    let purge = || async { p.svc.sessions().purge_expired().await.unwrap() };
    assert_eq!(purge().await.done_requests, 0);
    clock.advance(1);
    assert_eq!(purge().await.done_requests, 1);
    let log = admin
        .get("/api/v1/audit?action=maintenance.expired_purged")
        .await;
    assert_eq!(log.body["items"][0]["body"]["idempotency_keys"], 1);
    let later = keyed(&admin, "/api/v1/entries/quick", "week", line).await;
    assert_eq!(later.status, 201, "{}", later.body);
    assert_ne!(
        later.body["id"], first.body["id"],
        "eight days on the key is new"
    );
}

#[tokio::test]
async fn an_unkeyed_timer_and_quick_add_work_as_before() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = admin.create_project(&ProjectReq::named("Backups")).await;
    admin.start_timer(&EntryReq::timer(&p.id)).await;
    admin.start_timer(&EntryReq::timer(&p.id)).await;
    assert!(admin.running_timer().await.is_some());
    admin.quick_add("20m /backups").await;
    admin.quick_add("20m /backups").await;
    // Two quick-adds and two timers (the first stopped at once: discarded, under a second).
    assert_eq!(entry_count(&admin).await, 3);
}

#[tokio::test]
async fn a_persons_done_requests_are_in_their_export_and_go_with_erasure() {
    let mut s = Server::start();
    let admin = s.setup_admin().await;
    let (member, id) = s
        .user_with_role(&admin, "quentin@example.com", "member")
        .await;
    let p = json!({ "name": "Backups", "member_ids": [id] });
    assert_eq!(admin.post("/api/v1/projects", p).await.status, 201);
    let line = json!({ "text": "20m /backups" });
    let r = keyed(&member, "/api/v1/entries/quick", "k", line.clone()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = keyed(&admin, "/api/v1/entries/quick", "k", line).await;
    assert_eq!(r.status, 201, "{}", r.body);
    // The person's copy of their data holds it, with the entry it made.
    let mut zip = member.my_data_zip().await;
    let done: Value = serde_json::from_reader(zip.by_name("done_requests.json").unwrap()).unwrap();
    assert_eq!(done[0]["made"]["kind"], "created", "{done}");
    let r = admin
        .post(&format!("/api/v1/privacy/users/{id}/erase"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    s.stop();

    use ophiontt::store::prelude::DoneRequestsStore;
    let store = ophiontt::store::Store::open(&s.data, Utc::now().timestamp_millis()).unwrap();
    let user = id.parse().unwrap();
    assert!(store.done_requests_of(user).unwrap().is_empty());
    let now = Utc::now().timestamp_millis() + 9 * 24 * HOUR;
    assert_eq!(
        store.stale_done_requests(now).unwrap().len(),
        1,
        "the admin's stays"
    );
}
