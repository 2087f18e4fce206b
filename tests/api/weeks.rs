//! Week approval (`/api/v1/weeks`, `/api/v1/approvals`): states and transitions, who may
//! decide, the queue and the missing weeks, approval turned off, the auto-lock job, erasure of
//! a locked week's owner. The lock on every write path, and the races, are in `weeks_lock.rs`.

use chrono::{Datelike, Days, NaiveDate, Utc};
use serde_json::{json, Value};

use crate::helpers::{Client, ProjectReq, Server};

/// The Monday of the current week (UTC) plus `weeks` weeks.
pub fn monday(weeks: i64) -> NaiveDate {
    let today = Utc::now().date_naive();
    let this = today - Days::new(today.weekday().num_days_from_monday() as u64);
    if weeks < 0 {
        this - Days::new((-weeks * 7) as u64)
    } else {
        this + Days::new((weeks * 7) as u64)
    }
}

/// `date` at `hh:mm` UTC, RFC 3339.
pub fn at(date: NaiveDate, hh: u32, mm: u32) -> String {
    format!("{date}T{hh:02}:{mm:02}:00Z")
}

/// A server with approval on, an admin, the member `mem` and the managers `mgr` (of Apollo,
/// where `mem` and `mgr` work) and `other` (of Zephyr).
pub struct Team {
    pub s: Server,
    pub admin: Client,
    pub mem: Client,
    pub mem_id: String,
    pub mgr: Client,
    pub mgr_id: String,
    pub other: Client,
    pub apollo: String,
}

impl Team {
    pub async fn new(env: &[(&str, &str)]) -> Team {
        let s = Server::start_with_env(env);
        let admin = s.setup_admin().await;
        let (mem, mem_id) = s.user_with_role(&admin, "mem@example.com", "member").await;
        let (mgr, mgr_id) = s.user_with_role(&admin, "mgr@example.com", "manager").await;
        let (other, other_id) = s
            .user_with_role(&admin, "other@example.com", "manager")
            .await;
        let apollo = admin
            .create_project(&ProjectReq {
                member_ids: Some(vec![mem_id.clone()]),
                manager_ids: Some(vec![mgr_id.clone()]),
                ..ProjectReq::named("Apollo")
            })
            .await
            .id;
        admin
            .create_project(&ProjectReq {
                manager_ids: Some(vec![other_id]),
                ..ProjectReq::named("Zephyr")
            })
            .await;
        Team {
            s,
            admin,
            mem,
            mem_id,
            mgr,
            mgr_id,
            other,
            apollo,
        }
    }

    pub async fn approval() -> Team {
        Team::new(&[("OPHIONTT_APPROVAL_ENABLED", "true")]).await
    }

    /// An entry of `c`'s on Apollo from `start` to `end`; returns its id.
    pub async fn entry(&self, c: &Client, start: &str, end: &str) -> String {
        let r = c
            .post(
                "/api/v1/entries",
                json!({ "project_id": self.apollo, "start": start, "end": end, "confirm": true }),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        r.body["id"].as_str().unwrap().to_owned()
    }
}

/// `POST path` with `body`, which must answer 200; returns the week.
pub async fn step(c: &Client, path: &str, body: Value) -> Value {
    let r = c.post(path, body).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

fn decide(user: &str, week: NaiveDate, what: &str) -> String {
    format!("/api/v1/weeks/{user}/{week}/{what}")
}

#[tokio::test]
async fn a_week_is_submitted_rejected_with_a_comment_submitted_again_approved_and_reopened() {
    // Arrange: an hour of the member's time last week.
    let t = Team::approval().await;
    let w = monday(-1);
    t.entry(&t.mem, &at(w, 9, 0), &at(w, 10, 0)).await;
    let submit = format!("/api/v1/weeks/{w}/submit");
    // Act and assert, step by step.
    let v = step(&t.mem, &submit, json!({ "comment": "all there" })).await;
    assert_eq!(
        (v["state"].as_str(), v["total_seconds"].as_i64()),
        (Some("submitted"), Some(3600))
    );
    assert_eq!(
        t.mem.post(&submit, json!({})).await.code(),
        "week.already_submitted"
    );
    let v = step(
        &t.mgr,
        &decide(&t.mem_id, w, "reject"),
        json!({ "comment": "Tuesday is missing" }),
    )
    .await;
    assert_eq!(v["state"], "rejected");
    // The member sees the reason on their timesheet.
    let sheet = t.mem.get(&format!("/api/v1/timesheet?week={w}")).await;
    assert_eq!(sheet.body["approval"]["state"], "rejected");
    assert_eq!(sheet.body["approval"]["comment"], "Tuesday is missing");
    assert_eq!(sheet.body["approval"]["can"]["submit"], true);
    assert_eq!(sheet.body["approval_enabled"], true);
    step(&t.mem, &submit, json!({})).await;
    let v = step(&t.mgr, &decide(&t.mem_id, w, "approve"), json!({})).await;
    assert_eq!(
        (v["state"].as_str(), v["locked"].as_bool()),
        (Some("approved"), Some(true))
    );
    assert_eq!(t.mem.post(&submit, json!({})).await.code(), "week.locked");
    let r = t
        .mgr
        .post(&decide(&t.mem_id, w, "reopen"), json!({ "reason": "  " }))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (422, "validation.failed"),
        "a blank reason"
    );
    let v = step(
        &t.mgr,
        &decide(&t.mem_id, w, "reopen"),
        json!({ "reason": "wrong project" }),
    )
    .await;
    assert_eq!(v["state"], "open");
    let steps: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        ["submitted", "rejected", "submitted", "approved", "reopened"]
    );
    assert_eq!(v["history"][4]["comment"], "wrong project");
    assert_eq!(v["history"][3]["by_name"], "User manager");
    assert_eq!(v["history"][3]["total_seconds"], 3600);
    // The member's own list, and every step audited.
    let list = t.mem.get(&format!("/api/v1/weeks?from={w}&to={w}")).await;
    assert_eq!(list.body["items"][0]["state"], "open", "{}", list.body);
    for action in [
        "week.submitted",
        "week.rejected",
        "week.approved",
        "week.reopened",
    ] {
        assert!(
            !t.admin.audit(&format!("action={action}")).await.is_empty(),
            "{action}"
        );
    }
}

#[tokio::test]
async fn wrong_transitions_are_refused_with_their_codes() {
    let t = Team::approval().await;
    let w = monday(-1);
    t.entry(&t.mem, &at(w, 9, 0), &at(w, 10, 0)).await;
    assert_eq!(
        t.mgr
            .post(&decide(&t.mem_id, w, "approve"), json!({}))
            .await
            .code(),
        "week.not_submitted"
    );
    assert_eq!(
        t.mgr
            .post(&decide(&t.mem_id, w, "reopen"), json!({ "reason": "x" }))
            .await
            .code(),
        "week.not_locked"
    );
    let next = monday(1);
    assert_eq!(
        t.mem
            .post(&format!("/api/v1/weeks/{next}/submit"), json!({}))
            .await
            .code(),
        "week.not_started"
    );
    // A running timer in the week: stop it first.
    let r = t
        .mem
        .post("/api/v1/timer/start", json!({ "project_id": t.apollo }))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let this = monday(0);
    assert_eq!(
        t.mem
            .post(&format!("/api/v1/weeks/{this}/submit"), json!({}))
            .await
            .code(),
        "week.timer_running"
    );
}

#[tokio::test]
async fn only_admins_and_managers_of_the_persons_projects_decide_and_never_on_their_own_week() {
    // Arrange: the member's and the manager's weeks on Apollo, submitted.
    let t = Team::approval().await;
    let w = monday(-1);
    t.entry(&t.mem, &at(w, 9, 0), &at(w, 10, 0)).await;
    t.entry(&t.mgr, &at(w, 11, 0), &at(w, 12, 0)).await;
    let (admin_id, auditor) = {
        let me = t.admin.get("/api/v1/me").await.body["id"]
            .as_str()
            .unwrap()
            .to_owned();
        (
            me,
            t.s.user_with_role(&t.admin, "aud@example.com", "auditor")
                .await
                .0,
        )
    };
    t.entry(&t.admin, &at(w, 13, 0), &at(w, 14, 0)).await;
    for c in [&t.mem, &t.mgr, &t.admin] {
        step(c, &format!("/api/v1/weeks/{w}/submit"), json!({})).await;
    }
    // Act and assert.
    let approve = |user: &str| decide(user, w, "approve");
    assert_eq!(
        t.mem.post(&approve(&t.mem_id), json!({})).await.code(),
        "auth.forbidden",
        "a member"
    );
    assert_eq!(
        t.other.post(&approve(&t.mem_id), json!({})).await.code(),
        "auth.forbidden",
        "another project's manager"
    );
    assert_eq!(
        auditor.post(&approve(&t.mem_id), json!({})).await.code(),
        "auth.forbidden",
        "an auditor"
    );
    assert_eq!(
        t.mgr.post(&approve(&t.mgr_id), json!({})).await.code(),
        "week.own",
        "a manager's own week"
    );
    // The queues: the manager sees the member's week, not their own; the other manager none.
    let q = t.mgr.get("/api/v1/approvals").await;
    let names: Vec<&str> = q.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["user_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["User member"], "{}", q.body);
    assert_eq!(q.body["items"][0]["projects"][0]["name"], "Apollo");
    assert_eq!(q.body["items"][0]["total_seconds"], 3600);
    assert!(t.other.get("/api/v1/approvals").await.body["items"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(t.mem.get("/api/v1/approvals").await.status, 403);
    // Reading weeks: a member only their own; the other manager not the member's.
    let path = format!("/api/v1/weeks?user_id={}", t.mem_id);
    assert_eq!(t.other.get(&path).await.status, 403);
    assert_eq!(t.mgr.get(&path).await.status, 200);
    assert_eq!(
        t.mem
            .get(&format!("/api/v1/weeks?user_id={}", t.mgr_id))
            .await
            .status,
        403
    );
    assert!(t
        .admin
        .audit_accessed("from=2000-01-01&to=2100-01-01")
        .await
        .iter()
        .any(|a| a.what == "week approvals"));
    // Allowed: the manager on the member's week, the admin on the manager's and their own.
    step(&t.mgr, &approve(&t.mem_id), json!({})).await;
    step(
        &t.admin,
        &approve(&t.mgr_id),
        json!({ "comment": "thanks" }),
    )
    .await;
    step(&t.admin, &approve(&admin_id), json!({})).await;
}

#[tokio::test]
async fn two_managers_approving_at_once_one_wins_and_the_other_is_told_it_was_decided() {
    let t = Team::approval().await;
    let (mgr2, mgr2_id) =
        t.s.user_with_role(&t.admin, "mgr2@example.com", "manager")
            .await;
    t.admin
        .patch(
            &format!("/api/v1/projects/{}", t.apollo),
            json!({ "manager_ids": [t.mgr_id, mgr2_id] }),
        )
        .await;
    let w = monday(-1);
    t.entry(&t.mem, &at(w, 9, 0), &at(w, 10, 0)).await;
    for round in 0..4 {
        step(&t.mem, &format!("/api/v1/weeks/{w}/submit"), json!({})).await;
        let (yes, no) = (
            decide(&t.mem_id, w, "approve"),
            decide(&t.mem_id, w, "reject"),
        );
        let (a, b) = tokio::join!(
            t.mgr.post(&yes, json!({})),
            mgr2.post(&no, json!({ "comment": "no" }))
        );
        let mut outcomes = [
            (a.status, a.code().to_owned()),
            (b.status, b.code().to_owned()),
        ];
        outcomes.sort();
        assert_eq!(outcomes[0].0, 200, "round {round}: {outcomes:?}");
        assert_eq!(
            (outcomes[1].0, outcomes[1].1.as_str()),
            (409, "week.not_submitted"),
            "round {round}"
        );
        if a.status == 200 {
            step(
                &t.admin,
                &decide(&t.mem_id, w, "reopen"),
                json!({ "reason": "again" }),
            )
            .await;
        }
    }
}

#[tokio::test]
async fn with_approval_off_the_endpoints_say_so_and_the_ui_is_not_offered_them() {
    let t = Team::new(&[]).await;
    let w = monday(-1);
    t.entry(&t.mem, &at(w, 9, 0), &at(w, 10, 0)).await;
    for (c, path) in [
        (&t.mem, format!("/api/v1/weeks/{w}/submit")),
        (&t.mgr, decide(&t.mem_id, w, "approve")),
        (&t.mgr, decide(&t.mem_id, w, "reopen")),
    ] {
        let r = c
            .post(&path, json!({ "comment": "x", "reason": "x" }))
            .await;
        assert_eq!((r.status, r.code()), (409, "approval.disabled"), "{path}");
    }
    assert_eq!(
        t.mgr.get("/api/v1/approvals").await.code(),
        "approval.disabled"
    );
    assert_eq!(t.mem.get("/api/v1/weeks").await.code(), "approval.disabled");
    let sheet = t.mem.get("/api/v1/timesheet").await.body;
    assert_eq!(
        (
            sheet["approval_enabled"].as_bool(),
            sheet["approval"]["state"].as_str()
        ),
        (Some(false), Some("open"))
    );
    assert_eq!(sheet["approval"]["can"]["submit"], false);
    let caps = t.mgr.get("/api/v1/me").await.body["capabilities"].to_string();
    assert!(!caps.contains("weeks"), "{caps}");
}

#[tokio::test]
async fn missing_weeks_list_the_ended_weeks_not_submitted_of_the_callers_people() {
    // Arrange: the member (whose account is new) tracked three weeks ago, nothing two weeks
    // ago, and submitted last week.
    let t = Team::approval().await;
    let (w3, w2, w1) = (monday(-3), monday(-2), monday(-1));
    t.entry(&t.mem, &at(w3, 9, 0), &at(w3, 11, 0)).await;
    t.entry(&t.mem, &at(w1, 9, 0), &at(w1, 10, 0)).await;
    step(&t.mem, &format!("/api/v1/weeks/{w1}/submit"), json!({})).await;
    // Act
    let path = format!(
        "/api/v1/approvals/missing?from={}&to={}",
        monday(-6),
        monday(0)
    );
    let r = t.mgr.get(&path).await;
    // Assert: the member's two earlier weeks, with their totals (none before their first entry,
    // their account being new); not the submitted one, not this week (it has not ended), not
    // the manager themself.
    assert_eq!(r.status, 200, "{}", r.body);
    let rows: Vec<(String, String, i64)> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["user_name"].as_str().unwrap().into(),
                m["week_start"].as_str().unwrap().into(),
                m["total_seconds"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("User member".into(), w3.to_string(), 7200),
            ("User member".into(), w2.to_string(), 0)
        ]
    );
    // The other manager answers for no one here; an admin for everyone who tracks time.
    assert_eq!(t.other.get(&path).await.body["items"], json!([]));
    let all = t.admin.get(&path).await.body;
    assert_eq!(all["items"].as_array().unwrap().len(), 2, "{all}");
}

#[tokio::test]
async fn the_week_lock_job_locks_old_weeks_once_audited_and_a_reopened_week_stays_open() {
    // Arrange: approval off, weeks lock a day after they end; an entry two weeks ago.
    let t = Team::new(&[("OPHIONTT_APPROVAL_LOCK_AFTER_DAYS", "1")]).await;
    let w2 = monday(-2);
    let e = t.entry(&t.mem, &at(w2, 9, 0), &at(w2, 10, 0)).await;
    // Act
    let run = t.admin.run_job_to_the_end("week_lock").await;
    // Assert
    assert_eq!(run.outcome, "ok", "{run:?}");
    assert!(run.counts["weeks"] >= 2, "{run:?}");
    let path = format!("/api/v1/entries/{e}");
    let patch = || t.mem.patch(&path, json!({ "note": "late" }));
    let r = patch().await;
    assert_eq!((r.status, r.code()), (409, "week.locked"));
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("the week of {w2} is locked")),
        "{}",
        r.body
    );
    let audited = t.admin.audit("action=weeks.locked").await;
    assert_eq!(audited.len(), 1, "one record per run");
    // A manager reopens it (approval is off, but weeks lock); the next run leaves it open.
    step(
        &t.mgr,
        &decide(&t.mem_id, w2, "reopen"),
        json!({ "reason": "late entry" }),
    )
    .await;
    assert_eq!(patch().await.status, 200);
    let again = t.admin.run_job_to_the_end("week_lock").await;
    assert_eq!(again.counts["weeks"], 0, "{again:?}");
    assert_eq!(patch().await.status, 200);
}

#[tokio::test]
async fn erasure_deletes_a_locked_weeks_entries_and_the_week_records_and_export_holds_them() {
    // Arrange: the member's approved week.
    let t = Team::approval().await;
    let w = monday(-1);
    t.entry(&t.mem, &at(w, 9, 0), &at(w, 10, 0)).await;
    step(
        &t.mem,
        &format!("/api/v1/weeks/{w}/submit"),
        json!({ "comment": "done" }),
    )
    .await;
    step(&t.mgr, &decide(&t.mem_id, w, "approve"), json!({})).await;
    let mut zip = t.mem.my_data_zip().await;
    let weeks: Value = serde_json::from_reader(zip.by_name("weeks.json").unwrap()).unwrap();
    assert_eq!(weeks[0]["state"], "approved", "{weeks}");
    assert_eq!(weeks[0]["history"][0]["comment"], "done");
    // Act: the law wins over the lock.
    let r = t
        .admin
        .post(
            &format!("/api/v1/privacy/users/{}/erase", t.mem_id),
            json!({}),
        )
        .await;
    // Assert
    assert_eq!(r.status, 200, "{}", r.body);
    let gone = r.body["entries_anonymised"].as_i64().unwrap()
        + r.body["entries_deleted"].as_i64().unwrap();
    assert_eq!(gone, 1, "{}", r.body);
    let read = t
        .admin
        .get(&format!("/api/v1/weeks?user_id={}", t.mem_id))
        .await;
    assert_eq!(read.code(), "user.not_found");
    assert!(t.mgr.get("/api/v1/approvals").await.body["items"]
        .as_array()
        .unwrap()
        .is_empty());
}
