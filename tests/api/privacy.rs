//! Privacy requests: the register and its deadlines, roles, each tool (export ZIP, correction,
//! restriction, erasure), the erasure proof (a scan of every tree finds nothing, the audit chain
//! verifies), the export against the scan, restore re-applying the ledger, and hold refusal.

use std::io::Read;

use serde_json::json;

use crate::helpers::{
    cli, stderr, stdout, Client, CorrectReq, EntryReq, PrivacyRequestReq, ProjectReq, Server,
    TaskReq, UserPatch,
};

const NOTE: &str = "met Zebulon Quartermaine about invoice 77";

/// A member "Ophelia Privatus" with a project, two entries (one with a note) and a comment.
async fn subject(s: &Server, admin: &Client) -> (Client, String, String) {
    let (member, id) = s
        .user_with_role(admin, "ophelia@example.com", "member")
        .await;
    let rename = UserPatch {
        name: Some("Ophelia Privatus".into()),
        ..UserPatch::default()
    };
    admin.update_user(&id, &rename).await;
    let pid = admin
        .create_project(&ProjectReq::named("Audit").members(&[&id]))
        .await
        .id;
    for (start, end, note) in [
        ("2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z", NOTE),
        ("2026-03-03T09:00:00Z", "2026-03-03T11:00:00Z", ""),
    ] {
        let req = EntryReq::new(&pid, start, end)
            .note(note)
            .tags(&["privacy"]);
        member.create_entry(&req).await;
    }
    // A task assigned to them with a comment of theirs: their data is in tasks too.
    let task = admin
        .create_task(
            &pid,
            &TaskReq {
                assignee_id: Some(id.clone()),
                ..TaskReq::titled("Review")
            },
        )
        .await;
    member.comment_task(&task.id, "done by Ophelia").await;
    (member, id, pid)
}

fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        out.insert(f.name().expect("a file name").into_owned(), s);
    }
    out
}

async fn get_bytes(c: &Client, path: &str) -> (u16, Vec<u8>) {
    let r = c
        .http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn register_computes_deadlines_and_enforces_roles() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, member_id, _) = subject(&s, &admin).await;
    let (auditor, _) = s.user_with_role(&admin, "aud@example.com", "auditor").await;

    // GDPR: received Jan 31 → due Feb 28; long past, so overdue and no longer extendable.
    let r = admin
        .create_privacy_request(&PrivacyRequestReq {
            user: Some("ophelia@example.com".into()),
            received_on: Some("2026-01-31".into()),
            verification: Some("video call".into()),
            ..PrivacyRequestReq::kind("access")
        })
        .await;
    assert_eq!(r.due_on, "2026-02-28");
    assert_eq!(r.law, "gdpr");
    assert_eq!(r.subject, "ophelia@example.com");
    assert_eq!(r.urgency, "overdue");
    let old = r.id;
    let r = admin
        .post(
            &format!("/api/v1/privacy/requests/{old}/extend"),
            json!({ "reason": "many systems" }),
        )
        .await;
    assert_eq!((r.status, r.code()), (422, "validation.failed"));
    assert_eq!(r.body["errors"][0]["code"], "too_late");

    // Received today: extendable once, with a reason.
    let fresh = admin
        .create_privacy_request(&PrivacyRequestReq {
            subject: Some("Someone Without Account".into()),
            ..PrivacyRequestReq::kind("erasure")
        })
        .await
        .id;
    let r = admin
        .post(
            &format!("/api/v1/privacy/requests/{fresh}/extend"),
            json!({ "reason": "" }),
        )
        .await;
    assert_eq!(r.body["errors"][0]["code"], "required");
    let extended = admin.extend_privacy_request(&fresh, "complex").await;
    assert_eq!(
        extended.extension.as_ref().map(|e| e.reason.as_str()),
        Some("complex")
    );
    let r = admin
        .post(
            &format!("/api/v1/privacy/requests/{fresh}/extend"),
            json!({ "reason": "again" }),
        )
        .await;
    assert_eq!(r.body["errors"][0]["code"], "already_extended");

    // Bad input gets stable codes.
    let r = admin
        .post(
            "/api/v1/privacy/requests",
            json!({ "kind": "gossip", "subject": "x" }),
        )
        .await;
    assert_eq!(r.body["errors"][0]["code"], "unknown_kind");
    let r = admin
        .post(
            "/api/v1/privacy/requests",
            json!({ "kind": "access", "subject": "x", "received_on": "31.01.2026" }),
        )
        .await;
    assert_eq!(r.body["errors"][0]["code"], "invalid_date");
    let r = admin.get("/api/v1/privacy/requests/not-an-id").await;
    assert_eq!(r.code(), "privacy.request_not_found");

    // Close: a refusal needs a note; a closed request cannot change.
    let r = admin
        .post(
            &format!("/api/v1/privacy/requests/{fresh}/close"),
            json!({ "status": "refused" }),
        )
        .await;
    assert_eq!(r.body["errors"][0]["code"], "required");
    let closed = admin
        .close_privacy_request(&fresh, "withdrawn", Some("by phone"))
        .await;
    assert_eq!(closed.status, "withdrawn");
    let r = admin
        .post(
            &format!("/api/v1/privacy/requests/{fresh}/acknowledge"),
            json!({}),
        )
        .await;
    assert_eq!((r.status, r.code()), (409, "privacy.request_closed"));

    // Auditors read but do not act; members only self-service.
    assert_eq!(auditor.get("/api/v1/privacy/requests").await.status, 200);
    let r = auditor
        .post(
            "/api/v1/privacy/requests",
            json!({ "kind": "access", "subject": "x" }),
        )
        .await;
    assert_eq!((r.status, r.code()), (403, "auth.forbidden"));
    let r = auditor
        .post(
            &format!("/api/v1/privacy/users/{member_id}/restrict"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(member.get("/api/v1/privacy/requests").await.status, 403);
    assert_eq!(
        member
            .get(&format!("/api/v1/privacy/requests/{fresh}"))
            .await
            .status,
        403
    );
    // …but the member sees the one about them, and files their own.
    assert_eq!(
        member
            .get(&format!("/api/v1/privacy/requests/{old}"))
            .await
            .status,
        200
    );
    let own = member.create_my_privacy_request("erasure", "please").await;
    assert!(own.self_service, "{own:?}");
    let r = member
        .post("/api/v1/me/privacy/requests", json!({ "kind": "erasure" }))
        .await;
    assert_eq!((r.status, r.code()), (409, "privacy.request_pending"));
    let r = member
        .post("/api/v1/me/privacy/requests", json!({ "kind": "access" }))
        .await;
    assert_eq!(r.body["errors"][0]["code"], "not_self_service");
    let mine = member.my_privacy_requests().await;
    assert_eq!(mine.len(), 2);
    let (st, _) = get_bytes(
        &member,
        &format!("/api/v1/privacy/users/{member_id}/export"),
    )
    .await;
    assert_eq!(st, 200, "a member may export their own data");
    let admin_id = admin.me().await.id;
    let (st, _) = get_bytes(&member, &format!("/api/v1/privacy/users/{admin_id}/export")).await;
    assert_eq!(st, 403);

    // The CLI lists the register with overdue requests marked.
    let out = cli(&s.data, &["privacy", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("OVERDUE"), "{}", stdout(&out));
}

#[tokio::test]
async fn export_zip_holds_every_category_the_scan_finds_and_tools_are_recorded() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (member, id, _) = subject(&s, &admin).await;
    let req = admin
        .create_privacy_request(&PrivacyRequestReq {
            user: Some(id.clone()),
            received_on: Some("2026-11-02".into()),
            ..PrivacyRequestReq::kind("export")
        })
        .await
        .id;

    let (st, bytes) = get_bytes(
        &admin,
        &format!("/api/v1/privacy/users/{id}/export?request_id={req}"),
    )
    .await;
    assert_eq!(st, 200);
    let files = unzip(&bytes);
    assert!(files["README.txt"].contains("Purposes of processing"));
    assert!(files["entries.csv"].contains(NOTE));
    assert!(files["account.json"].contains("Ophelia Privatus"));

    let scan = admin.privacy_scan(&id).await;
    let cats = &scan.categories;
    assert!(
        cats.contains_key("entries") && cats.contains_key("account"),
        "{scan:?}"
    );
    for cat in cats.keys() {
        assert!(
            files.contains_key(&format!("{cat}.json")),
            "the ZIP lacks {cat}: {:?}",
            files.keys()
        );
    }
    // Self-service download is the same ZIP.
    let (st, mine) = get_bytes(&member, "/api/v1/me/privacy/export").await;
    assert_eq!(st, 200);
    assert!(unzip(&mine).contains_key("entries.json"));

    // Correction: audited with before and after, recorded on the request.
    let correction = CorrectReq {
        name: Some("Ophelia Corrected".into()),
        request_id: Some(req.clone()),
        ..CorrectReq::default()
    };
    admin.correct_user(&id, &correction).await;
    let audit = admin.audit("action=privacy.corrected").await;
    let body = &audit[0].body;
    assert_eq!(body["before"]["name"], "Ophelia Privatus", "{audit:?}");
    assert_eq!(body["after"]["name"], "Ophelia Corrected");
    let shown = admin.get_privacy_request(&req).await;
    let whats: Vec<&str> = shown.actions.iter().map(|a| a.what.as_str()).collect();
    assert_eq!(whats, ["exported", "corrected"]);

    // Restriction: others no longer see the entries; lifting restores them.
    admin.restrict_user(&id).await;
    let r = admin
        .post(&format!("/api/v1/privacy/users/{id}/restrict"), json!({}))
        .await;
    assert_eq!((r.status, r.code()), (409, "privacy.already_restricted"));
    let theirs = format!("user_id={id}&from=2026-01-01&to=2026-12-31");
    let list = admin.list_entries(&theirs).await;
    assert_eq!(list.items.len(), 0, "{list:?}");
    let own = member.list_entries("from=2026-01-01&to=2026-12-31").await;
    assert_eq!(own.items.len(), 2);
    admin.lift_restriction(&id).await;
    let list = admin.list_entries(&theirs).await;
    assert_eq!(list.items.len(), 2);
    let flags = admin.object_to(&id, "scheduled_export").await;
    assert_eq!(flags.objections[0].purpose, "scheduled_export");
    let r = admin
        .post(
            &format!("/api/v1/privacy/users/{id}/object"),
            json!({ "purpose": "marketing" }),
        )
        .await;
    assert_eq!(r.body["errors"][0]["code"], "unknown_purpose");
}

#[tokio::test]
async fn erasure_leaves_no_trace_in_any_tree_and_the_audit_chain_verifies() {
    let mut s = Server::start();
    let admin = s.setup_admin().await;
    let (_member, id, _) = subject(&s, &admin).await;
    let req = admin
        .create_privacy_request(&PrivacyRequestReq {
            user: Some("ophelia@example.com".into()),
            verification: Some("ophelia@example.com confirmed by Ophelia Privatus".into()),
            ..PrivacyRequestReq::kind("erasure")
        })
        .await
        .id;
    let r = admin.erase_user(&id, Some(&req)).await;
    assert_eq!(r.entries_anonymised, 2);
    let pseudonym = r.pseudonym.clone();
    assert!(pseudonym.starts_with("erased-"));
    assert!(r.ledger_file_written, "{r:?}");
    let shown = admin.get_privacy_request(&req).await;
    assert_eq!(shown.subject, pseudonym);

    // A second erasure gets a pseudonym of its own, never a shared one.
    let (_, other) = s
        .user_with_role(&admin, "second@example.com", "member")
        .await;
    let r2 = admin.erase_user(&other, None).await;
    assert_ne!(r2.pseudonym, r.pseudonym);

    // The person's id stays only as a pseudonymous key (audit actor and target, the ledger).
    s.stop();
    let out = cli(
        &s.data,
        &[
            "privacy",
            "scan",
            "--text",
            "Ophelia Privatus",
            "--text",
            "ophelia@example.com",
            "--text",
            NOTE,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["trees"], json!({}), "data left behind: {report}");
    let out = cli(&s.data, &["audit", "verify"]);
    assert!(
        out.status.success() && stdout(&out).contains("audit chain OK"),
        "{}",
        stdout(&out)
    );
}

#[tokio::test]
async fn restoring_an_older_backup_re_applies_the_erasure_ledger() {
    let mut s = Server::start();
    let admin = s.setup_admin().await;
    let (_member, id, _) = subject(&s, &admin).await;
    let out = cli(&s.data, &["backup", "create"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = stdout(&out)
        .split_whitespace()
        .find(|w| w.contains(".backup.zst"))
        .unwrap()
        .to_owned();
    admin.erase_user(&id, None).await;
    s.stop();

    let target = tempfile::tempdir().unwrap();
    let restored = target.path().join("restored");
    let out = cli(&restored, &["restore", &file]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("1 people erased again"),
        "{}",
        stdout(&out)
    );
    let out = cli(
        &restored,
        &[
            "privacy",
            "scan",
            "--text",
            "Ophelia Privatus",
            "--text",
            "ophelia@example.com",
            "--text",
            NOTE,
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        report["trees"],
        json!({}),
        "the erased person came back: {report}"
    );
    let out = cli(&restored, &["audit", "verify"]);
    assert!(out.status.success(), "{}", stdout(&out));
}

#[tokio::test]
async fn erasure_is_refused_under_a_legal_hold_with_its_reason() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (_member, id, _) = subject(&s, &admin).await;
    let out = cli(
        &s.data,
        &[
            "hold",
            "add",
            "--user",
            "ophelia@example.com",
            "--reason",
            "case 2026-17 pending",
        ],
    );
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let r = admin
        .post(&format!("/api/v1/privacy/users/{id}/erase"), json!({}))
        .await;
    assert_eq!((r.status, r.code()), (409, "hold.applies"), "{}", r.body);
    assert!(r.body["detail"]
        .as_str()
        .unwrap()
        .contains("case 2026-17 pending"));
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap()
            .contains("<ophelia@example.com>"),
        "the hold's scope is named for people: {}",
        r.body
    );
    let out = cli(
        &s.data,
        &[
            "privacy",
            "erase",
            "--user",
            "ophelia@example.com",
            "--force",
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("case 2026-17 pending"),
        "{}",
        stderr(&out)
    );
}
