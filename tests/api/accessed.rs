//! Reads of other people's data (issue 6): a manager listing a member's entries, an admin
//! viewing an account and the export job are recorded, and `ophiontt audit accessed` (and
//! `GET /api/v1/audit/accessed`) answers who read whose data when, for a breach notification.

use chrono::{Days, Utc};
use serde_json::Value;

use crate::helpers::{cli, stderr, stdout, Access, Client, EntryReq, ProjectReq, Server};

async fn entry_yesterday(c: &Client, project: &str, hour: u32) {
    let y = Utc::now().date_naive() - Days::new(1);
    let (start, end) = (
        format!("{y}T{hour:02}:00:00Z"),
        format!("{y}T{hour:02}:30:00Z"),
    );
    c.create_entry(&EntryReq::new(project, &start, &end)).await;
}

#[tokio::test]
async fn reads_of_other_peoples_data_are_listed_with_who_whose_and_when() {
    // Arrange: a manager over two members who tracked time yesterday; exports by day.
    let tmp = tempfile::tempdir().unwrap();
    let s = Server::start_in(tmp.path(), &[("OPHIONTT_JOBS_EXPORT_PERIOD", "day")]);
    let admin = s.setup_admin().await;
    let (manager, manager_id) = s.user_with_role(&admin, "mgr@example.com", "manager").await;
    let (mo, mo_id) = s.user_with_role(&admin, "mo@example.com", "member").await;
    let (al, al_id) = s.user_with_role(&admin, "al@example.com", "member").await;
    let (auditor, _) = s.user_with_role(&admin, "aud@example.com", "auditor").await;
    let p = admin
        .create_project(&ProjectReq {
            manager_ids: Some(vec![manager_id.clone()]),
            ..ProjectReq::named("Ops").members(&[&mo_id, &al_id])
        })
        .await
        .id;
    entry_yesterday(&mo, &p, 9).await;
    entry_yesterday(&al, &p, 10).await;
    let y = Utc::now().date_naive() - Days::new(1);
    let tomorrow = Utc::now().date_naive() + Days::new(1);

    // Act: the manager reads Mo's entries (twice: recorded once), the admin views Al's
    // account, the export job writes everyone's entries; Mo reading their own is no access.
    let list = format!("from={y}&to={y}&user_id={mo_id}");
    for _ in 0..2 {
        let page = manager.list_entries(&list).await;
        assert_eq!(page.items.len(), 1, "{page:?}");
    }
    mo.list_entries(&format!("from={y}&to={y}")).await;
    admin.get_user(&al_id).await;
    admin.run_job_to_the_end("export").await;

    // Assert: the CLI, through the running server.
    let (from, to) = (y.to_string(), tomorrow.to_string());
    let o = cli(
        &s.data,
        &["audit", "accessed", "--from", &from, "--to", &to],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let entries_read: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("read time entries of"))
        .collect();
    assert_eq!(
        entries_read.len(),
        1,
        "one record for a repeated view: {out}"
    );
    assert!(
        entries_read[0].contains("User manager <mgr@example.com>  read time entries of User member <mo@example.com> (1 record"),
        "{out}"
    );
    assert!(
        out.contains("Ada Admin <admin@example.com>  read account of User member <al@example.com>"),
        "{out}"
    );
    let export = out
        .lines()
        .find(|l| l.contains("read time entries export of"))
        .unwrap_or_else(|| panic!("no export line: {out}"));
    let when = export.split_whitespace().next().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(when).is_ok(),
        "each line starts with when: {export}"
    );
    assert!(
        export.contains("system  read")
            && export.contains("<mo@example.com>")
            && export.contains("<al@example.com>")
            && export.contains("(2 records"),
        "{export}"
    );

    // --user keeps only reads that included that user's data.
    let o = cli(
        &s.data,
        &[
            "audit",
            "accessed",
            "--from",
            &from,
            "--to",
            &to,
            "--user",
            "mo@example.com",
        ],
    );
    let mine = stdout(&o);
    assert!(
        mine.contains("read time entries of User member <mo@example.com>"),
        "{mine}"
    );
    assert!(mine.contains("read time entries export of"), "{mine}");
    assert!(
        !mine.contains("read account of"),
        "Al's account is not Mo's: {mine}"
    );

    // --json: one object per line.
    let o = cli(
        &s.data,
        &[
            "audit", "accessed", "--from", &from, "--to", &to, "--user", &al_id, "--json",
        ],
    );
    let rows: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let viewed = rows.iter().find(|r| r["action"] == "user.viewed").unwrap();
    assert_eq!(viewed["subjects"][0]["id"], al_id.as_str());
    assert_eq!(viewed["actor_email"], "admin@example.com");

    // The API, for auditors and admins only.
    let mos = format!("from={from}&to={to}&user={mo_id}");
    let items = auditor.audit_accessed(&mos).await;
    let read = items.iter().find(|i| i.action == "data.accessed").unwrap();
    assert_eq!(read.actor, format!("user:{manager_id}"));
    assert_eq!(read.subjects[0].email.as_deref(), Some("mo@example.com"));
    assert_eq!(read.count, Some(1));
    assert!(read.at.ends_with('Z'));
    // A privacy export of Mo's data is a read of it too.
    let zip = admin
        .get(&format!("/api/v1/privacy/users/{mo_id}/export"))
        .await;
    assert_eq!(zip.status, 200);
    let items = auditor.audit_accessed(&mos).await;
    let export = items
        .iter()
        .find(|i| i.action == "privacy.exported")
        .unwrap_or_else(|| panic!("no privacy.exported in {items:?}"));
    assert_eq!(export.what, "personal data export (ZIP)");
    assert_eq!(export.subjects[0].email.as_deref(), Some("mo@example.com"));
    let q = format!("/api/v1/audit/accessed?from={from}&to={to}");
    assert_eq!(mo.get(&q).await.status, 403);
    assert_eq!(manager.get(&q).await.status, 403);
}

#[tokio::test]
async fn bad_windows_and_unknown_users_are_refused_naming_the_value() {
    let s = Server::start();
    let admin = s.setup_admin().await;

    let o = cli(
        &s.data,
        &[
            "audit",
            "accessed",
            "--from",
            "2026-13-01",
            "--to",
            "2026-11-30",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--from: \"2026-13-01\" is not a date"),
        "{}",
        stderr(&o)
    );
    let o = cli(
        &s.data,
        &[
            "audit",
            "accessed",
            "--from",
            "2026-11-01",
            "--to",
            "yesterday",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\"yesterday\""), "{}", stderr(&o));
    let o = cli(
        &s.data,
        &[
            "audit",
            "accessed",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--user",
            "nobody@example.com",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("user.not_found"), "{}", stderr(&o));

    let r = admin
        .get("/api/v1/audit/accessed?from=23.11.2026&to=2026-11-30")
        .await;
    assert_eq!(
        (r.status, r.code()),
        (422, "validation.failed"),
        "{}",
        r.body
    );
    assert_eq!(r.body["errors"][0]["field"], "from");
    assert_eq!(r.body["errors"][0]["code"], "invalid_date");
    assert!(r.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("23.11.2026"));
    let r = admin
        .get("/api/v1/audit/accessed?from=2026-11-30&to=2026-11-01")
        .await;
    assert_eq!(r.body["errors"][0]["code"], "before_from", "{}", r.body);
    let r = admin
        .get("/api/v1/audit/accessed?from=2026-11-01&to=2026-11-30&user=nobody@example.com")
        .await;
    assert_eq!((r.status, r.code()), (404, "user.not_found"));
}

/// A manager asking for the entries of someone on none of their projects is shown nothing, so
/// nothing was read: no `data.accessed` record names that person.
#[tokio::test]
async fn an_empty_read_of_someone_elses_entries_is_not_recorded_as_access() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (manager, _) = s
        .user_with_role(&admin, "boss@example.com", "manager")
        .await;
    let (member, member_id) = s.user_with_role(&admin, "far@example.com", "member").await;
    let project = admin
        .create_project(&ProjectReq::named("Elsewhere").members(&[&member_id]))
        .await;
    entry_yesterday(&member, &project.id, 9).await;

    let y = Utc::now().date_naive() - Days::new(1);
    let page = manager
        .list_entries(&format!("user_id={member_id}&from={y}&to={y}"))
        .await;
    assert_eq!(page.items.len(), 0);

    let from = (y - Days::new(1)).to_string();
    let to = Utc::now().date_naive().to_string();
    let items = admin
        .audit_accessed(&format!("from={from}&to={to}&user={member_id}"))
        .await;
    let reads: Vec<&Access> = items
        .iter()
        .filter(|i| i.action == "data.accessed")
        .collect();
    assert!(reads.is_empty(), "an empty read was recorded: {reads:?}");
}
