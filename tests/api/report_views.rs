//! The dashboard (`/api/v1/dashboard`), the detailed report (`/api/v1/reports/detailed`) and
//! the weekly report (`/api/v1/reports/weekly`): figures checked against entries made in the
//! test, on a server whose clock is held at Wednesday 25 November 2026, 12:00 UTC, so "this
//! week" and "last week" are fixed. Also overlap flags and the summary's count of them, who
//! sees whose time, and the recording of reads of other people's time.

use serde_json::Value;

use crate::helpers::{link_token, Client, EntryReq, ProjectReq, UserReq, PASSWORD};
use crate::inproc::{spawn_with, InProc};
use ophiontt::clock::FixedClock;

/// Wednesday 2026-11-25 12:00 UTC.
const NOW: i64 = 1_795_608_000_000;
const MIN: i64 = 60_000;
const WEEK: &str = "from=2026-11-23&to=2026-11-29";

/// Admin A; Grace managing Backups; Alan on Backups and Website; Bob on Backups (tracks
/// nothing); Kate an auditor. Every zone UTC.
struct World {
    _p: InProc,
    admin: Client,
    grace: Client,
    alan: Client,
    alan_id: String,
    bob: Client,
    kate: Client,
    backups: String,
    website: String,
}

async fn person(p: &InProc, admin: &Client, name: &str, role: &str) -> (Client, String) {
    let email = format!("{}@example.com", name.to_lowercase());
    let created = admin
        .create_user(&UserReq::new(name, &email, role, "UTC"))
        .await;
    let c = Client::new(&p.base);
    let token = link_token(&created.reset_link.url);
    let r = c
        .post(
            "/api/v1/password-reset",
            serde_json::json!({ "token": token, "new_password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(c.login(&email, PASSWORD).await.status, 200);
    (c, created.user.id)
}

async fn entry(c: &Client, project: &str, start: &str, end: &str, note: &str) -> String {
    c.create_entry(&EntryReq::new(project, start, end).note(note))
        .await
        .id
}

/// The team with its time: this week Alan 2 h on Backups on Monday, 1 h on Website on
/// Tuesday, 1.5 h on Backups from 08:00 on Wednesday overlapping 1 h on Website from 09:00,
/// and a timer on Backups running since 11:30; A 1 h on Website on Tuesday. Last week Alan
/// 3 h on Monday, 2 h from 11:00 on Wednesday (half of it before Wednesday noon) and 1 h on
/// Friday.
async fn world() -> World {
    let clock = FixedClock::new(NOW - 30 * MIN);
    let p = spawn_with(clock.clone(), |_| {}).await;
    let admin = p.admin().await;
    let (grace, grace_id) = person(&p, &admin, "Grace", "manager").await;
    let (alan, alan_id) = person(&p, &admin, "Alan", "member").await;
    let (bob, bob_id) = person(&p, &admin, "Bob", "member").await;
    let (kate, _) = person(&p, &admin, "Kate", "auditor").await;
    let backups = admin
        .create_project(&ProjectReq {
            manager_ids: Some(vec![grace_id]),
            ..ProjectReq::named("Backups").members(&[&alan_id, &bob_id])
        })
        .await
        .id;
    let website = admin
        .create_project(&ProjectReq::named("Website").members(&[&alan_id]))
        .await
        .id;
    let (b, w) = (&backups, &website);
    for (project, start, end, note) in [
        (
            b,
            "2026-11-16T09:00:00Z",
            "2026-11-16T12:00:00Z",
            "last monday",
        ),
        (
            b,
            "2026-11-18T11:00:00Z",
            "2026-11-18T13:00:00Z",
            "last wednesday",
        ),
        (
            w,
            "2026-11-20T09:00:00Z",
            "2026-11-20T10:00:00Z",
            "last friday",
        ),
        (
            b,
            "2026-11-23T09:00:00Z",
            "2026-11-23T11:00:00Z",
            "rotated keys",
        ),
        (
            w,
            "2026-11-24T09:00:00Z",
            "2026-11-24T10:00:00Z",
            "new page",
        ),
        (
            b,
            "2026-11-25T08:00:00Z",
            "2026-11-25T09:30:00Z",
            "restore test",
        ),
        (
            w,
            "2026-11-25T09:00:00Z",
            "2026-11-25T10:00:00Z",
            "fixed typo",
        ),
    ] {
        entry(&alan, project, start, end, note).await;
    }
    entry(
        &admin,
        w,
        "2026-11-24T13:00:00Z",
        "2026-11-24T14:00:00Z",
        "review",
    )
    .await;
    alan.start_timer(&EntryReq::timer(b)).await;
    clock.advance(30 * MIN);
    World {
        _p: p,
        admin,
        grace,
        alan,
        alan_id,
        bob,
        kate,
        backups,
        website,
    }
}

async fn get(c: &Client, path: &str) -> Value {
    let r = c.get(path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

fn names(list: &Value) -> Vec<&str> {
    (list.as_array().unwrap().iter())
        .map(|p| p["name"].as_str().unwrap())
        .collect()
}

fn seconds_of<'a>(list: &'a Value, name: &str) -> &'a Value {
    let person = (list.as_array().unwrap().iter()).find(|p| p["name"] == name);
    &person.unwrap_or_else(|| panic!("{name} in {list}"))["seconds"]
}

#[tokio::test(flavor = "multi_thread")]
async fn a_members_dashboard_compares_weeks_fairly_and_has_no_team_part() {
    let w = world().await;
    let d = get(&w.alan, "/api/v1/dashboard").await;
    assert_eq!(
        (d["week_from"].as_str(), d["week_to"].as_str()),
        (Some("2026-11-23"), Some("2026-11-29"))
    );
    assert_eq!(d["today"], "2026-11-25");
    // 2 h + 1 h + 1.5 h + 1 h + the running half hour.
    assert_eq!(d["this_week_seconds"], 21_600);
    assert_eq!(d["last_week_seconds"], 21_600);
    // Up to last Wednesday noon: Monday's 3 h and the first hour of Wednesday's two.
    assert_eq!(d["last_week_to_date_seconds"], 14_400);
    let days: Vec<i64> = (d["days"].as_array().unwrap().iter())
        .map(|x| x["seconds"].as_i64().unwrap())
        .collect();
    assert_eq!(days, vec![7_200, 3_600, 10_800, 0, 0, 0, 0]);
    assert_eq!(d["days"][0]["date"], "2026-11-23");
    let top: Vec<(&str, i64)> = (d["top_projects"].as_array().unwrap().iter())
        .map(|p| (p["name"].as_str().unwrap(), p["seconds"].as_i64().unwrap()))
        .collect();
    assert_eq!(top, vec![("Backups", 14_400), ("Website", 7_200)]);
    assert_eq!(d["top_projects"][0]["project_id"], w.backups.as_str());
    assert_eq!(d["running"]["project_name"], "Backups");
    assert!(d["running"]["end"].is_null());
    assert!(d["team"].is_null(), "members get no team part: {d}");
    // Bob tracked nothing: zeros, no timer, and still no team part.
    let d = get(&w.bob, "/api/v1/dashboard").await;
    assert_eq!(
        (
            d["this_week_seconds"].as_i64(),
            d["last_week_seconds"].as_i64()
        ),
        (Some(0), Some(0))
    );
    assert!(d["running"].is_null() && d["team"].is_null());
    assert_eq!(d["top_projects"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn managers_see_their_projects_people_and_admins_everyone_who_tracks_time() {
    let w = world().await;
    // Grace: the people of Backups, with their time on Backups only.
    let team = get(&w.grace, "/api/v1/dashboard").await["team"].clone();
    assert_eq!(names(&team["people"]), vec!["Alan", "Bob", "Grace"]);
    assert_eq!(*seconds_of(&team["people"], "Alan"), 14_400);
    let alan = &team["people"][0];
    assert_eq!(alan["user_id"], w.alan_id.as_str());
    assert_eq!(
        alan["days"],
        serde_json::json!([7_200, 0, 7_200, 0, 0, 0, 0])
    );
    assert_eq!(names(&team["not_tracked"]), vec!["Bob", "Grace"]);
    // A: everyone who tracks time (not Kate, an auditor), all their time.
    let d = get(&w.admin, "/api/v1/dashboard").await;
    assert_eq!(d["this_week_seconds"], 3_600);
    let team = &d["team"];
    assert_eq!(names(&team["people"]), vec!["A", "Alan", "Bob", "Grace"]);
    assert_eq!(*seconds_of(&team["people"], "Alan"), 21_600);
    assert_eq!(names(&team["not_tracked"]), vec!["Bob", "Grace"]);
    // Kate reads everyone's time too, and tracks none herself.
    let d = get(&w.kate, "/api/v1/dashboard").await;
    assert_eq!(
        names(&d["team"]["people"]),
        vec!["A", "Alan", "Bob", "Grace"]
    );
    assert!(d["running"].is_null());
    // Grace's, A's and Kate's views of others' time are recorded; Alan's of his own is not.
    get(&w.alan, "/api/v1/dashboard").await;
    assert_eq!(reads(&w.admin, "time entries (dashboard)").await, 3);
}

/// How many `data.accessed` records say they read `what`.
async fn reads(admin: &Client, what: &str) -> usize {
    let log = get(admin, "/api/v1/audit?action=data.accessed&limit=200").await;
    (log["items"].as_array().unwrap().iter())
        .filter(|e| e["body"]["what"] == what)
        .count()
}

fn notes(page: &Value) -> Vec<&str> {
    (page["items"].as_array().unwrap().iter())
        .map(|e| e["note"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_detailed_report_pages_newest_first_and_flags_overlaps() {
    let w = world().await;
    let base = format!("/api/v1/reports/detailed?{WEEK}&user_id={}", w.alan_id);
    let first = get(&w.admin, &format!("{base}&limit=2")).await;
    assert_eq!(notes(&first), vec!["", "fixed typo"]);
    // The running timer: no end, its seconds up to now.
    assert!(first["items"][0]["end"].is_null());
    assert_eq!(first["items"][0]["seconds"], 1_800);
    assert_eq!(first["items"][1]["overlaps"], true);
    assert_eq!(first["items"][0]["overlaps"], false);
    assert_eq!(first["items"][1]["user_name"], "Alan");
    assert_eq!(first["items"][1]["project_name"], "Website");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = get(&w.admin, &format!("{base}&limit=2&cursor={cursor}")).await;
    assert_eq!(notes(&second), vec!["restore test", "new page"]);
    assert_eq!(second["items"][0]["overlaps"], true);
    assert_eq!(second["items"][0]["seconds"], 5_400);
    let cursor = second["next_cursor"].as_str().unwrap();
    let last = get(&w.admin, &format!("{base}&limit=2&cursor={cursor}")).await;
    assert_eq!(notes(&last), vec!["rotated keys"]);
    assert!(last["next_cursor"].is_null());
    // The totals cover every page, and match the summary of the same filters.
    assert_eq!(last["total"]["seconds"], 21_600);
    assert_eq!(last["total"]["entries"], 5);
    assert_eq!(last["overlapping_entries"], 2);
    let summary = get(
        &w.admin,
        &format!("/api/v1/reports/summary?{WEEK}&user_id={}", w.alan_id),
    )
    .await;
    assert_eq!(summary["total"]["seconds"], 21_600);
    assert_eq!(summary["overlapping_entries"], 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn detailed_filters_keep_what_they_name_and_overlaps_count_any_other_entry() {
    let w = world().await;
    let page = |q: String| {
        let admin = &w.admin;
        async move { get(admin, &format!("/api/v1/reports/detailed?{WEEK}&{q}")).await }
    };
    let backups = page(format!("project_id={}", w.backups)).await;
    assert_eq!(notes(&backups), vec!["", "restore test", "rotated keys"]);
    // Wednesday's Backups entry overlaps a Website entry the filter leaves out: still flagged.
    assert_eq!(backups["items"][1]["overlaps"], true);
    assert_eq!(backups["overlapping_entries"], 1);
    let summary = get(
        &w.admin,
        &format!("/api/v1/reports/summary?{WEEK}&project_id={}", w.backups),
    )
    .await;
    assert_eq!(summary["overlapping_entries"], 1);
    assert_eq!(notes(&page("q=TYPO".into()).await), vec!["fixed typo"]);
    let website = page(format!("project_id={}", w.website)).await;
    assert_eq!(notes(&website), vec!["fixed typo", "review", "new page"]);
    assert_eq!(website["total"]["seconds"], 10_800);
    // One day: an entry counts with its seconds on it.
    let tuesday = get(
        &w.admin,
        "/api/v1/reports/detailed?from=2026-11-24&to=2026-11-24",
    )
    .await;
    assert_eq!(notes(&tuesday), vec!["review", "new page"]);
    assert_eq!(tuesday["overlapping_entries"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_weekly_report_has_a_cell_per_person_and_day_with_totals() {
    let w = world().await;
    let r = get(&w.admin, "/api/v1/reports/weekly?week=2026-11-27").await;
    assert_eq!(
        (r["from"].as_str(), r["to"].as_str()),
        (Some("2026-11-23"), Some("2026-11-29"))
    );
    assert_eq!(names(&r["rows"]), vec!["A", "Alan"]);
    assert_eq!(
        r["rows"][0]["days"],
        serde_json::json!([0, 3_600, 0, 0, 0, 0, 0])
    );
    assert_eq!(
        r["rows"][1]["days"],
        serde_json::json!([7_200, 3_600, 10_800, 0, 0, 0, 0])
    );
    assert_eq!(r["rows"][1]["seconds"], 21_600);
    let columns: Vec<i64> = (r["days"].as_array().unwrap().iter())
        .map(|d| d["seconds"].as_i64().unwrap())
        .collect();
    assert_eq!(columns, vec![7_200, 7_200, 10_800, 0, 0, 0, 0]);
    assert_eq!(r["days"][6]["date"], "2026-11-29");
    assert_eq!(r["seconds"], 25_200);
    // Filters narrow it like the summary's.
    let r = get(
        &w.admin,
        &format!("/api/v1/reports/weekly?project_id={}", w.backups),
    )
    .await;
    assert_eq!(names(&r["rows"]), vec!["Alan"]);
    assert_eq!(r["seconds"], 14_400);
    // Last week, by any date in it.
    let r = get(&w.alan, "/api/v1/reports/weekly?week=2026-11-16").await;
    assert_eq!(
        r["rows"][0]["days"],
        serde_json::json!([10_800, 0, 7_200, 0, 3_600, 0, 0])
    );
}

async fn detailed(c: &Client) -> Value {
    get(c, &format!("/api/v1/reports/detailed?{WEEK}")).await["total"]["entries"].clone()
}

async fn weekly(c: &Client) -> String {
    names(&get(c, "/api/v1/reports/weekly").await["rows"]).join(",")
}

#[tokio::test(flavor = "multi_thread")]
async fn each_role_sees_the_time_it_may_read_in_both_reports_and_reads_are_recorded() {
    let w = world().await;
    assert_eq!(detailed(&w.alan).await, 5);
    assert_eq!(detailed(&w.grace).await, 3, "Backups only");
    assert_eq!(detailed(&w.bob).await, 0);
    assert_eq!(detailed(&w.kate).await, 6);
    assert_eq!(detailed(&w.admin).await, 6);
    assert_eq!(weekly(&w.alan).await, "Alan");
    assert_eq!(weekly(&w.grace).await, "Alan");
    assert_eq!(weekly(&w.bob).await, "");
    assert_eq!(weekly(&w.kate).await, "A,Alan");
    // Grace's, Kate's and A's reads of others' time; Alan's and Bob's were their own.
    assert_eq!(reads(&w.admin, "time entries (detailed report)").await, 3);
    assert_eq!(reads(&w.admin, "time entries (weekly report)").await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_cursors_and_weeks_are_refused_with_the_field_named() {
    let w = world().await;
    for (path, field) in [
        ("/api/v1/reports/detailed?cursor=bm9wZQ", "cursor"),
        (
            "/api/v1/reports/detailed?from=2026-11-10&to=2026-11-01",
            "to",
        ),
        ("/api/v1/reports/weekly?week=2026-13-01", "week"),
        ("/api/v1/reports/weekly?user_id=nope", "user_id"),
    ] {
        let r = w.admin.get(path).await;
        assert_eq!(
            (r.status, r.code()),
            (422, "validation.failed"),
            "{path}: {}",
            r.body
        );
        assert_eq!(r.body["errors"][0]["field"], field, "{path}: {}", r.body);
    }
    // A page size out of range is moved into 1–2000, as the entries list does.
    let r = get(
        &w.admin,
        &format!("/api/v1/reports/detailed?{WEEK}&limit=0"),
    )
    .await;
    assert_eq!(r["items"].as_array().unwrap().len(), 1);
}
