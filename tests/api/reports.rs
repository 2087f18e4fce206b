//! Reports (`/api/v1/reports/summary`): totals checked against entries made in the test, for
//! each grouping and filter, who sees whose time, and the one rule for durations (a week's
//! report equals that week's timesheet and list).

use serde_json::{json, Value};

use crate::helpers::{Client, EntryReq, ProjectReq, Server};

const WEEK: &str = "from=2026-11-23&to=2026-11-29";

async fn summary(c: &Client, query: &str) -> Value {
    let r = c.get(&format!("/api/v1/reports/summary?{query}")).await;
    assert_eq!(r.status, 200, "{query}: {}", r.body);
    r.body
}

/// `(label, seconds)` of a report's rows.
fn rows(report: &Value) -> Vec<(String, i64)> {
    (report["rows"].as_array().unwrap().iter())
        .map(|r| {
            (
                r["key"]["label"].as_str().unwrap().to_owned(),
                r["seconds"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// A team: Ada (admin, London) on Backups (billable at €90/h, client Acme) and Website
/// (not billable), Grace managing Backups, Alan a member of both, Kate an auditor.
struct Team {
    admin: Client,
    grace: Client,
    alan: Client,
    alan_id: String,
    kate: Client,
    backups: String,
    website: String,
    acme: String,
}

async fn team(s: &Server) -> Team {
    let admin = s.setup_admin().await;
    let (grace, grace_id) = s
        .user_with_role(&admin, "grace@example.com", "manager")
        .await;
    let (alan, alan_id) = s.user_with_role(&admin, "alan@example.com", "member").await;
    let (kate, _) = s
        .user_with_role(&admin, "kate@example.com", "auditor")
        .await;
    let acme = admin.create_client("Acme").await.id;
    let backups = admin
        .create_project(&ProjectReq {
            client_id: Some(acme.clone()),
            billable: Some(true),
            rate_cents: Some(9000),
            currency: Some("EUR".into()),
            manager_ids: Some(vec![grace_id.clone()]),
            ..ProjectReq::named("Backups").members(&[&alan_id])
        })
        .await
        .id;
    let website = admin
        .create_project(&ProjectReq {
            billable: Some(false),
            ..ProjectReq::named("Website").members(&[&alan_id])
        })
        .await
        .id;
    Team {
        admin,
        grace,
        alan,
        alan_id,
        kate,
        backups,
        website,
        acme,
    }
}

impl Team {
    /// Ada's 2 h on Backups on Monday 23 November (#ops), Alan's 1.5 h on Backups on Tuesday
    /// (#OPS #db: a tag in another letter case), and Alan's 4 h on Website (not billable)
    /// from 13:00 on `website_day`.
    async fn three_entries(&self, website_day: &str) {
        let t = self;
        entry(
            &t.admin,
            &t.backups,
            "2026-11-23T09:00:00Z",
            "2026-11-23T11:00:00Z",
            &["ops"],
        )
        .await;
        entry(
            &t.alan,
            &t.backups,
            "2026-11-24T09:00:00Z",
            "2026-11-24T10:30:00Z",
            &["OPS", "db"],
        )
        .await;
        let (start, end) = (
            format!("{website_day}T13:00:00Z"),
            format!("{website_day}T17:00:00Z"),
        );
        entry(&t.alan, &t.website, &start, &end, &[]).await;
    }
}

async fn entry(c: &Client, project: &str, start: &str, end: &str, tags: &[&str]) {
    c.create_entry(
        &EntryReq::new(project, start, end)
            .tags(tags)
            .note("rotated keys"),
    )
    .await;
}

#[tokio::test]
async fn a_week_grouped_by_project_and_user_sums_time_money_and_days() {
    let s = Server::start();
    let t = team(&s).await;
    t.three_entries("2026-11-25").await;
    // Sunday 23:00 to Monday 01:00: one hour in this week, one in the next.
    entry(
        &t.admin,
        &t.website,
        "2026-11-29T23:00:00Z",
        "2026-11-30T01:00:00Z",
        &[],
    )
    .await;

    let r = summary(&t.admin, &format!("{WEEK}&group=project,user")).await;
    assert_eq!(r["time_zone"], "Europe/London");
    assert_eq!(r["total"]["seconds"], 30_600);
    assert_eq!(r["total"]["billable_seconds"], 12_600);
    assert_eq!(
        r["total"]["amounts"],
        json!([{ "currency": "EUR", "cents": 31_500 }])
    );
    assert_eq!(r["total"]["entries"], 4);
    assert_eq!(
        rows(&r),
        [("Website".into(), 18_000), ("Backups".into(), 12_600)]
    );
    let backups = &r["rows"][1];
    assert_eq!(backups["key"]["kind"], "project");
    assert_eq!(backups["key"]["id"], t.backups.as_str());
    assert!(backups["key"]["color"].as_str().unwrap().starts_with('#'));
    assert_eq!(
        rows(backups),
        [("Ada Admin".into(), 7200), ("User member".into(), 5400)]
    );
    let days: Vec<i64> = (r["days"].as_array().unwrap().iter())
        .map(|d| d["seconds"].as_i64().unwrap())
        .collect();
    assert_eq!(days, [7200, 5400, 14_400, 0, 0, 0, 3600]);
    assert_eq!(r["days"][0]["date"], "2026-11-23");

    // The same week's timesheet agrees (the entries list counts whole entries by start day).
    let sheet = t.admin.timesheet("2026-11-26").await;
    let mine = summary(
        &t.admin,
        &format!("{WEEK}&group=&user_id={}", admin_id(&t).await),
    )
    .await;
    assert_eq!(mine["total"]["seconds"].as_i64().unwrap(), sheet.total);
    assert_eq!(mine["rows"], json!([]), "a blank grouping: the total only");
}

async fn admin_id(t: &Team) -> String {
    t.admin.me().await.id
}

#[tokio::test]
async fn every_grouping_gives_rows_whose_sums_are_the_total() {
    let s = Server::start();
    let t = team(&s).await;
    t.three_entries("2026-11-30").await;
    let range = "from=2026-11-01&to=2026-12-31";
    for (group, expect) in [
        ("client", vec![("(no client)", 14_400), ("Acme", 12_600)]),
        (
            "tag",
            vec![("(no tag)", 14_400), ("ops", 12_600), ("db", 5400)],
        ),
        ("task", vec![("(no task)", 27_000)]),
        ("week", vec![("2026-11-23", 12_600), ("2026-11-30", 14_400)]),
        ("month", vec![("2026-11", 27_000)]),
        (
            "day",
            vec![
                ("2026-11-23", 7200),
                ("2026-11-24", 5400),
                ("2026-11-30", 14_400),
            ],
        ),
    ] {
        let r = summary(&t.admin, &format!("{range}&group={group}")).await;
        let got = rows(&r);
        let want: Vec<(String, i64)> = expect.iter().map(|(l, s)| (l.to_string(), *s)).collect();
        assert_eq!(got, want, "{group}");
        assert_eq!(
            r["total"]["seconds"], 27_000,
            "{group}: the total counts each entry once"
        );
    }
}

#[tokio::test]
async fn filters_keep_only_what_they_name() {
    let s = Server::start();
    let t = team(&s).await;
    t.three_entries("2026-11-25").await;
    let total = |r: Value| r["total"]["seconds"].as_i64().unwrap();
    let a = &t.admin;
    assert_eq!(
        total(summary(a, &format!("{WEEK}&project_id={}", t.backups)).await),
        12_600
    );
    assert_eq!(
        total(summary(a, &format!("{WEEK}&client_id={}", t.acme)).await),
        12_600
    );
    assert_eq!(
        total(summary(a, &format!("{WEEK}&user_id={}", t.alan_id)).await),
        19_800
    );
    let both = format!("{WEEK}&project_id={},{}", t.backups, t.website);
    assert_eq!(total(summary(a, &both).await), 27_000);
    assert_eq!(total(summary(a, &format!("{WEEK}&tag=ops")).await), 12_600);
    assert_eq!(
        total(summary(a, &format!("{WEEK}&tag=db,nothing")).await),
        5400
    );
    assert_eq!(
        total(summary(a, &format!("{WEEK}&billable=false")).await),
        14_400
    );
    assert_eq!(
        total(summary(a, &format!("{WEEK}&q=ROTATED")).await),
        27_000
    );
    assert_eq!(total(summary(a, &format!("{WEEK}&q=nowhere")).await), 0);
}

#[tokio::test]
async fn each_role_sees_the_time_it_may_read_and_reading_others_is_recorded() {
    let s = Server::start();
    let t = team(&s).await;
    t.three_entries("2026-11-25").await;
    let total = |r: Value| r["total"]["seconds"].as_i64().unwrap();
    // Alan: his own (Backups and Website); Grace: everyone's on Backups, which she manages;
    // Kate (auditor) and Ada: everyone's.
    assert_eq!(total(summary(&t.alan, WEEK).await), 19_800);
    assert_eq!(total(summary(&t.grace, WEEK).await), 12_600);
    assert_eq!(total(summary(&t.kate, WEEK).await), 27_000);
    assert_eq!(total(summary(&t.admin, WEEK).await), 27_000);
    // A member naming someone else sees nothing of theirs.
    let other = format!("{WEEK}&user_id={}", admin_id(&t).await);
    assert_eq!(total(summary(&t.alan, &other).await), 0);

    let log = t.admin.get("/api/v1/audit?action=data.accessed").await;
    let what: Vec<&str> = (log.body["items"].as_array().unwrap().iter())
        .filter_map(|e| e["body"]["what"].as_str())
        .collect();
    assert_eq!(
        what.iter()
            .filter(|w| **w == "time entries (report)")
            .count(),
        3,
        "Grace's, Kate's and Ada's reads are recorded; Alan read only his own: {what:?}"
    );
}

#[tokio::test]
async fn bad_ranges_and_groupings_are_refused_with_the_field_named() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    // The schema states the forms (patterns); the server says which field is wrong and why.
    for (query, field, why) in [
        ("from=2026-11-10&to=2026-11-01", "to", "before_from"),
        ("from=2025-01-01&to=2026-01-02", "to", "too_long"),
        ("group=project,project", "group", "repeated"),
        ("group=client,project,user", "group", "invalid"),
        ("group=nope", "group", "invalid"),
        (
            "user_id=01a24579-d1f1-7f33-9744-60ff2727a200,nope",
            "user_id",
            "invalid",
        ),
    ] {
        let r = admin.get(&format!("/api/v1/reports/summary?{query}")).await;
        assert_eq!(
            (r.status, r.code()),
            (422, "validation.failed"),
            "{query}: {}",
            r.body
        );
        let (_, _, f, code) = r.field_error();
        assert_eq!((f, code), (field, why), "{query}");
    }
    // Without dates: this week, Monday to Sunday.
    let r = summary(&admin, "").await;
    assert_eq!(r["days"].as_array().unwrap().len(), 7);
    assert_eq!(r["group"], json!(["project"]));
}

#[tokio::test]
async fn person_pickers_offer_by_name_whose_time_each_may_read() {
    let s = Server::start();
    let t = team(&s).await;
    async fn names(c: &Client) -> Vec<String> {
        let r = c.get("/api/v1/people").await;
        assert_eq!(r.status, 200, "{}", r.body);
        (r.body["items"].as_array().unwrap().iter())
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    }
    let everyone = ["Ada Admin", "User auditor", "User manager", "User member"];
    assert_eq!(names(&t.admin).await, everyone);
    assert_eq!(
        names(&t.kate).await,
        everyone,
        "an auditor reads everyone's time"
    );
    // Grace manages Backups, where Alan is a member.
    assert_eq!(names(&t.grace).await, ["User manager", "User member"]);
    assert_eq!(names(&t.alan).await, ["User member"]);
}
