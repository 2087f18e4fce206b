//! Tasks over HTTP (`/api/v1/projects/{id}/tasks`, `/api/v1/tasks/…`): creating, the board's
//! status changes, comments, assignment, and entries logged on a task. A task's row in the week
//! grid belongs in `timesheet.rs`.

use serde_json::json;

use crate::helpers::{EntryReq, ProjectReq, Server, TaskReq};

#[tokio::test]
async fn project_members_create_move_and_discuss_tasks_and_log_time_on_them() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, member_id) = s.user_with_role(&admin, "m@example.com", "member").await;
    let (outsider, outsider_id) = s.user_with_role(&admin, "o@example.com", "member").await;
    let (auditor, _) = s.user_with_role(&admin, "a@example.com", "auditor").await;
    let p = admin
        .create_project(&ProjectReq::named("Ops").members(&[&member_id]))
        .await
        .id;
    let other = admin
        .create_project(&ProjectReq::named("Other").members(&[&member_id]))
        .await
        .id;

    let t = member
        .create_task(
            &p,
            &TaskReq {
                estimate_secs: Some(7200),
                assignee_id: Some(member_id.clone()),
                ..TaskReq::titled("Rotate keys")
            },
        )
        .await;
    assert_eq!(t.status, "open");
    assert_eq!(
        t.assignee_name.as_deref(),
        Some("User member"),
        "teammates see the assignee's name"
    );
    let id = t.id;
    let moved = member
        .update_task(&id, &TaskReq::status("in_progress"))
        .await;
    assert_eq!(moved.status, "in_progress");
    let c = member.comment_task(&id, "old keys revoked").await;
    assert_eq!(c.comments[0].text, "old keys revoked");
    assert_eq!(c.comments[0].author_id, member_id);
    assert_eq!(c.comments[0].author_name.as_deref(), Some("User member"));
    let board = auditor.list_tasks(&p).await;
    assert_eq!(board[0].status, "in_progress", "auditors read the board");

    let r = member
        .patch(
            &format!("/api/v1/tasks/{id}"),
            json!({ "status": "blocked" }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "request.invalid_body"),
        "unknown status"
    );
    let r = member
        .patch(
            &format!("/api/v1/tasks/{id}"),
            json!({ "assignee_id": outsider_id }),
        )
        .await;
    assert_eq!((r.status, r.code()), (403, "task.assignee_not_member"));
    let r = outsider
        .patch(&format!("/api/v1/tasks/{id}"), json!({ "status": "done" }))
        .await;
    assert_eq!(r.code(), "task.not_found", "outsiders do not see the task");
    let r = auditor
        .post(
            &format!("/api/v1/tasks/{id}/comments"),
            json!({ "text": "hi" }),
        )
        .await;
    assert_eq!(r.code(), "auth.forbidden");

    let e = member
        .create_entry(&EntryReq::new(&p, "2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z").task(&id))
        .await;
    assert_eq!(e.task_id.as_deref(), Some(id.as_str()));
    let wrong = member.post("/api/v1/entries", json!({ "project_id": other, "task_id": id, "start": "2026-11-20T11:00:00Z", "end": "2026-11-20T12:00:00Z" })).await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (404, "task.not_found"),
        "a task of another project"
    );
    let audit = admin.audit("action=task.updated").await;
    assert_eq!(audit[0].body["after"]["status"], "in_progress");
}

/// Numbers have a ceiling with its reason: a 9,999-hour estimate (a slip for 99.99) and a rate
/// above 100,000,000.00 an hour are refused, naming the field; 1,000 hours is taken.
#[tokio::test]
async fn an_estimate_over_1000_hours_and_an_absurd_rate_are_refused_with_the_reason() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = admin.create_project(&ProjectReq::named("Ops")).await.id;
    let path = format!("/api/v1/projects/{p}/tasks");
    let r = admin
        .post(
            &path,
            json!({ "title": "Huge", "estimate_secs": 9999 * 3600 }),
        )
        .await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "estimate_secs", "too_large"),
        "{}",
        r.body
    );
    assert!(r.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("1,000 hours"));
    let r = admin
        .post(
            &path,
            json!({ "title": "Big", "estimate_secs": 1000 * 3600 }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = admin
        .patch(
            &format!("/api/v1/projects/{p}"),
            json!({ "rate_cents": 10_000_000_001_i64 }),
        )
        .await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "rate_cents", "too_large"),
        "{}",
        r.body
    );
}
