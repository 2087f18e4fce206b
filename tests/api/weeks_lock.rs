//! The lock of an approved week on every write path (each door named in a table), an entry
//! moved into or out of it or spanning into it, reopening, and the races: edits racing an
//! approval never leave time in an approved week that its recorded total does not hold.

use serde_json::{json, Value};

use crate::helpers::Client;
use crate::weeks::{at, monday, step, Team};

/// `method path` with `body` (and an `Idempotency-Key` when `key` is set).
async fn call(
    c: &Client,
    method: &str,
    path: &str,
    body: Value,
    key: Option<&str>,
) -> crate::helpers::Resp {
    let url = format!("{}{path}", c.base);
    let rb = match method {
        "POST" => c.http.post(url).json(&body),
        "PATCH" => c.http.patch(url).json(&body),
        "PUT" => c.http.put(url).json(&body),
        "DELETE" => c.http.delete(url),
        _ => unreachable!(),
    };
    let rb = match key {
        Some(k) => rb.header("Idempotency-Key", k),
        None => rb,
    };
    c.send(rb).await
}

#[tokio::test]
async fn every_write_path_refuses_a_change_in_an_approved_week_and_reopening_lifts_it() {
    // Arrange: this week (UTC, the member's zone) holds an entry and is approved; last week
    // holds another and is open.
    let t = Team::approval().await;
    let (w, prev) = (monday(0), monday(-1));
    let inside = t.entry(&t.mem, &at(w, 0, 0), &at(w, 0, 30)).await;
    let before = t.entry(&t.mem, &at(prev, 9, 0), &at(prev, 10, 0)).await;
    step(&t.mem, &format!("/api/v1/weeks/{w}/submit"), json!({})).await;
    step(
        &t.mgr,
        &format!("/api/v1/weeks/{}/{w}/approve", t.mem_id),
        json!({}),
    )
    .await;
    let p = &t.apollo;
    let sunday_before = prev.checked_add_days(chrono::Days::new(6)).unwrap();
    let doors: Vec<(&str, &str, String, Value, Option<&str>)> = vec![
        (
            "create",
            "POST",
            "/api/v1/entries".into(),
            json!({ "project_id": p, "start": at(w, 2, 0), "end": at(w, 3, 0), "confirm": true }),
            None,
        ),
        (
            "create spanning into the week",
            "POST",
            "/api/v1/entries".into(),
            json!({ "project_id": p, "start": at(sunday_before, 23, 0), "end": at(w, 0, 45), "confirm": true }),
            None,
        ),
        (
            "edit",
            "PATCH",
            format!("/api/v1/entries/{inside}"),
            json!({ "note": "changed" }),
            None,
        ),
        (
            "move out of the week",
            "PATCH",
            format!("/api/v1/entries/{inside}"),
            json!({ "start": at(prev, 12, 0), "end": at(prev, 12, 30), "confirm": true }),
            None,
        ),
        (
            "move into the week",
            "PATCH",
            format!("/api/v1/entries/{before}"),
            json!({ "start": at(w, 4, 0), "end": at(w, 5, 0), "confirm": true }),
            None,
        ),
        (
            "stretch into the week",
            "PATCH",
            format!("/api/v1/entries/{before}"),
            json!({ "start": at(sunday_before, 23, 0), "end": at(w, 0, 10), "confirm": true }),
            None,
        ),
        (
            "delete",
            "DELETE",
            format!("/api/v1/entries/{inside}"),
            Value::Null,
            None,
        ),
        (
            "bulk",
            "POST",
            "/api/v1/entries/bulk".into(),
            json!({ "ids": [before, inside], "add_tags": ["x"] }),
            None,
        ),
        (
            "timer start",
            "POST",
            "/api/v1/timer/start".into(),
            json!({ "project_id": p }),
            None,
        ),
        (
            "timer start, offline",
            "POST",
            "/api/v1/timer/start".into(),
            json!({ "project_id": p }),
            Some("k-start"),
        ),
        (
            "continue",
            "POST",
            format!("/api/v1/entries/{before}/continue"),
            Value::Null,
            None,
        ),
        (
            "quick-add",
            "POST",
            "/api/v1/entries/quick".into(),
            json!({ "text": "30m /Apollo", "confirm": true }),
            None,
        ),
        (
            "quick-add, offline",
            "POST",
            "/api/v1/entries/quick".into(),
            json!({ "text": "20m /Apollo", "confirm": true }),
            Some("k-quick"),
        ),
        (
            "timesheet cell",
            "PUT",
            "/api/v1/timesheet/cell".into(),
            json!({ "project_id": p, "date": w.to_string(), "seconds": 7200 }),
            None,
        ),
    ];
    // Act and assert: every door refuses, naming the week; nothing changed.
    let entries_before = t.mem.entries_by_id().await;
    for (door, method, path, body, key) in doors {
        let r = call(&t.mem, method, &path, body, key).await;
        assert_eq!(
            (r.status, r.code()),
            (409, "week.locked"),
            "{door}: {}",
            r.body
        );
        let detail = r.body["detail"].as_str().unwrap_or("");
        assert!(
            detail.contains(&format!("the week of {w} is approved")),
            "{door}: {detail}"
        );
    }
    assert_eq!(t.mem.entries_by_id().await, entries_before);
    assert!(t.mem.running_timer().await.is_none());
    // The week's manager and an admin are held by the lock too.
    let r = t
        .admin
        .patch(
            &format!("/api/v1/entries/{inside}"),
            json!({ "note": "admin" }),
        )
        .await;
    assert_eq!(r.code(), "week.locked");
    // The lists say so: the locked week's entry is `locked` and no one may change it; last
    // week's is not.
    let said = |body: &Value| -> Vec<(String, bool, bool)> {
        let items = body["items"].as_array().expect("a page of entries");
        let mut v: Vec<_> = (items.iter())
            .map(|e| {
                (
                    e["id"].as_str().unwrap_or("").to_owned(),
                    e["locked"].as_bool().expect("locked"),
                    e["can"]["edit"].as_bool().expect("can.edit"),
                )
            })
            .filter(|(id, _, _)| *id == inside || *id == before)
            .collect();
        v.sort_by_key(|(id, _, _)| *id != inside);
        v
    };
    let listed = format!(
        "/api/v1/entries?user_id={}&from={prev}&to={}",
        t.mem_id,
        w.checked_add_days(chrono::Days::new(6)).unwrap()
    );
    for who in [&t.mem, &t.admin] {
        assert_eq!(
            said(&who.get(&listed).await.body),
            vec![(inside.clone(), true, false), (before.clone(), false, true)]
        );
    }
    // The timesheet shows the lock.
    let sheet = t.mem.get(&format!("/api/v1/timesheet?week={w}")).await.body;
    assert_eq!(
        (
            sheet["approval"]["locked"].as_bool(),
            sheet["approval"]["state"].as_str()
        ),
        (Some(true), Some("approved"))
    );
    // Reopened, the same edit goes through.
    step(
        &t.mgr,
        &format!("/api/v1/weeks/{}/{w}/reopen", t.mem_id),
        json!({ "reason": "typo" }),
    )
    .await;
    let r = t
        .mem
        .patch(
            &format!("/api/v1/entries/{inside}"),
            json!({ "note": "changed" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        said(&t.mem.get(&listed).await.body),
        vec![(inside.clone(), false, true), (before.clone(), false, true)]
    );
}

#[tokio::test]
async fn a_week_with_a_running_timer_is_not_approved_so_a_stop_never_lands_in_a_locked_week() {
    // The stop door: its transaction checks the lock like every other, but a timer can only
    // run in a week that is not approved: approving one with a running timer is refused.
    let t = Team::approval().await;
    let w = monday(0);
    t.entry(&t.mem, &at(w, 0, 0), &at(w, 0, 30)).await;
    step(&t.mem, &format!("/api/v1/weeks/{w}/submit"), json!({})).await;
    let r = t
        .mem
        .post("/api/v1/timer/start", json!({ "project_id": t.apollo }))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let approve = format!("/api/v1/weeks/{}/{w}/approve", t.mem_id);
    assert_eq!(
        t.mgr.post(&approve, json!({})).await.code(),
        "week.timer_running"
    );
    assert_eq!(
        t.mem.post("/api/v1/timer/stop", json!({})).await.status,
        200
    );
    step(&t.mgr, &approve, json!({})).await;
    let r = t
        .mem
        .post("/api/v1/timer/start", json!({ "project_id": t.apollo }))
        .await;
    assert_eq!(r.code(), "week.locked");
}

#[tokio::test]
async fn edits_racing_an_approval_never_end_inside_the_approved_total() {
    // Arrange: last week with one entry the member keeps lengthening while a manager approves.
    let t = Team::approval().await;
    let w = monday(-1);
    let e = t.entry(&t.mem, &at(w, 9, 0), &at(w, 10, 0)).await;
    let week = format!("/api/v1/weeks?from={w}&to={w}");
    let p = t.apollo.clone();
    const EDITS: u32 = 24;
    let mut end_min = 0;
    for round in 0..8 {
        step(&t.mem, &format!("/api/v1/weeks/{w}/submit"), json!({})).await;
        // Act: an approval among a burst of new entries and edits of that week.
        let approve = format!("/api/v1/weeks/{}/{w}/approve", t.mem_id);
        let mut writes = tokio::task::JoinSet::new();
        for i in 0..EDITS {
            let c = Client {
                base: t.mem.base.clone(),
                http: t.mem.http.clone(),
            };
            let (start, end) = (at(w, 12 + round, 2 * i), at(w, 12 + round, 2 * i + 1));
            let (path, e) = (format!("/api/v1/entries/{e}"), end_min + i);
            let p = p.clone();
            writes.spawn(async move {
                if i % 4 == 0 {
                    c.patch(&path, json!({ "end": at(w, 10 + e / 60, e % 60) }))
                        .await
                } else {
                    let body =
                        json!({ "project_id": p, "start": start, "end": end, "confirm": true });
                    c.post("/api/v1/entries", body).await
                }
            });
            if i == EDITS / 2 {
                // Half are on their way: the approval goes out among them.
                writes.spawn({
                    let c = Client {
                        base: t.mgr.base.clone(),
                        http: t.mgr.http.clone(),
                    };
                    let approve = approve.clone();
                    async move { c.post(&approve, json!({})).await }
                });
            }
        }
        let mut answers = writes.join_all().await;
        let at_approval = answers
            .iter()
            .position(|r| r.body["state"] == "approved" || r.code().starts_with("week.not"))
            .expect("the approval's answer");
        let approved = answers.remove(at_approval);
        let edited = answers;
        end_min += EDITS;
        // Assert: approved, and the total it recorded is the week's total now; every edit
        // either landed before it (and counts) or was refused.
        assert_eq!(approved.status, 200, "round {round}: {}", approved.body);
        for r in &edited {
            assert!(
                [200, 201].contains(&r.status) || r.code() == "week.locked",
                "round {round}: {} {}",
                r.status,
                r.body
            );
        }
        let now = t
            .mgr
            .get(&format!("{week}&user_id={}", t.mem_id))
            .await
            .body;
        let recorded = &now["items"][0]["history"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()["total_seconds"];
        assert_eq!(
            recorded, &now["items"][0]["total_seconds"],
            "round {round}: {now}"
        );
        step(
            &t.mgr,
            &format!("/api/v1/weeks/{}/{w}/reopen", t.mem_id),
            json!({ "reason": "next round" }),
        )
        .await;
    }
}
