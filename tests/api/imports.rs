//! Imports (`POST /api/v1/imports`, `ophiontt import`): each tool's sample file, broken files
//! refused with their lines and nothing written, a re-import creating nothing twice (also two
//! at once), a row in a locked week, and the export → import round trip keeping every second.

use serde_json::{json, Value};

use crate::helpers::{cli, stderr, stdout, Client, Server};

fn file(path: &str) -> Vec<u8> {
    let root = env!("CARGO_MANIFEST_DIR");
    std::fs::read(format!("{root}/tests/import/{path}")).unwrap()
}

/// `POST /api/v1/imports?{query}` with `body` as the file.
async fn import(c: &Client, query: &str, body: Vec<u8>) -> (u16, Value) {
    let r = c
        .http
        .post(format!("{}/api/v1/imports?{query}", c.base))
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Every entry the admin may read in November 2026 (UTC days around it).
async fn entries(c: &Client) -> Vec<Value> {
    let r = c
        .get("/api/v1/exports/entries?format=json&from=2026-10-25&to=2026-12-05")
        .await;
    assert_eq!(r.status, 200);
    let v: Value = serde_json::from_str(&r.text).unwrap();
    v["entries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn each_tools_sample_imports_and_a_second_import_creates_nothing() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let q = "time_zone=Europe/Berlin";
    for (source, n) in [("toggl", 10), ("clockify", 10), ("kimai", 10)] {
        let (status, dry) = import(
            &admin,
            &format!("source={source}&dry_run=true&{q}"),
            file(&format!("samples/{source}.csv")),
        )
        .await;
        assert_eq!(status, 200, "{source}: {dry}");
        assert_eq!(dry["errors"], serde_json::json!([]), "{source}");
        assert_eq!(dry["written"], false);
        assert_eq!(dry["rows"], n, "{source}");
    }
    // solidtime's export names people without an e-mail address: imported for one person.
    let me = admin.get("/api/v1/me").await.body;
    let email = me["email"].as_str().unwrap().to_owned();
    let (status, dry) = import(
        &admin,
        &format!("source=solidtime&dry_run=true&user={email}&{q}"),
        file("samples/solidtime.csv"),
    )
    .await;
    assert_eq!(status, 200, "{dry}");
    assert_eq!(
        (dry["errors"].clone(), dry["entries"].clone()),
        (serde_json::json!([]), 10.into())
    );
    assert_eq!(dry["new_users"], serde_json::json!([]));
    // Toggl for real: people created disabled, entries in, times read in Berlin.
    let before = admin.user_emails().await.len();
    let (status, done) = import(
        &admin,
        &format!("source=toggl&{q}"),
        file("samples/toggl.csv"),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        (done["written"].clone(), done["entries"].clone()),
        (true.into(), 10.into())
    );
    let users = admin.get("/api/v1/users?q=zoe").await.body;
    let zoe = &users["items"][0];
    assert_eq!(zoe["disabled"], true, "{users}");
    let created = done["new_users"].as_array().unwrap();
    assert!(
        created
            .iter()
            .any(|u| u == "Zoë Müller <zoe.mueller@example.com>"),
        "{done}"
    );
    assert_eq!(admin.user_emails().await.len(), before + created.len());
    let all = entries(&admin).await;
    assert_eq!(all.len(), 10);
    let first = all
        .iter()
        .find(|e| e["note"] == "Monthly restore test of the file server")
        .unwrap();
    let start = chrono::DateTime::parse_from_rfc3339(first["start"].as_str().unwrap()).unwrap();
    // 09:00 in Berlin.
    assert_eq!(start.to_utc().to_rfc3339(), "2026-11-02T08:00:00+00:00");
    assert_eq!(first["duration_seconds"], 5400);
    // The same file again: nothing twice. Clockify's sample holds the same entries, but its
    // rows are other rows (another tool's fingerprint): that is the admin's call, and the dry
    // run shows it.
    let (status, again) = import(
        &admin,
        &format!("source=toggl&{q}"),
        file("samples/toggl.csv"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (again["entries"].clone(), again["already_imported"].clone()),
        (0.into(), 10.into())
    );
    assert_eq!(entries(&admin).await.len(), 10);
    let audit = admin.audit("action=import.completed").await;
    assert_eq!(audit.len(), 2);
}

#[tokio::test]
async fn a_file_with_a_bad_row_writes_nothing_and_names_every_bad_line() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let users_before = admin.user_emails().await;
    let (status, dry) = import(
        &admin,
        "source=toggl&dry_run=true",
        file("broken/toggl-bad-rows.csv"),
    )
    .await;
    assert_eq!(status, 200);
    let lines: Vec<u64> = (dry["errors"].as_array().unwrap().iter())
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 16]);
    assert!(dry["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("25:10"));
    // The real import refuses, row by row, and writes nothing.
    let (status, refused) = import(&admin, "source=toggl", file("broken/toggl-bad-rows.csv")).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["code"], "validation.failed");
    assert_eq!(refused["errors"][0]["field"], "line 3");
    assert_eq!(refused["errors"].as_array().unwrap().len(), 11);
    assert!(entries(&admin).await.is_empty());
    assert_eq!(admin.user_emails().await, users_before);
    assert!(admin.list_projects("").await.is_empty());
    // Whole-file problems: a missing column, not UTF-8, an unknown source.
    for (query, body, says) in [
        (
            "source=toggl",
            file("broken/toggl-missing-column.csv"),
            "Start time",
        ),
        (
            "source=clockify",
            file("broken/clockify-latin1.csv"),
            "UTF-8",
        ),
        (
            "source=ophiontt",
            file("broken/ophiontt-version.json"),
            "version",
        ),
        ("source=harvest", file("samples/toggl.csv"), "one of"),
    ] {
        let (status, p) = import(&admin, query, body).await;
        assert_eq!(status, 422, "{query}: {p}");
        assert!(
            p["errors"][0]["message"].as_str().unwrap().contains(says),
            "{query}: {p}"
        );
    }
    // BOM and CRLF read like the plain file.
    let (status, crlf) = import(
        &admin,
        "source=toggl&dry_run=true",
        file("broken/toggl-crlf-bom.csv"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(crlf["errors"], serde_json::json!([]), "{crlf}");
}

#[tokio::test]
async fn two_imports_of_one_file_at_once_create_each_entry_once() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let body = file("samples/ophiontt.json");
    let (a, b) = tokio::join!(
        import(&admin, "source=ophiontt", body.clone()),
        import(&admin, "source=ophiontt", body.clone())
    );
    // One may lose the race for the people and projects (`write.contended`) and is simply run
    // again; whichever ran, each row is in once.
    let ok = [&a, &b].iter().filter(|(s, _)| *s == 200).count();
    assert!(ok >= 1, "{a:?} {b:?}");
    for (status, v) in [&a, &b] {
        assert!(
            *status == 200 || v["code"] == "write.contended",
            "{status}: {v}"
        );
    }
    let (status, again) = import(&admin, "source=ophiontt", body).await;
    assert_eq!(status, 200);
    assert_eq!(again["entries"], 0);
    assert_eq!(entries(&admin).await.len(), 10);
}

#[tokio::test]
async fn an_export_imported_elsewhere_keeps_every_second() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (status, _) = import(&admin, "source=ophiontt", file("samples/ophiontt.json")).await;
    assert_eq!(status, 200);
    let exported = admin
        .get("/api/v1/exports/entries?format=json&from=2026-10-25&to=2026-12-05")
        .await
        .text;
    // Into a second server, through the command line with the server stopped.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let path = tmp.path().join("export.json");
    std::fs::write(&path, &exported).unwrap();
    let o = cli(
        &data,
        &[
            "import",
            "--from",
            "ophiontt",
            path.to_str().unwrap(),
            "--dry-run",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Would create (dry run, nothing written)"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("entries: 10"), "{}", stdout(&o));
    let o = cli(
        &data,
        &["import", "--from", "ophiontt", path.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("imported 10 of 10 entries"),
        "{}",
        stderr(&o)
    );
    let back = tmp.path().join("back.json");
    let o = cli(
        &data,
        &[
            "export",
            "--format",
            "json",
            "--from",
            "2026-10-25",
            "--to",
            "2026-12-05",
            "-o",
            back.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let fields = |text: &str| {
        let v: Value = serde_json::from_str(text).unwrap();
        let mut rows: Vec<String> = (v["entries"].as_array().unwrap().iter())
            .map(|e| {
                let t = |k: &str| {
                    chrono::DateTime::parse_from_rfc3339(e[k].as_str().unwrap())
                        .unwrap()
                        .timestamp_millis()
                };
                format!(
                    "{} {} {} {} {} {} {} {} {}",
                    e["user_email"],
                    t("start"),
                    t("end"),
                    e["duration_seconds"],
                    e["project"],
                    e["task"],
                    e["tags"],
                    e["note"],
                    e["billable"]
                )
            })
            .collect();
        rows.sort();
        rows
    };
    let a = fields(&exported);
    assert_eq!(a.len(), 10);
    assert_eq!(a, fields(&std::fs::read_to_string(&back).unwrap()));
    // The midnight-crossing entry and the one ending on a quarter second are in whole.
    assert!(a.iter().any(|r| r.contains(" 9900 ")), "{a:#?}");
}

#[tokio::test]
async fn a_row_in_an_approved_week_is_a_bad_row() {
    use crate::weeks::{at, monday, step, Team};
    let t = Team::approval().await;
    let w = monday(-1);
    t.mem
        .create_entry(&crate::helpers::EntryReq::new(
            &t.apollo,
            &at(w, 9, 0),
            &at(w, 10, 0),
        ))
        .await;
    step(&t.mem, &format!("/api/v1/weeks/{w}/submit"), json!({})).await;
    step(
        &t.mgr,
        &format!("/api/v1/weeks/{}/{w}/approve", t.mem_id),
        json!({}),
    )
    .await;
    // Two rows of the member's: one in the approved week, one in the week after.
    let next = monday(0);
    let csv = format!(
        "User,Email,Project,Description,Billable,Start date,Start time,End date,End time\n\
         Mem,mem@example.com,Apollo,late,No,{w},11:00:00,{w},12:00:00\n\
         Mem,mem@example.com,Apollo,fine,No,{next},00:00:00,{next},00:30:00\n"
    );
    let (status, dry) = import(
        &t.admin,
        "source=toggl&dry_run=true&time_zone=UTC",
        csv.clone().into_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{dry}");
    assert_eq!(dry["errors"][0]["line"], 2, "{dry}");
    assert!(
        dry["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("approved or locked"),
        "{dry}"
    );
    assert_eq!(
        (
            dry["errors"].as_array().unwrap().len(),
            dry["entries"].clone()
        ),
        (1, 1.into())
    );
}
