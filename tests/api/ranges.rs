//! The one range rule on every path that writes an entry (create, edit, timer, timesheet cell,
//! quick-add) and on the dates queries name: a start in 1970-01-01 .. now + 1 year, at most the
//! instance's longest entry, 422 `validation.failed` otherwise, and never a dropped connection.
//! In-process servers with a held clock, so the window's edges are exact. See: #11.

use serde_json::{json, Value};

use crate::helpers::{Client, Resp};
use crate::inproc::{spawn_with, InProc};
use ophiontt::clock::FixedClock;
use ophiontt::domain::range::Limits;

/// 2027-06-01T06:00:00Z. A year later is 2028-06-01 (366 days: 2028 is a leap year), so
/// "now + 1 year" is the last accepted day with the default `tracking.max_future_days` = 366
/// (also in the zone furthest ahead, +14:00: 2028-06-01T20:00).
const NOW_MS: i64 = 1_811_829_600_000;
const HOUR_MS: i64 = 3_600_000;

fn at(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

async fn server(limits: Limits) -> (InProc, FixedClock, Client, String) {
    let clock = FixedClock::new(NOW_MS);
    let srv = spawn_with(clock.clone(), |c| {
        c.tracking = limits;
        // The clock jumps days ahead here; the session should outlive that.
        c.session_idle = std::time::Duration::from_secs(30 * 86_400);
        c.session_absolute = std::time::Duration::from_secs(365 * 86_400);
    })
    .await;
    let admin = srv.admin().await;
    let p = admin
        .post("/api/v1/projects", json!({ "name": "Ops" }))
        .await;
    assert_eq!(p.status, 201, "{}", p.body);
    let id = p.body["id"].as_str().unwrap().to_owned();
    (srv, clock, admin, id)
}

/// `(field, code)` of every invalid field of a 422.
fn fields(r: &Resp) -> Vec<(String, String)> {
    assert_eq!(
        (r.status, r.code()),
        (422, "validation.failed"),
        "{}",
        r.body
    );
    r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_owned();
            (s("field"), s("code"))
        })
        .collect()
}

fn one(field: &str, code: &str) -> Vec<(String, String)> {
    vec![(field.to_owned(), code.to_owned())]
}

async fn entry_count(c: &Client) -> usize {
    let r = c
        .get("/api/v1/entries?from=1970-01-01&to=2028-06-01&limit=500")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn created_entries_start_between_1970_and_a_year_from_now() {
    let (_srv, _clock, admin, p) = server(Limits::default()).await;
    let create = |start: &str, end: &str| {
        let body = json!({ "project_id": p, "start": start, "end": end, "confirm": true });
        let admin = &admin;
        async move { admin.post("/api/v1/entries", body).await }
    };
    // Refused: before 1970, the years 0000 and 9999, a day past a year from now.
    let year_on = NOW_MS + 366 * 24 * HOUR_MS; // 2028-06-01T06:00:00Z
    for (start, end, code) in [
        ("1969-12-31T23:59:59Z", "1970-01-01T01:00:00Z", "too_early"),
        ("0000-01-01T09:00:00Z", "0000-01-01T10:00:00Z", "too_early"),
        ("9999-12-31T09:00:00Z", "9999-12-31T10:00:00Z", "too_late"),
        (
            &at(year_on + 24 * HOUR_MS),
            &at(year_on + 25 * HOUR_MS),
            "too_late",
        ),
        (&at(year_on + 1000), &at(year_on + HOUR_MS), "too_late"),
    ] {
        let r = create(start, end).await;
        assert_eq!(fields(&r), one("start", code), "{start}");
    }
    assert_eq!(entry_count(&admin).await, 0, "nothing was written");
    // Accepted: the window's edges themselves.
    for (start, end) in [
        ("1970-01-01T00:00:00Z", "1970-01-01T01:00:00Z"),
        (&at(year_on), &at(year_on + HOUR_MS)),
    ] {
        let r = create(start, end).await;
        assert_eq!(r.status, 201, "{start}: {}", r.body);
    }
}

#[tokio::test]
async fn an_edit_cannot_move_an_entry_out_of_the_window() {
    let (_srv, _clock, admin, p) = server(Limits::default()).await;
    let e = admin
        .post(
            "/api/v1/entries",
            json!({ "project_id": p, "start": "2027-05-31T09:00:00Z", "end": "2027-05-31T10:00:00Z" }),
        )
        .await;
    let path = format!("/api/v1/entries/{}", e.body["id"].as_str().unwrap());
    let r = admin
        .patch(
            &path,
            json!({ "start": "1900-01-01T09:00:00Z", "end": "1900-01-01T10:00:00Z" }),
        )
        .await;
    assert_eq!(fields(&r), one("start", "too_early"));
    let r = admin
        .patch(
            &path,
            json!({ "start": "9999-01-01T09:00:00Z", "end": "9999-01-01T10:00:00Z" }),
        )
        .await;
    assert_eq!(fields(&r), one("start", "too_late"));
    let listed = admin.get("/api/v1/entries?from=2027-05-31").await;
    assert_eq!(
        listed.body["items"][0]["start"], "2027-05-31T09:00:00Z",
        "unchanged"
    );
}

#[tokio::test]
async fn a_running_timer_cannot_be_given_an_impossible_start() {
    let (_srv, _clock, admin, p) = server(Limits::default()).await;
    let started = admin
        .post("/api/v1/timer/start", json!({ "project_id": p }))
        .await;
    assert_eq!(started.status, 201, "{}", started.body);
    let path = format!(
        "/api/v1/entries/{}",
        started.body["started"]["id"].as_str().unwrap()
    );
    // The reproduction of #11: this start made the next stop store a 127-year entry.
    for (start, code) in [
        ("1900-01-01T00:00:00Z".to_owned(), "too_early"),
        (at(NOW_MS - 25 * HOUR_MS), "too_long"),
        (at(NOW_MS + HOUR_MS), "in_future"),
    ] {
        let r = admin.patch(&path, json!({ "start": start })).await;
        assert_eq!(fields(&r), one("start", code), "{start}");
    }
    let r = admin
        .patch(&path, json!({ "start": at(NOW_MS - 2 * HOUR_MS) }))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let stopped = admin.post_empty("/api/v1/timer/stop").await;
    assert_eq!(stopped.status, 200, "{}", stopped.body);
    assert_eq!(stopped.body["duration_seconds"], 7200);
    assert_eq!(stopped.body["capped"], false);
}

#[tokio::test]
async fn a_timer_left_running_past_the_maximum_stops_at_the_maximum_and_says_so() {
    let (_srv, clock, admin, p) = server(Limits::default()).await;
    admin
        .post("/api/v1/timer/start", json!({ "project_id": p }))
        .await;
    clock.advance(72 * HOUR_MS); // left running over a weekend
    let stopped = admin.post_empty("/api/v1/timer/stop").await;
    assert_eq!(stopped.status, 200, "{}", stopped.body);
    assert_eq!(
        (
            &stopped.body["duration_seconds"],
            &stopped.body["capped"],
            &stopped.body["end"]
        ),
        (
            &json!(86_400),
            &json!(true),
            &json!(at(NOW_MS + 24 * HOUR_MS))
        )
    );
    let audit = admin.get("/api/v1/audit?action=timer.stopped").await;
    assert_eq!(
        audit.body["items"][0]["body"]["capped"], true,
        "{}",
        audit.body
    );

    // Starting another timer stops the running one the same way.
    admin
        .post("/api/v1/timer/start", json!({ "project_id": p }))
        .await;
    clock.advance(30 * HOUR_MS);
    let next = admin
        .post("/api/v1/timer/start", json!({ "project_id": p }))
        .await;
    assert_eq!(next.status, 201, "{}", next.body);
    assert_eq!(next.body["stopped"]["duration_seconds"], 86_400);
    assert_eq!(next.body["stopped"]["capped"], true);
    let listed = admin
        .get("/api/v1/entries?from=2027-06-01&to=2027-06-06")
        .await;
    let longest = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["duration_seconds"].as_i64())
        .max();
    assert_eq!(longest, Some(86_400), "no stored entry is longer");
}

#[tokio::test]
async fn the_longest_entry_is_the_instances_setting_on_every_path() {
    let (_srv, _clock, admin, p) = server(Limits::new(8, 366)).await;
    let r = admin
        .post(
            "/api/v1/entries",
            json!({ "project_id": p, "start": "2027-05-31T08:00:00Z", "end": "2027-05-31T17:00:00Z" }),
        )
        .await;
    assert_eq!(fields(&r), one("end", "too_long"));
    let cell = json!({ "project_id": p, "date": "2027-05-31", "seconds": 9 * 3600 });
    let r = admin.put("/api/v1/timesheet/cell", cell).await;
    assert_eq!(fields(&r), one("end", "too_long"));
    let r = admin
        .post(
            "/api/v1/entries/quick",
            json!({ "text": "9h /ops 2027-05-31 long day" }),
        )
        .await;
    assert_eq!(fields(&r), one("text", "too_long"));
    assert_eq!(entry_count(&admin).await, 0);
}

#[tokio::test]
async fn timesheet_cells_and_quick_add_follow_the_window() {
    let (_srv, _clock, admin, p) = server(Limits::default()).await;
    let cell = |date: &str| json!({ "project_id": p, "date": date, "seconds": 3600 });
    for (date, code) in [
        ("1969-12-31", "too_early"),
        ("1900-01-01", "too_early"),
        ("2028-06-02", "too_late"),
    ] {
        let r = admin.put("/api/v1/timesheet/cell", cell(date)).await;
        assert_eq!(fields(&r), one("date", code), "{date}");
    }
    for (line, code) in [
        ("1h /ops 1969-12-31 before time", "too_early"),
        ("1h /ops 0001-01-01 long ago", "too_early"),
        ("9:00-10:00 /ops 9999-12-31 far ahead", "too_late"),
    ] {
        let r = admin
            .post("/api/v1/entries/quick", json!({ "text": line }))
            .await;
        assert_eq!(fields(&r), one("text", code), "{line}");
    }
    assert_eq!(entry_count(&admin).await, 0, "nothing was written");
    let r = admin
        .put("/api/v1/timesheet/cell", cell("1970-01-01"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = admin
        .put("/api/v1/timesheet/cell", cell("2028-05-31"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn query_dates_outside_the_window_answer_422_instead_of_a_dropped_connection() {
    let (_srv, _clock, admin, p) = server(Limits::default()).await;
    // Both panicked in `week_start` and dropped the connection before #11.
    let r = admin.get("/api/v1/timesheet?week=-262143-01-01").await;
    assert_eq!(fields(&r), one("week", "invalid_date"));
    let cell = json!({ "project_id": p, "date": "-262143-01-01", "seconds": 3600 });
    let r = admin.put("/api/v1/timesheet/cell", cell).await;
    assert_eq!(fields(&r), one("date", "invalid_date"));
    for (path, field, code) in [
        (
            "/api/v1/timesheet?week=%2B262142-12-31",
            "week",
            "invalid_date",
        ),
        ("/api/v1/timesheet?week=1969-12-31", "week", "too_early"),
        ("/api/v1/timesheet?week=2028-06-02", "week", "too_late"),
        ("/api/v1/entries?from=-262143-01-01", "from", "invalid_date"),
        ("/api/v1/entries?to=%2B262142-12-31", "to", "invalid_date"),
    ] {
        let r = admin.get(path).await;
        assert_eq!(fields(&r), one(field, code), "{path}");
    }
    for path in [
        "/api/v1/timesheet?week=1970-01-01",
        "/api/v1/timesheet?week=2028-06-01",
        "/api/v1/entries?from=1970-01-01&to=2028-06-01",
        // A listed range's bounds outside the window move to its edges: the same entries.
        "/api/v1/entries?from=0001-01-01&to=9999-12-31",
    ] {
        let r = admin.get(path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
    }
    let week: Value = admin.get("/api/v1/timesheet?week=1970-01-01").await.body;
    assert_eq!(
        week["week_start"], "1969-12-29",
        "a week may begin before 1970"
    );
}

#[tokio::test]
async fn metrics_count_panicking_requests() {
    let (srv, _clock, _admin, _p) = server(Limits::default()).await;
    let text = reqwest::get(format!("{}/metrics", srv.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("ophiontt_http_panics_total ")),
        "{text}"
    );
}

/// Inside the window but unusual: a start over a year ago or after tomorrow (the caller's zone,
/// UTC here) is kept only with `confirm: true`; otherwise 422 `entry.needs_confirmation` names
/// the day, and nothing is written. A change that does not move the start asks nothing.
#[tokio::test]
async fn unusual_starts_are_kept_only_when_confirmed() {
    let (_srv, _clock, admin, p) = server(Limits::default()).await;
    let day = 24 * HOUR_MS;
    let post = |start: i64, confirm: Option<bool>| {
        let mut body = json!({ "project_id": p, "start": at(start), "end": at(start + HOUR_MS) });
        if let Some(c) = confirm {
            body["confirm"] = json!(c);
        }
        let admin = &admin;
        async move { admin.post("/api/v1/entries", body).await }
    };
    let asks = |r: &Resp, date: &str| {
        assert_eq!(
            (r.status, r.code()),
            (422, "entry.needs_confirmation"),
            "{}",
            r.body
        );
        assert_eq!(r.body["errors"][0]["field"], "start");
        assert_eq!(r.body["errors"][0]["code"], "needs_confirmation");
        let message = r.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(date), "{message}");
    };
    asks(&post(NOW_MS - 400 * day, None).await, "2026-04-27");
    asks(&post(NOW_MS - 400 * day, Some(false)).await, "2026-04-27");
    asks(&post(NOW_MS + 2 * day, None).await, "2027-06-03");
    assert_eq!(entry_count(&admin).await, 0, "nothing was written");

    let old = post(NOW_MS - 400 * day, Some(true)).await;
    assert_eq!(old.status, 201, "{}", old.body);
    let tomorrow = post(NOW_MS + day, None).await;
    assert_eq!(
        tomorrow.status, 201,
        "tomorrow is ordinary: {}",
        tomorrow.body
    );
    let a_year = post(NOW_MS - 364 * day, None).await;
    assert_eq!(a_year.status, 201, "within a year: {}", a_year.body);

    // Moving a start out asks again; a change that keeps the start does not.
    let path = format!("/api/v1/entries/{}", tomorrow.body["id"].as_str().unwrap());
    let moved = json!({ "start": at(NOW_MS + 9 * day), "end": at(NOW_MS + 9 * day + HOUR_MS) });
    asks(&admin.patch(&path, moved.clone()).await, "2027-06-10");
    let mut confirmed = moved;
    confirmed["confirm"] = json!(true);
    let r = admin.patch(&path, confirmed).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let old_path = format!("/api/v1/entries/{}", old.body["id"].as_str().unwrap());
    let r = admin
        .patch(&old_path, json!({ "note": "still 2026" }))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(entry_count(&admin).await, 3);
}
