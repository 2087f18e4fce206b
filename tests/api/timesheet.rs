//! The week timesheet: a grid that agrees with the entries, and cells that write entries.

use serde_json::json;

use crate::helpers::Server;

#[tokio::test]
async fn the_week_grid_splits_entries_at_local_midnight_and_totals_agree() {
    let s = Server::start();
    let admin = s.setup_admin().await; // Europe/London, UTC+0 in November
    let p = admin
        .post("/api/v1/projects", json!({ "name": "Ops" }))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let q = admin
        .post("/api/v1/projects", json!({ "name": "Dev" }))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (proj, start, end) in [
        (&p, "2026-11-23T09:00:00Z", "2026-11-23T10:30:00Z"), // Monday 1:30
        (&q, "2026-11-24T13:00:00Z", "2026-11-24T14:00:00Z"), // Tuesday 1:00
        (&p, "2026-11-25T23:00:00Z", "2026-11-26T01:00:00Z"), // Wednesday 1:00 + Thursday 1:00
        (&p, "2026-11-30T09:00:00Z", "2026-11-30T10:00:00Z"), // next week
    ] {
        let r = admin
            .post(
                "/api/v1/entries",
                json!({ "project_id": proj, "start": start, "end": end }),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let t = admin.get("/api/v1/timesheet?week=2026-11-26").await;
    assert_eq!(t.status, 200, "{}", t.body);
    assert_eq!(t.body["week_start"], "2026-11-23");
    assert_eq!(t.body["days"][6], "2026-11-29");
    assert_eq!(t.body["rows"][0]["project_name"], "Dev");
    assert_eq!(
        t.body["rows"][1]["seconds"],
        json!([5400, 0, 3600, 3600, 0, 0, 0])
    );
    assert_eq!(
        t.body["day_totals"],
        json!([5400, 3600, 3600, 3600, 0, 0, 0])
    );
    assert_eq!(t.body["total"], 16200);
    let listed = admin
        .get("/api/v1/entries?from=2026-11-23&to=2026-11-29")
        .await;
    assert_eq!(
        listed.body["total_seconds"], 16200,
        "the grid and the list agree"
    );
}

#[tokio::test]
async fn typing_in_a_cell_creates_adjusts_and_removes_that_days_entry() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = admin
        .post("/api/v1/projects", json!({ "name": "Ops" }))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cell = |secs: i64| json!({ "project_id": p, "date": "2026-11-24", "seconds": secs });
    let put = |body| admin.send(admin.http.put(s.url("/api/v1/timesheet/cell")).json(&body));
    let r = put(cell(5400)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["rows"][0]["seconds"][1], 5400);
    let day = admin.get("/api/v1/entries?from=2026-11-24").await;
    assert_eq!(
        day.body["items"][0]["start"], "2026-11-24T09:00:00Z",
        "a new cell starts at 09:00 local"
    );
    assert_eq!(
        day.body["items"][0]["duration_seconds"], 5400,
        "the cell shows up in the entries list"
    );
    assert_eq!(put(cell(7200)).await.body["rows"][0]["seconds"][1], 7200);
    assert_eq!(put(cell(1800)).await.body["rows"][0]["seconds"][1], 1800);
    assert_eq!(
        admin.get("/api/v1/entries?from=2026-11-24").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(put(cell(0)).await.body["rows"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(
        admin.get("/api/v1/entries?from=2026-11-24").await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Two entries of 30 min each cannot become 10 min without losing one.
    for h in [9, 11] {
        let r = admin.post("/api/v1/entries", json!({ "project_id": p, "start": format!("2026-11-24T{h:02}:00:00Z"), "end": format!("2026-11-24T{h:02}:30:00Z") })).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = put(cell(600)).await;
    assert_eq!((r.status, r.code()), (409, "timesheet.cell_ambiguous"));
    let r = put(cell(90_000)).await;
    assert_eq!(
        (r.status, r.body["errors"][0]["code"].as_str()),
        (422, Some("out_of_range"))
    );
}

#[tokio::test]
async fn tasks_get_their_own_rows_and_cells_and_the_list_filters_by_task() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = admin
        .post("/api/v1/projects", json!({ "name": "Ops" }))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let task = admin
        .post(
            &format!("/api/v1/projects/{p}/tasks"),
            json!({ "title": "Rotate keys" }),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let put = |body| admin.send(admin.http.put(s.url("/api/v1/timesheet/cell")).json(&body));
    let r = put(json!({ "project_id": p, "date": "2026-11-24", "seconds": 3600 })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = put(json!({ "project_id": p, "task_id": task, "date": "2026-11-24", "seconds": 1800 }))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let rows = r.body["rows"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        2,
        "the project row and its task row: {}",
        r.body
    );
    assert_eq!(rows[0]["task_id"], serde_json::Value::Null);
    assert_eq!(
        rows[0]["seconds"][1], 3600,
        "the task cell left the other row alone"
    );
    assert_eq!(rows[1]["task_title"], "Rotate keys");
    assert_eq!(rows[1]["seconds"][1], 1800);
    assert_eq!(r.body["day_totals"][1], 5400);

    let on_task = admin
        .get(&format!("/api/v1/entries?from=2026-11-24&task_id={task}"))
        .await;
    assert_eq!(on_task.status, 200, "{}", on_task.body);
    assert_eq!(on_task.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(on_task.body["items"][0]["task_id"], task.as_str());
    assert_eq!(on_task.body["items"][0]["task_title"], "Rotate keys");
    assert_eq!(on_task.body["items"][0]["user_name"], "Ada Admin");
    assert_eq!(
        on_task.body["items"][0]["client_name"],
        serde_json::Value::Null
    );
    assert_eq!(on_task.body["total_seconds"], 1800);

    let bad =
        put(json!({ "project_id": p, "task_id": "nope", "date": "2026-11-24", "seconds": 60 }))
            .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let other = admin
        .post("/api/v1/projects", json!({ "name": "Dev" }))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let wrong =
        put(json!({ "project_id": other, "task_id": task, "date": "2026-11-24", "seconds": 60 }))
            .await;
    assert_eq!(wrong.status, 404, "{}", wrong.body);
    assert_eq!(wrong.body["code"], "task.not_found");
}

#[tokio::test]
async fn a_cell_with_a_running_timer_is_not_adjusted() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = admin
        .post("/api/v1/projects", json!({ "name": "Ops" }))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let started = admin
        .post("/api/v1/timer/start", json!({ "project_id": p }))
        .await;
    assert_eq!(started.status, 201, "{}", started.body);
    let today = started.body["started"]["start"].as_str().unwrap()[..10].to_owned();
    let r = admin
        .send(
            admin
                .http
                .put(s.url("/api/v1/timesheet/cell"))
                .json(&json!({ "project_id": p, "date": today, "seconds": 7200 })),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.code(), "timesheet.timer_running");
    let day = admin.get(&format!("/api/v1/entries?from={today}")).await;
    assert_eq!(
        day.body["items"].as_array().unwrap().len(),
        1,
        "nothing was added"
    );
}
