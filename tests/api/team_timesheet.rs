//! A manager's view of a person's week (`/api/v1/timesheet?user_id=`) and its corrections: they
//! see the rows of the projects they manage, in the person's time zone, and change them as the
//! person would; everyone else's week stays shut, and every read and change is recorded.

use serde_json::{json, Value};

use crate::helpers::{EntryReq, ProjectReq, Server};

#[tokio::test]
async fn a_manager_sees_and_corrects_a_persons_week_on_their_projects_only() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (grace, grace_id) = s
        .user_with_role(&admin, "grace@example.com", "manager")
        .await;
    let (alan, alan_id) = s.user_with_role(&admin, "alan@example.com", "member").await;
    let (kate, _) = s
        .user_with_role(&admin, "kate@example.com", "auditor")
        .await;
    let backups = admin
        .create_project(&ProjectReq {
            manager_ids: Some(vec![grace_id.clone()]),
            ..ProjectReq::named("Backups").members(&[&alan_id])
        })
        .await
        .id;
    let website = admin
        .create_project(&ProjectReq::named("Website").members(&[&alan_id]))
        .await
        .id;
    alan.create_entry(&EntryReq::new(
        &backups,
        "2026-11-23T09:00:00Z",
        "2026-11-23T11:00:00Z",
    ))
    .await;
    alan.create_entry(&EntryReq::new(
        &website,
        "2026-11-24T09:00:00Z",
        "2026-11-24T12:00:00Z",
    ))
    .await;
    let week = format!("/api/v1/timesheet?week=2026-11-25&user_id={alan_id}");

    // Grace sees Alan's week: the project she manages only.
    let r = grace.get(&week).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["user_id"].as_str(), r.body["user_name"].as_str()),
        (Some(alan_id.as_str()), Some("User member"))
    );
    assert_eq!(r.body["can_edit"], true);
    let rows = r.body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["project_name"], "Backups");
    assert_eq!(r.body["total"], 7200);

    // She adds Alan's missing Wednesday on Backups: the entry is Alan's, the change hers.
    let cell = |project: &str, seconds: i64| json!({ "project_id": project, "date": "2026-11-25", "seconds": seconds, "user_id": alan_id });
    let r = grace
        .put("/api/v1/timesheet/cell", cell(&backups, 5400))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["total"], 7200 + 5400);
    assert_eq!(r.body["user_id"], alan_id.as_str());
    let mine = alan.timesheet("2026-11-25").await;
    assert_eq!(mine.total, 7200 + 10800 + 5400, "Alan's own week has it");
    let audit = admin.get("/api/v1/audit?action=entry.created").await;
    let made = (audit.body["items"].as_array().unwrap().iter())
        .find(|a| a["actor"] == format!("user:{grace_id}"))
        .unwrap_or_else(|| panic!("{}", audit.body));
    assert_eq!(made["body"]["for"], alan_id.as_str());
    // Shortening it works the same way.
    let r = grace
        .put("/api/v1/timesheet/cell", cell(&backups, 3600))
        .await;
    assert_eq!((r.status, &r.body["total"]), (200, &json!(7200 + 3600)));

    // Not on a project she does not manage.
    let r = grace
        .put("/api/v1/timesheet/cell", cell(&website, 3600))
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // Others: a member reads no one else's week; an auditor reads it but changes nothing.
    assert_eq!(
        alan.get(&format!("/api/v1/timesheet?user_id={grace_id}"))
            .await
            .status,
        403
    );
    let r = kate.get(&week).await;
    assert_eq!((r.status, &r.body["can_edit"]), (200, &Value::Bool(false)));
    assert_eq!(
        r.body["rows"].as_array().unwrap().len(),
        2,
        "an auditor reads all of it"
    );
    assert_eq!(
        kate.put("/api/v1/timesheet/cell", cell(&backups, 60))
            .await
            .status,
        403
    );

    // Reading Alan's week is recorded as a read of his data.
    let accessed = admin
        .get("/api/v1/audit/accessed?from=2026-01-01&to=2099-01-01")
        .await;
    let reads = (accessed.body["items"].as_array().unwrap().iter())
        .filter(|a| a["what"] == "time entries (timesheet)")
        .count();
    assert!(reads >= 2, "{}", accessed.body);
}
