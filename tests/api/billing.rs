//! Money: rates from a date for the project, a member or a task (the most specific in force
//! wins), rounding per instance or project, currencies kept apart, and budgets and estimates
//! against all of a project's time. Every figure is checked against entries made here.

use serde_json::{json, Value};

use crate::helpers::{Client, EntryReq, ProjectReq, Server, TaskReq};

const NOVEMBER: &str = "from=2026-11-01&to=2026-11-30";

/// Ada (admin, London) with Alan (member) and Grace (manager) on one billable project.
struct Shop {
    admin: Client,
    alan: Client,
    alan_id: String,
    grace: Client,
    project: String,
}

async fn shop(s: &Server, rate: i64, currency: &str) -> Shop {
    let admin = s.setup_admin().await;
    let (alan, alan_id) = s.user_with_role(&admin, "alan@example.com", "member").await;
    let (grace, grace_id) = s
        .user_with_role(&admin, "grace@example.com", "manager")
        .await;
    let project = admin
        .create_project(&ProjectReq {
            billable: Some(true),
            rate_cents: Some(rate),
            currency: Some(currency.into()),
            manager_ids: Some(vec![grace_id]),
            ..ProjectReq::named("Backups").members(&[&alan_id])
        })
        .await
        .id;
    Shop {
        admin,
        alan,
        alan_id,
        grace,
        project,
    }
}

async fn entry(c: &Client, project: &str, start: &str, end: &str) -> String {
    c.create_entry(&EntryReq::new(project, start, end)).await.id
}

async fn total(c: &Client, query: &str) -> Value {
    let r = c.get(&format!("/api/v1/reports/summary?{query}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["total"].clone()
}

fn cents(total: &Value, currency: &str) -> i64 {
    (total["amounts"].as_array().unwrap().iter())
        .find(|a| a["currency"] == currency)
        .map_or(0, |a| a["cents"].as_i64().unwrap())
}

#[tokio::test]
async fn the_rate_in_force_at_each_entry_prices_it_task_then_member_then_project() {
    let s = Server::start();
    let t = shop(&s, 10_000, "EUR").await;
    let task = t
        .admin
        .create_task(
            &t.project,
            &TaskReq {
                title: Some("Restore drill".into()),
                ..TaskReq::default()
            },
        )
        .await
        .id;
    // One hour each: before the project's change, after it, Alan's, and Alan's on the task.
    entry(
        &t.admin,
        &t.project,
        "2026-11-02T09:00:00Z",
        "2026-11-02T10:00:00Z",
    )
    .await;
    entry(
        &t.admin,
        &t.project,
        "2026-11-10T09:00:00Z",
        "2026-11-10T10:00:00Z",
    )
    .await;
    let alans = entry(
        &t.alan,
        &t.project,
        "2026-11-10T11:00:00Z",
        "2026-11-10T12:00:00Z",
    )
    .await;
    t.alan
        .create_entry(
            &EntryReq::new(&t.project, "2026-11-10T13:00:00Z", "2026-11-10T14:00:00Z").task(&task),
        )
        .await;
    let rates = json!({ "items": [
        { "scope": "project", "from": "2026-11-09", "rate_cents": 12_000 },
        { "scope": "member", "user_id": t.alan_id, "from": "2026-11-01", "rate_cents": 8_000 },
        { "scope": "task", "task_id": task, "from": "2026-11-01", "rate_cents": 20_000 },
    ]});
    let path = format!("/api/v1/projects/{}/rates", t.project);

    // Who may set them: not a member; the project's manager may.
    assert_eq!(t.alan.put(&path, rates.clone()).await.status, 403);
    let r = t.grace.put(&path, rates).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["rates"].as_array().unwrap().len(), 3);
    let member_rate = (r.body["rates"].as_array().unwrap().iter())
        .find(|x| x["scope"] == "member")
        .unwrap();
    assert_eq!(member_rate["label"], "User member");
    assert_eq!(member_rate["from"], "2026-11-01");

    let sum = total(&t.admin, NOVEMBER).await;
    assert_eq!(cents(&sum, "EUR"), 10_000 + 12_000 + 8_000 + 20_000);
    // An entry reads with the rate in force for it.
    let listed = t
        .alan
        .get("/api/v1/entries?from=2026-11-10&to=2026-11-10")
        .await;
    let alans = (listed.body["items"].as_array().unwrap().iter())
        .find(|e| e["id"] == alans.as_str())
        .unwrap();
    assert_eq!(alans["rate_cents"], 8_000);
    // Members do not read each other's rates.
    let seen = t.alan.get("/api/v1/projects").await.body["items"][0].clone();
    assert!(seen.get("rates").is_none(), "{seen}");
}

#[tokio::test]
async fn rate_changes_are_checked_whole() {
    let s = Server::start();
    let t = shop(&s, 10_000, "EUR").await;
    let path = format!("/api/v1/projects/{}/rates", t.project);
    let put = |body: Value| {
        let (c, p) = (&t.admin, path.clone());
        async move { c.put(&p, body).await }
    };
    let r = put(json!({ "items": [
        { "scope": "project", "from": "2026-11-09", "rate_cents": 1 },
        { "scope": "project", "from": "2026-11-09", "rate_cents": 2 },
    ]}))
    .await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "rates", "repeated")
    );
    let stranger = uuid_like();
    let r = put(json!({ "items": [
        { "scope": "member", "user_id": stranger, "from": "2026-11-09", "rate_cents": 1 },
    ]}))
    .await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "rates", "not_member")
    );
    let r =
        put(json!({ "items": [{ "scope": "task", "from": "2026-11-09", "rate_cents": 1 }]})).await;
    assert_eq!(r.field_error().3, "required");
    // Nothing was kept from the refused ones.
    let ok = put(json!({ "items": [] })).await;
    assert_eq!(
        (ok.status, ok.body["rates"].as_array().unwrap().len()),
        (200, 0)
    );
}

fn uuid_like() -> String {
    "01900000-0000-7000-8000-0000000000ff".into()
}

#[tokio::test]
async fn rounding_rounds_billed_time_per_entry_or_per_day_and_prices_it() {
    let s = Server::start_with_env(&[("OPHIONTT_BILLING_ROUNDING", "up 6 per entry")]);
    let t = shop(&s, 6_000, "EUR").await;
    // 7 and 8 minutes on one day.
    entry(
        &t.admin,
        &t.project,
        "2026-11-02T09:00:00Z",
        "2026-11-02T09:07:00Z",
    )
    .await;
    entry(
        &t.admin,
        &t.project,
        "2026-11-02T10:00:00Z",
        "2026-11-02T10:08:00Z",
    )
    .await;
    let project = format!("/api/v1/projects/{}", t.project);

    // The instance's default: up to 6 minutes per entry → 12 + 12.
    let sum = total(&t.admin, NOVEMBER).await;
    assert_eq!(
        (sum["seconds"].as_i64(), sum["rounded_seconds"].as_i64()),
        (Some(900), Some(1440))
    );
    assert_eq!(cents(&sum, "EUR"), 2_400, "24 minutes at 60.00");

    for (rounding, rounded) in [
        ("up 15 per entry", 1_800),
        ("up 15 per day", 900),
        ("nearest 30 per day", 1_800),
        ("down 10 per entry", 0),
        ("none", 900),
    ] {
        let r = t
            .admin
            .patch(&project, json!({ "rounding": rounding }))
            .await;
        assert_eq!(
            (r.status, r.body["rounding_in_force"].as_str()),
            (200, Some(rounding))
        );
        let sum = total(&t.admin, NOVEMBER).await;
        assert_eq!(sum["rounded_seconds"], rounded, "{rounding}");
        assert_eq!(sum["seconds"], 900, "tracked time never changes");
        assert_eq!(cents(&sum, "EUR"), rounded * 6_000 / 3600, "{rounding}");
    }
    // Back to the instance's.
    let r = t.admin.patch(&project, json!({ "rounding": null })).await;
    assert_eq!(r.body["rounding"], Value::Null);
    assert_eq!(r.body["rounding_in_force"], "up 6 per entry");
    let r = t
        .admin
        .patch(&project, json!({ "rounding": "up 7 per entry" }))
        .await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "rounding", "invalid")
    );
}

#[test]
fn an_unreadable_instance_rounding_is_refused_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(crate::helpers::BIN)
        .args(["check", "--data"])
        .arg(tmp.path())
        .env("OPHIONTT_BILLING_ROUNDING", "sideways 15 per entry")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("billing.rounding") && err.contains("up 15 per entry"),
        "{err}"
    );
}

#[tokio::test]
async fn currencies_are_summed_apart() {
    let s = Server::start();
    let t = shop(&s, 9_000, "EUR").await;
    let dollars = t
        .admin
        .create_project(&ProjectReq {
            billable: Some(true),
            rate_cents: Some(5_000),
            currency: Some("USD".into()),
            ..ProjectReq::named("Hosting")
        })
        .await
        .id;
    entry(
        &t.admin,
        &t.project,
        "2026-11-02T09:00:00Z",
        "2026-11-02T10:00:00Z",
    )
    .await;
    entry(
        &t.admin,
        &dollars,
        "2026-11-02T11:00:00Z",
        "2026-11-02T13:00:00Z",
    )
    .await;
    let sum = total(&t.admin, NOVEMBER).await;
    assert_eq!(sum["amounts"].as_array().unwrap().len(), 2);
    assert_eq!((cents(&sum, "EUR"), cents(&sum, "USD")), (9_000, 10_000));
}

#[tokio::test]
async fn budgets_and_estimates_count_all_of_a_projects_time_and_warn_at_their_share() {
    let s = Server::start();
    let t = shop(&s, 10_000, "EUR").await;
    let project = format!("/api/v1/projects/{}", t.project);
    let task = t
        .admin
        .create_task(
            &t.project,
            &TaskReq {
                title: Some("Restore drill".into()),
                estimate_secs: Some(7_200),
                ..TaskReq::default()
            },
        )
        .await
        .id;
    // 10 hours' budget, warning at half; 6 hours in two months, 3 of them on the task.
    let r = t
        .admin
        .patch(
            &project,
            json!({ "budget": { "seconds": 36_000, "alert_percent": 50 } }),
        )
        .await;
    assert_eq!(
        r.body["budget"],
        json!({ "seconds": 36_000, "alert_percent": 50 })
    );
    entry(
        &t.admin,
        &t.project,
        "2026-10-05T09:00:00Z",
        "2026-10-05T12:00:00Z",
    )
    .await;
    t.alan
        .create_entry(
            &EntryReq::new(&t.project, "2026-11-02T09:00:00Z", "2026-11-02T12:00:00Z").task(&task),
        )
        .await;

    // A member of the project reads it.
    let b = t.alan.get(&format!("{project}/budget")).await;
    assert_eq!(b.status, 200, "{}", b.body);
    assert_eq!(b.body["tracked_seconds"], 6 * 3600);
    assert_eq!(b.body["amount_cents"], 60_000);
    assert_eq!(
        b.body["usage"],
        json!({ "used": 21_600, "limit": 36_000, "percent": 60, "alert": true, "over": false })
    );
    let drill = &b.body["tasks"][0];
    assert_eq!(
        (drill["title"].as_str(), drill["tracked_seconds"].as_i64()),
        (Some("Restore drill"), Some(10_800))
    );
    assert_eq!(drill["usage"]["over"], true, "3 h against 2 h");

    // A November report shows the budget against all of the time, not only November's.
    let r = t
        .admin
        .get(&format!("/api/v1/reports/summary?{NOVEMBER}&group=project"))
        .await;
    assert_eq!(r.body["total"]["seconds"], 3 * 3600);
    assert_eq!(r.body["budgets"][0]["usage"]["used"], 21_600);

    // A money budget counts the billed amount.
    let r = t
        .admin
        .patch(&project, json!({ "budget": { "cents": 50_000 } }))
        .await;
    assert_eq!(
        r.body["budget"]["alert_percent"], 80,
        "the instance's share"
    );
    let b = t.admin.get(&format!("{project}/budget")).await;
    assert_eq!(
        (
            b.body["usage"]["percent"].as_i64(),
            b.body["usage"]["over"].as_bool()
        ),
        (Some(120), Some(true))
    );

    // Refused: both limits, none, zero; cleared with null.
    for (body, code) in [
        (json!({ "seconds": 1, "cents": 1 }), "invalid"),
        (json!({}), "invalid"),
    ] {
        let r = t.admin.patch(&project, json!({ "budget": body })).await;
        assert_eq!(r.field_error(), (422, "validation.failed", "budget", code));
    }
    let r = t.admin.patch(&project, json!({ "budget": null })).await;
    assert_eq!(r.body["budget"], Value::Null);

    // Someone not on the project does not learn it exists.
    let (outsider, _) = s
        .user_with_role(&t.admin, "olga@example.com", "member")
        .await;
    assert_eq!(outsider.get(&format!("{project}/budget")).await.status, 404);
}
