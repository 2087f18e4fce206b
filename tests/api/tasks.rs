//! Tasks: the board's status changes, comments, assignment, and entries on tasks.

use serde_json::json;

use crate::helpers::Server;

#[tokio::test]
async fn project_members_create_move_and_discuss_tasks_and_log_time_on_them() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, member_id) = s.user_with_role(&admin, "m@example.com", "member").await;
    let (outsider, outsider_id) = s.user_with_role(&admin, "o@example.com", "member").await;
    let (auditor, _) = s.user_with_role(&admin, "a@example.com", "auditor").await;
    let p = admin
        .post(
            "/api/v1/projects",
            json!({ "name": "Ops", "member_ids": [member_id] }),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = admin
        .post(
            "/api/v1/projects",
            json!({ "name": "Other", "member_ids": [member_id] }),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let t = member
        .post(
            &format!("/api/v1/projects/{p}/tasks"),
            json!({ "title": "Rotate keys", "estimate_secs": 7200, "assignee_id": member_id }),
        )
        .await;
    assert_eq!(
        (t.status, t.body["status"].as_str()),
        (201, Some("open")),
        "{}",
        t.body
    );
    assert_eq!(
        t.body["assignee_name"], "User member",
        "teammates see the assignee's name"
    );
    let id = t.body["id"].as_str().unwrap().to_owned();
    let moved = member
        .patch(
            &format!("/api/v1/tasks/{id}"),
            json!({ "status": "in_progress" }),
        )
        .await;
    assert_eq!(moved.body["status"], "in_progress");
    let c = member
        .post(
            &format!("/api/v1/tasks/{id}/comments"),
            json!({ "text": "old keys revoked" }),
        )
        .await;
    assert_eq!(
        (c.status, c.body["comments"][0]["text"].as_str()),
        (201, Some("old keys revoked"))
    );
    assert_eq!(c.body["comments"][0]["author_id"], member_id);
    assert_eq!(c.body["comments"][0]["author_name"], "User member");
    let board = auditor.get(&format!("/api/v1/projects/{p}/tasks")).await;
    assert_eq!(
        board.body["items"][0]["status"], "in_progress",
        "auditors read the board"
    );

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

    let e = member.post("/api/v1/entries", json!({ "project_id": p, "task_id": id, "start": "2026-11-20T09:00:00Z", "end": "2026-11-20T10:00:00Z" })).await;
    assert_eq!(
        (e.status, e.body["task_id"].as_str()),
        (201, Some(id.as_str()))
    );
    let wrong = member.post("/api/v1/entries", json!({ "project_id": other, "task_id": id, "start": "2026-11-20T11:00:00Z", "end": "2026-11-20T12:00:00Z" })).await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (404, "task.not_found"),
        "a task of another project"
    );
    let audit = admin.get("/api/v1/audit?action=task.updated").await;
    assert_eq!(
        audit.body["items"][0]["body"]["after"]["status"],
        "in_progress"
    );
}
