//! Issue 14's rough edges that show at the API or on the command line: a lockout names the
//! account it locked, the privacy notice says "the contact above" only when there is one and
//! labels its cells for phones, audit targets carry a readable label (never an erased
//! person's name), and `ophiontt audit accessed` counts a ZIP in bytes, names no one for an
//! empty export and ends quietly when its reader stops (`| head -1`).
// See: #14

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use chrono::{Days, Utc};
use serde_json::{json, Value};

use crate::helpers::{cli, stderr, stdout, Client, EntryReq, ProjectReq, Server, BIN};

#[tokio::test]
async fn a_lockout_of_an_existing_account_names_that_account() {
    // Arrange: a member, and someone guessing their password until the throttle answers.
    let srv = Server::start();
    let admin = srv.setup_admin().await;
    let (_member, member_id) = srv.user_with_role(&admin, "mo@example.com", "member").await;
    let guesser = Client::new(&srv.base);

    // Act
    // Mo's email, then one no account has.
    for email in ["mo@example.com", "ghost@example.com"] {
        let mut locked = false;
        for _ in 0..12 {
            if guesser.login(email, "nope").await.status == 429 {
                locked = true;
                break;
            }
        }
        assert!(
            locked,
            "the throttle answers 429 within 12 attempts for {email}"
        );
    }

    // Assert: the lockout of Mo's sign-in is Mo's event, the stranger's names no account.
    let page = admin
        .security_events("kind=login_locked_out&limit=50")
        .await;
    let mo = page
        .items
        .iter()
        .find(|e| e.email.as_deref() == Some("mo@example.com"))
        .unwrap_or_else(|| panic!("no lockout for mo: {:?}", page.items));
    assert_eq!(mo.user_id.as_deref(), Some(member_id.as_str()), "{mo:?}");
    assert_eq!(mo.user_name.as_deref(), Some("User member"), "{mo:?}");
    let ghost = page
        .items
        .iter()
        .find(|e| e.email.as_deref() == Some("ghost@example.com"))
        .unwrap_or_else(|| panic!("no lockout for ghost: {:?}", page.items));
    assert_eq!(ghost.user_id, None, "{ghost:?}");
    assert_eq!(ghost.user_name, None, "{ghost:?}");
}

async fn privacy_page(srv: &Server) -> String {
    let c = Client::new(&srv.base);
    let r = c.http.get(srv.url("/privacy")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.text().await.unwrap()
}

#[tokio::test]
async fn the_privacy_notice_points_at_a_contact_only_when_one_is_configured() {
    // Without a contact: whom to ask instead, and every table cell labelled for phones.
    let srv = Server::start();
    let html = privacy_page(&srv).await;
    assert!(!html.contains("contact above"), "{html}");
    assert!(
        html.contains("by asking the administrators of this instance"),
        "{html}"
    );
    for label in ["What", "Why", "Kept", "Purpose", "Lifetime"] {
        assert!(
            html.contains(&format!("data-label=\"{label}\"")),
            "cells carry their heading {label:?} for the stacked phone layout"
        );
    }
    let cells = html.matches("<td").count();
    let labelled = html.matches("<td data-label=").count()
        + html.matches("<td class=\"retention\" data-label=").count();
    assert_eq!(cells, labelled, "every cell names its column");

    // With a contact: "the contact above", which the page shows.
    let srv = Server::start_with_env(&[("OPHIONTT_PRIVACY_CONTACT", "privacy@acme.example")]);
    let html = privacy_page(&srv).await;
    assert!(
        html.contains("id=\"contact\">privacy@acme.example"),
        "{html}"
    );
    assert!(html.contains("through the contact above"), "{html}");
    assert!(!html.contains("administrators of this instance"), "{html}");
}

/// The `target_label` of the newest record with `action` about `target`.
fn label_of(page: &Value, action: &str, target: &str) -> Option<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == action && r["target"] == target)
        .unwrap_or_else(|| panic!("no {action} on {target} in {page}"))["target_label"]
        .as_str()
        .map(str::to_owned)
}

#[tokio::test]
async fn audit_targets_carry_a_readable_label_and_an_erased_person_stays_unnamed() {
    // Arrange: a project, an entry on it (the admin's zone is Europe/London, GMT in
    // November), and a member who is then erased.
    let srv = Server::start();
    let admin = srv.setup_admin().await;
    let (_member, member_id) = srv.user_with_role(&admin, "mo@example.com", "member").await;
    let project = admin.create_project(&ProjectReq::named("Backups")).await.id;
    let entry = admin
        .create_entry(&EntryReq::new(
            &project,
            "2026-11-02T09:00:00Z",
            "2026-11-02T10:00:00Z",
        ))
        .await;

    // Act
    let before = admin.get("/api/v1/audit?limit=200").await;
    assert_eq!(before.status, 200, "{}", before.body);
    let r = admin
        .post(
            &format!("/api/v1/privacy/users/{member_id}/erase"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after = admin.get("/api/v1/audit?limit=200").await;
    assert_eq!(after.status, 200, "{}", after.body);

    // Assert: what the target is, in words; the id stays in `target`.
    let entry_target = format!("entry:{}", entry.id);
    let entry_label = label_of(&after.body, "entry.created", &entry_target);
    assert_eq!(
        entry_label.as_deref(),
        Some("Time entry · Backups · 2026-11-02 09:00")
    );
    let user_target = format!("user:{member_id}");
    assert_eq!(
        label_of(&before.body, "user.created", &user_target).as_deref(),
        Some("User · User member")
    );
    // Once erased, the person's records name no one: the label says the account is gone.
    assert_eq!(
        label_of(&after.body, "user.created", &user_target).as_deref(),
        Some("User · account gone")
    );
    let text = after.body.to_string();
    assert!(
        !after.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["target_label"]
                .as_str()
                .is_some_and(|l| l.contains("User member"))),
        "an erased person's name is back in a label: {text}"
    );
}

#[tokio::test]
async fn audit_accessed_counts_a_zip_in_bytes_and_names_no_one_for_an_empty_export() {
    // Arrange: a privacy export of a member's data (a ZIP), and an export job over a day
    // in which nobody tracked time.
    let tmp = tempfile::tempdir().unwrap();
    let srv = Server::start_in(tmp.path(), &[("OPHIONTT_JOBS_EXPORT_PERIOD", "day")]);
    let admin = srv.setup_admin().await;
    let (_member, member_id) = srv.user_with_role(&admin, "mo@example.com", "member").await;
    let zip = admin
        .get(&format!("/api/v1/privacy/users/{member_id}/export"))
        .await;
    assert_eq!(zip.status, 200);
    admin.run_job_to_the_end("export").await;
    let today = Utc::now().date_naive();
    let (from, to) = (
        (today - Days::new(1)).to_string(),
        (today + Days::new(1)).to_string(),
    );

    // Act
    let o = cli(
        &srv.data,
        &["audit", "accessed", "--from", &from, "--to", &to],
    );

    // Assert
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let zip_line = out
        .lines()
        .find(|l| l.contains("personal data export (ZIP)"))
        .unwrap_or_else(|| panic!("no ZIP line: {out}"));
    assert!(zip_line.contains(" bytes"), "{zip_line}");
    assert!(!zip_line.contains("records"), "{zip_line}");
    let export_line = out
        .lines()
        .find(|l| l.contains("read time entries export of"))
        .unwrap_or_else(|| panic!("no export line: {out}"));
    assert!(
        export_line.contains("read time entries export of no one (0 records"),
        "{export_line}"
    );
}

#[tokio::test]
async fn audit_accessed_piped_into_head_ends_quietly() {
    // Arrange: more reads recorded than a pipe buffers (64 KiB), so the command is still
    // writing when its reader goes: 300 user-list searches, each ~250 bytes as a line.
    let srv = Server::start();
    let admin = srv.setup_admin().await;
    for i in 0..300 {
        let q = format!("{i:03}{}", "q".repeat(200));
        assert_eq!(admin.get(&format!("/api/v1/users?q={q}")).await.status, 200);
    }
    let today = Utc::now().date_naive();
    let (from, to) = (
        (today - Days::new(1)).to_string(),
        (today + Days::new(1)).to_string(),
    );

    // Act: `ophiontt audit accessed … | head -1`.
    let mut child = Command::new(BIN)
        .args(["audit", "accessed", "--from", &from, "--to", &to, "--data"])
        .arg(&srv.data)
        .env_remove("OPHIONTT_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running ophiontt");
    let mut first = String::new();
    {
        let mut lines = BufReader::new(child.stdout.take().unwrap());
        lines.read_line(&mut first).unwrap();
    } // the read end closes here, as `head` exits after one line
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();

    // Assert
    assert!(first.contains("read user list of everyone"), "{first}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("Broken pipe"), "{err}");
    assert_eq!(status.code(), Some(0), "{err}");
}
