//! Exports (`GET /api/v1/exports/entries`): who exports whose entries, restriction, the record
//! of reading others' data, the streamed answer, and `ophiontt export`. The formats themselves
//! are read back by parsers that are not ours in tests/exports/check.py.

use crate::helpers::{cli, stderr, stdout, Client, EntryReq, ProjectReq, Server};

const NOV: &str = "from=2026-11-01&to=2026-11-30";

/// The entry ids of a CSV export, after its header.
async fn csv_ids(c: &Client, query: &str) -> Vec<String> {
    let r = c
        .http
        .get(format!(
            "{}/api/v1/exports/entries?format=csv&{query}",
            c.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{query}");
    let text = r.text().await.unwrap();
    let mut lines = text.split("\r\n");
    assert!(lines.next().unwrap().starts_with("entry_id,date,start,end"));
    lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect()
}

/// One hour on 2026-11-`day` at 09:00 UTC; its id.
async fn mk(c: &Client, project: &str, day: u32) -> String {
    c.create_entry(&EntryReq::new(
        project,
        &format!("2026-11-{day:02}T09:00:00Z"),
        &format!("2026-11-{day:02}T10:00:00Z"),
    ))
    .await
    .id
}

#[tokio::test]
async fn each_role_exports_the_time_it_may_read_and_reads_of_others_are_recorded() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (grace, grace_id) = s
        .user_with_role(&admin, "grace@example.com", "manager")
        .await;
    let (alan, alan_id) = s.user_with_role(&admin, "alan@example.com", "member").await;
    let (kate, _) = s
        .user_with_role(&admin, "kate@example.com", "auditor")
        .await;
    let (mo, mo_id) = s.user_with_role(&admin, "mo@example.com", "member").await;
    let backups = admin
        .create_project(&ProjectReq {
            manager_ids: Some(vec![grace_id.clone()]),
            ..ProjectReq::named("Backups").members(&[&alan_id, &mo_id])
        })
        .await
        .id;
    let website = admin
        .create_project(&ProjectReq::named("Website").members(&[&alan_id]))
        .await
        .id;
    let ada_b = mk(&admin, &backups, 2).await;
    let alan_b = mk(&alan, &backups, 3).await;
    let alan_w = mk(&alan, &website, 4).await;
    let mo_b = mk(&mo, &backups, 5).await;
    // Outside the range: left out.
    mk(&alan, &backups, 1).await;
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let q = "from=2026-11-02&to=2026-11-30";
    assert_eq!(
        csv_ids(&alan, q).await,
        vec![alan_b.clone(), alan_w.clone()]
    );
    // Grace manages Backups: everyone's time there, none of Alan's on Website.
    assert_eq!(
        sorted(csv_ids(&grace, q).await),
        sorted(vec![ada_b.clone(), alan_b.clone(), mo_b.clone()])
    );
    let everyone = sorted(vec![
        ada_b.clone(),
        alan_b.clone(),
        alan_w.clone(),
        mo_b.clone(),
    ]);
    assert_eq!(sorted(csv_ids(&kate, q).await), everyone);
    assert_eq!(sorted(csv_ids(&admin, q).await), everyone);
    // A filter by person and project.
    let only = format!("{q}&user_id={alan_id}&project_id={backups}");
    assert_eq!(csv_ids(&admin, &only).await, vec![alan_b.clone()]);

    // Mo's processing restricted: out of others' exports, still in his own.
    admin.restrict_user(&mo_id).await;
    assert_eq!(
        sorted(csv_ids(&admin, q).await),
        sorted(vec![ada_b.clone(), alan_b.clone(), alan_w.clone()])
    );
    assert_eq!(csv_ids(&mo, q).await, vec![mo_b.clone()]);

    // Grace's export read Ada's, Alan's and Mo's entries (three of them, not her own).
    // Reads recorded today (the window is when they happened). The answer ends only once its
    // read is recorded.
    let today = chrono::Utc::now().date_naive();
    let window = format!(
        "from={}&to={}",
        today.pred_opt().unwrap(),
        today.succ_opt().unwrap()
    );
    let reads = kate.audit_accessed(&window).await;
    let grace_read = (reads.iter())
        .find(|a| {
            a.what == "time entries (export)"
                && a.actor_email.as_deref() == Some("grace@example.com")
        })
        .unwrap_or_else(|| panic!("Grace's export is recorded: {reads:#?}"));
    assert_eq!(grace_read.count, Some(3));
    assert_eq!(grace_read.subjects.len(), 3);
    // Alan's export of his own time is no one's read.
    assert!(!reads
        .iter()
        .any(|a| a.actor_email.as_deref() == Some("alan@example.com")));
}

#[tokio::test]
async fn the_answer_streams_as_an_attachment_and_bad_queries_are_refused() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let p = admin.create_project(&ProjectReq::named("Backups")).await.id;
    for day in 2..=6 {
        admin
            .create_entry(&EntryReq::new(
                &p,
                &format!("2026-11-{day:02}T09:00:00Z"),
                &format!("2026-11-{day:02}T10:00:00Z"),
            ))
            .await;
    }
    for (format, ty) in [
        ("csv", "text/csv; charset=utf-8"),
        ("json", "application/json; charset=utf-8"),
        ("ics", "text/calendar; charset=utf-8"),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("pdf", "application/pdf"),
    ] {
        let r = admin
            .http
            .get(format!(
                "{}/api/v1/exports/entries?format={format}&{NOV}",
                admin.base
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{format}");
        let h = r.headers();
        assert_eq!(h["content-type"], ty);
        assert_eq!(
            h["content-disposition"],
            format!("attachment; filename=\"ophiontt-entries-2026-11-01_2026-11-30.{format}\"")
                .as_str()
        );
        assert_eq!(h["cache-control"], "no-store");
        // Streamed: no length known up front.
        assert!(h.get("content-length").is_none(), "{format}: {h:?}");
        assert!(!r.bytes().await.unwrap().is_empty());
    }
    for (query, field) in [
        ("format=doc", "format"),
        ("format=csv&delimiter=tab", "delimiter"),
        ("from=2026-12-01&to=2026-11-01", "to"),
        ("user_id=nope", "user_id"),
    ] {
        let r = admin.get(&format!("/api/v1/exports/entries?{query}")).await;
        assert_eq!(r.status, 422, "{query}: {}", r.body);
        assert_eq!(r.code(), "validation.failed");
        assert_eq!(r.field_error().2, field, "{query}");
    }
}

#[tokio::test]
async fn the_export_command_writes_a_file_through_the_running_server_or_the_store() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut s = Server::start_in(&data, &[]);
    let admin = s.setup_admin().await;
    let p = admin.create_project(&ProjectReq::named("Backups")).await.id;
    let e = admin
        .create_entry(&EntryReq::new(
            &p,
            "2026-11-02T09:00:00Z",
            "2026-11-02T10:30:00Z",
        ))
        .await;
    let out = tmp.path().join("nov.json");
    let args = |out: &std::path::Path, format: &str| {
        vec![
            "export".to_owned(),
            "--format".into(),
            format.into(),
            "--from".into(),
            "2026-11-01".into(),
            "--to".into(),
            "2026-11-30".into(),
            "--time-zone".into(),
            "Europe/Berlin".into(),
            "--output".into(),
            out.display().to_string(),
        ]
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        cli(&data, &a)
    };
    // Through the running server's admin socket.
    let o = run(args(&out, "json"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("wrote 1 entries (2026-11-01 to 2026-11-30, Europe/Berlin)"));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["entries"][0]["entry_id"], e.id.as_str());
    assert_eq!(v["entries"][0]["start"], "2026-11-02T10:00:00+01:00");
    assert_eq!(v["entries"][0]["duration_seconds"], 5400);
    let written = admin.audit("action=export.written").await;
    assert!(written[0].actor.starts_with("cli:"), "{:?}", written[0]);

    // A bad value is named; nothing is written.
    let bad = tmp.path().join("bad.doc");
    let o = run(args(&bad, "doc"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("\"doc\" is not a format"),
        "{}",
        stderr(&o)
    );
    assert!(!bad.exists());

    // With the server stopped, against the store.
    s.stop();
    let csv = tmp.path().join("nov.csv");
    let o = run(args(&csv, "csv"));
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.contains(&e.id));
}
