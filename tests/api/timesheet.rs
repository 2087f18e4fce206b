//! The week timesheet (`/api/v1/timesheet`): a grid that agrees with the entries, and cells that
//! write entries. Entries created and listed directly belong in `tracking.rs` and
//! `entries_list.rs`.

use crate::helpers::{CellReq, EntryReq, ProjectReq, Server, TaskReq};

fn cell(project: &str, task: Option<&str>, seconds: i64) -> CellReq {
    CellReq {
        project_id: project.to_owned(),
        task_id: task.map(str::to_owned),
        date: "2026-11-24".into(),
        seconds,
    }
}

#[tokio::test]
async fn the_week_grid_splits_entries_at_local_midnight_and_totals_agree() {
    let s = Server::start();
    let admin = s.setup_admin().await; // Europe/London, UTC+0 in November
    let p = admin.create_project(&ProjectReq::named("Ops")).await.id;
    let q = admin.create_project(&ProjectReq::named("Dev")).await.id;
    for (proj, start, end) in [
        (&p, "2026-11-23T09:00:00Z", "2026-11-23T10:30:00Z"), // Monday 1:30
        (&q, "2026-11-24T13:00:00Z", "2026-11-24T14:00:00Z"), // Tuesday 1:00
        (&p, "2026-11-25T23:00:00Z", "2026-11-26T01:00:00Z"), // Wednesday 1:00 + Thursday 1:00
        (&p, "2026-11-30T09:00:00Z", "2026-11-30T10:00:00Z"), // next week
    ] {
        admin.create_entry(&EntryReq::new(proj, start, end)).await;
    }
    let t = admin.timesheet("2026-11-26").await;
    assert_eq!(t.week_start, "2026-11-23");
    assert_eq!(t.days[6], "2026-11-29");
    assert_eq!(t.rows[0].project_name, "Dev");
    assert_eq!(t.rows[1].seconds, [5400, 0, 3600, 3600, 0, 0, 0]);
    assert_eq!(t.day_totals, [5400, 3600, 3600, 3600, 0, 0, 0]);
    assert_eq!(t.total, 16200);
    let listed = admin.list_entries("from=2026-11-23&to=2026-11-29").await;
    assert_eq!(listed.total_seconds, 16200, "the grid and the list agree");
}

#[tokio::test]
async fn partial_seconds_across_midnight_are_counted_once_by_the_list_the_grid_and_the_export() {
    let s = Server::start();
    let admin = s.setup_admin().await; // Europe/London, UTC+0 in November
    let p = admin.create_project(&ProjectReq::named("Ops")).await.id;
    // 1.2 s from half a second before Wednesday's midnight: one whole second (cut at midnight,
    // each piece on its own had none).
    let (start, end) = ("2026-11-25T23:59:59.500Z", "2026-11-26T00:00:00.700Z");
    let e = admin.create_entry(&EntryReq::new(&p, start, end)).await;
    assert_eq!(e.duration_seconds, 1);
    let t = admin.timesheet("2026-11-26").await;
    assert_eq!(t.day_totals, [0, 0, 0, 1, 0, 0, 0]);
    assert_eq!(t.total, 1, "the grid counted each day's piece on its own");
    let listed = admin.list_entries("from=2026-11-25&to=2026-11-26").await;
    assert_eq!(listed.total_seconds, 1);
    let mut zip = admin.my_data_zip().await;
    let mut rows = csv::Reader::from_reader(zip.by_name("entries.csv").unwrap());
    let headers = rows.headers().unwrap().clone();
    let col = headers
        .iter()
        .position(|h| h == "duration_seconds")
        .unwrap();
    let total: i64 = (rows.records())
        .map(|r| r.unwrap()[col].parse::<i64>().unwrap())
        .sum();
    assert_eq!(total, 1, "the export agrees");
}

#[tokio::test]
async fn typing_in_a_cell_creates_adjusts_and_removes_that_days_entry() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = admin.create_project(&ProjectReq::named("Ops")).await.id;
    let t = admin.set_cell(&cell(&p, None, 5400)).await;
    assert_eq!(t.rows[0].seconds[1], 5400);
    let day = admin.list_entries("from=2026-11-24").await;
    assert_eq!(
        day.items[0].start, "2026-11-24T09:00:00Z",
        "a new cell starts at 09:00 local"
    );
    assert_eq!(
        day.items[0].duration_seconds, 5400,
        "the cell shows up in the entries list"
    );
    assert_eq!(
        admin.set_cell(&cell(&p, None, 7200)).await.rows[0].seconds[1],
        7200
    );
    assert_eq!(
        admin.set_cell(&cell(&p, None, 1800)).await.rows[0].seconds[1],
        1800
    );
    assert_eq!(admin.list_entries("from=2026-11-24").await.items.len(), 1);
    assert!(admin.set_cell(&cell(&p, None, 0)).await.rows.is_empty());
    assert!(admin.list_entries("from=2026-11-24").await.items.is_empty());

    // Two entries of 30 min each cannot become 10 min without losing one.
    for h in [9, 11] {
        let (start, end) = (
            format!("2026-11-24T{h:02}:00:00Z"),
            format!("2026-11-24T{h:02}:30:00Z"),
        );
        admin.create_entry(&EntryReq::new(&p, &start, &end)).await;
    }
    let r = admin.put_cell(&cell(&p, None, 600)).await;
    assert_eq!((r.status, r.code()), (409, "timesheet.cell_ambiguous"));
    let r = admin.put_cell(&cell(&p, None, 90_000)).await;
    assert_eq!(
        (r.status, r.body["errors"][0]["code"].as_str()),
        (422, Some("out_of_range"))
    );
}

#[tokio::test]
async fn tasks_get_their_own_rows_and_cells_and_the_list_filters_by_task() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = admin.create_project(&ProjectReq::named("Ops")).await.id;
    let task = admin
        .create_task(&p, &TaskReq::titled("Rotate keys"))
        .await
        .id;
    admin.set_cell(&cell(&p, None, 3600)).await;
    let t = admin.set_cell(&cell(&p, Some(&task), 1800)).await;
    let rows = &t.rows;
    assert_eq!(rows.len(), 2, "the project row and its task row: {t:?}");
    assert_eq!(rows[0].task_id, None);
    assert_eq!(
        rows[0].seconds[1], 3600,
        "the task cell left the other row alone"
    );
    assert_eq!(rows[1].task_title.as_deref(), Some("Rotate keys"));
    assert_eq!(rows[1].seconds[1], 1800);
    assert_eq!(t.day_totals[1], 5400);

    let on_task = admin
        .list_entries(&format!("from=2026-11-24&task_id={task}"))
        .await;
    assert_eq!(on_task.items.len(), 1);
    let e = &on_task.items[0];
    assert_eq!(e.task_id.as_deref(), Some(task.as_str()));
    assert_eq!(e.task_title.as_deref(), Some("Rotate keys"));
    assert_eq!(e.user_name.as_deref(), Some("Ada Admin"));
    assert_eq!(e.client_name, None);
    assert_eq!(on_task.total_seconds, 1800);

    let bad = admin.put_cell(&cell(&p, Some("nope"), 60)).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let other = admin.create_project(&ProjectReq::named("Dev")).await.id;
    let wrong = admin.put_cell(&cell(&other, Some(&task), 60)).await;
    assert_eq!(wrong.status, 404, "{}", wrong.body);
    assert_eq!(wrong.body["code"], "task.not_found");
}

#[tokio::test]
async fn a_cell_with_a_running_timer_is_not_adjusted() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = admin.create_project(&ProjectReq::named("Ops")).await.id;
    let started = admin.start_timer(&EntryReq::timer(&p)).await;
    let today = started.started.start[..10].to_owned();
    let r = admin
        .put_cell(&CellReq {
            date: today.clone(),
            ..cell(&p, None, 7200)
        })
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.code(), "timesheet.timer_running");
    let day = admin.list_entries(&format!("from={today}")).await;
    assert_eq!(day.items.len(), 1, "nothing was added");
}
