//! The breach register (`/api/v1/incidents`): who may read and change it, its refusals with
//! their codes, the 72-hour deadline and a late notification's reason, two edits from one
//! version, the people proposed from the record of reads in the window, the notification
//! queued once per person through the outbox, and the report for the authority.

use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use serde_json::{json, Value};

use crate::helpers::{Client, Resp, Server};

/// A server that sends e-mail, to a loopback port where nothing listens (nothing is
/// delivered; the outbox shows what was queued).
fn server_with_email() -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    Server::start_with_env(&[
        ("OPHIONTT_EMAIL_SMTP_HOST", "127.0.0.1"),
        ("OPHIONTT_EMAIL_SMTP_PORT", &port),
        ("OPHIONTT_EMAIL_SECURITY", "none"),
        ("OPHIONTT_EMAIL_FROM", "OphionTT <tt@example.com>"),
    ])
}

fn instant(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Opens an incident as `admin`; returns its JSON.
async fn open(admin: &Client, body: Value) -> Value {
    let r = admin.post("/api/v1/incidents", body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body
}

fn path(inc: &Value, rest: &str) -> String {
    format!("/api/v1/incidents/{}{rest}", inc["id"].as_str().unwrap())
}

async fn pause() {
    // Two reads a few milliseconds apart, so the window can start between them.
    tokio::time::sleep(Duration::from_millis(20)).await;
}

#[tokio::test]
async fn only_admins_change_the_register_and_auditors_read_it() {
    // Arrange
    let s = Server::start();
    let admin = s.setup_admin().await;
    let inc = open(&admin, json!({ "title": "Laptop stolen" })).await;
    let (member, _) = s.user_with_role(&admin, "m@example.com", "member").await;
    let (manager, _) = s.user_with_role(&admin, "g@example.com", "manager").await;
    let (auditor, _) = s.user_with_role(&admin, "a@example.com", "auditor").await;
    let patch = json!({ "version": 1, "nature": "theft" });
    // Act / Assert: members and managers are refused everything.
    for c in [&member, &manager] {
        assert_eq!(c.get("/api/v1/incidents").await.status, 403);
        assert_eq!(c.get(&path(&inc, "")).await.status, 403);
        let r = c.post("/api/v1/incidents", json!({ "title": "x" })).await;
        assert_eq!((r.status, r.code()), (403, "auth.forbidden"));
        assert_eq!(c.get(&path(&inc, "/report")).await.status, 403);
    }
    // Auditors read, and change nothing.
    let list = auditor.get("/api/v1/incidents").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.body["items"][0]["title"], "Laptop stolen");
    assert_eq!(auditor.get(&path(&inc, "")).await.status, 200);
    assert_eq!(auditor.get(&path(&inc, "/report")).await.status, 200);
    assert_eq!(
        auditor.get(&path(&inc, "/proposed-people")).await.status,
        200
    );
    assert_eq!(
        auditor.patch(&path(&inc, ""), patch.clone()).await.status,
        403
    );
    assert_eq!(
        auditor.get(&path(&inc, "/notification-draft")).await.status,
        403
    );
    let r = auditor
        .post(
            &path(&inc, "/notifications"),
            json!({ "subject": "s", "body": "b" }),
        )
        .await;
    assert_eq!(r.status, 403);
    // Without [email], sending is refused with its code.
    let r = admin
        .post(
            &path(&inc, "/notifications"),
            json!({ "subject": "s", "body": "b" }),
        )
        .await;
    assert_eq!((r.status, r.code()), (409, "email.not_configured"));
}

#[tokio::test]
async fn bad_input_is_refused_with_stable_codes() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let later = instant(Utc::now() + chrono::Duration::hours(2));
    let cases: &[(Value, &str, &str)] = &[
        (json!({ "title": "  " }), "title", "required"),
        (
            json!({ "title": "x", "discovered_at": later }),
            "discovered_at",
            "in_future",
        ),
        (
            json!({ "title": "x", "discovered_at": "2026-01-02T00:00:00Z", "occurred_from": "2026-01-03" }),
            "occurred_from",
            "after_discovery",
        ),
        (
            json!({ "title": "x", "discovered_at": "2026-01-02T00:00:00Z", "occurred_from": "2026-01-01", "occurred_to": "2025-12-01" }),
            "occurred_to",
            "end_before_start",
        ),
        (
            json!({ "title": "x", "discovered_at": "yesterday" }),
            "discovered_at",
            "invalid",
        ),
    ];
    for (body, field, code) in cases {
        let r = admin.post("/api/v1/incidents", body.clone()).await;
        assert_eq!(
            r.field_error(),
            (422, "validation.failed", *field, *code),
            "{body}: {}",
            r.body
        );
    }
    let r = admin
        .get(&format!("/api/v1/incidents/{}", uuid::Uuid::now_v7()))
        .await;
    assert_eq!((r.status, r.code()), (404, "incident.not_found"));
    let r = admin.get("/api/v1/incidents/not-an-id").await;
    assert_eq!((r.status, r.code()), (404, "incident.not_found"));
    // Closing an incident the authority never heard of needs a note.
    let inc = open(&admin, json!({ "title": "Mail to the wrong list" })).await;
    let r = admin.post(&path(&inc, "/close"), json!({})).await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "note", "required")
    );
    let r = admin
        .post(
            &path(&inc, "/close"),
            json!({ "note": "one recipient, deleted unread" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["status"].as_str(), r.body["deadline"].as_str()),
        (Some("closed"), Some("closed_unnotified"))
    );
    let r = admin
        .patch(
            &path(&inc, ""),
            json!({ "version": r.body["version"], "nature": "x" }),
        )
        .await;
    assert_eq!((r.status, r.code()), (409, "incident.closed"));
}

#[tokio::test]
async fn the_deadline_is_72_hours_and_a_late_notification_says_why() {
    // Arrange: discovered 80 hours ago.
    let s = Server::start();
    let admin = s.setup_admin().await;
    let discovered = Utc::now() - chrono::Duration::hours(80);
    let inc = open(
        &admin,
        json!({ "title": "Backup disk lost", "discovered_at": instant(discovered) }),
    )
    .await;
    // Assert: overdue, every Art. 33(3) field listed as missing but the contact default.
    let due =
        chrono::DateTime::parse_from_rfc3339(inc["authority_due_at"].as_str().unwrap()).unwrap();
    assert_eq!(
        (due.timestamp() - discovered.timestamp()) / 3600,
        72,
        "{}",
        inc
    );
    assert_eq!(inc["deadline"], "overdue");
    assert_eq!(inc["missing"].as_array().unwrap().len(), 8, "{}", inc);
    // Act: a notification now, after the 72 hours, needs the reasons for the delay.
    let r = admin
        .post(&path(&inc, "/authority"), json!({ "reference": "DPA-7" }))
        .await;
    assert_eq!(
        r.field_error(),
        (422, "validation.failed", "delay_reason", "required")
    );
    let r = admin
        .post(
            &path(&inc, "/authority"),
            json!({ "reference": "DPA-7", "delay_reason": "the disk's owner told us late" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["deadline"], "notified_late");
    assert_eq!(r.body["authority"]["reference"], "DPA-7");
    let again = admin
        .post(
            &path(&inc, "/authority"),
            json!({ "reference": "DPA-8", "delay_reason": "x" }),
        )
        .await;
    assert_eq!(
        (again.status, again.code()),
        (409, "incident.authority_recorded")
    );
    // A fresh incident is running, and notified in time needs no reason.
    let fresh = open(&admin, json!({ "title": "Phishing" })).await;
    assert_eq!(fresh["deadline"], "running");
    let r = admin.post(&path(&fresh, "/authority"), json!({})).await;
    assert_eq!(r.body["deadline"], "notified", "{}", r.body);
}

#[tokio::test]
async fn two_edits_from_the_same_version_one_wins_and_the_other_is_told_it_changed() {
    // Arrange
    let s = Server::start();
    let admin = s.setup_admin().await;
    let inc = open(&admin, json!({ "title": "Laptop stolen" })).await;
    let v = inc["version"].as_u64().unwrap();
    let p = path(&inc, "");
    // Act: two admins' forms, both made from version v.
    let (a, b) = tokio::join!(
        admin.patch(
            &p,
            json!({ "version": v, "nature": "theft", "people_count": 12 })
        ),
        admin.patch(
            &p,
            json!({ "version": v, "nature": "loss", "record_count": 400 })
        ),
    );
    // Assert
    let mut answers = [
        (a.status, a.code().to_owned()),
        (b.status, b.code().to_owned()),
    ];
    answers.sort();
    assert_eq!(answers[0].0, 200, "{} {}", a.body, b.body);
    assert_eq!(answers[1], (409, "incident.changed".to_owned()));
    let now = admin.get(&p).await.body;
    assert_eq!(now["version"], v + 1);
    let won = if a.status == 200 { &a } else { &b };
    assert_eq!(now["nature"], won.body["nature"]);
    assert!(!now["missing"]
        .as_array()
        .unwrap()
        .contains(&json!("nature")));
    // The one told to reload sends again from the new version.
    let r = admin
        .patch(
            &p,
            json!({ "version": now["version"], "measures": "disk wiped remotely" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// A member account with a name of its own; returns its id.
async fn person(s: &Server, admin: &Client, who: &str) -> String {
    let (_, id) = s
        .user_with_role(admin, &format!("{who}@example.com"), "member")
        .await;
    let r = admin
        .patch(&format!("/api/v1/users/{id}"), json!({ "name": who }))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    id
}

#[tokio::test]
async fn the_people_proposed_are_those_whose_data_was_read_in_the_window() {
    // Arrange: Anna is looked at before the window; Ben inside it; then the user list.
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (anna, ben) = (
        person(&s, &admin, "Anna").await,
        person(&s, &admin, "Ben").await,
    );
    assert_eq!(
        admin.get(&format!("/api/v1/users/{anna}")).await.status,
        200
    );
    pause().await;
    let from = instant(Utc::now());
    pause().await;
    let inc = open(
        &admin,
        json!({ "title": "An admin's session was taken over", "occurred_from": from }),
    )
    .await;
    assert_eq!(admin.get(&format!("/api/v1/users/{ben}")).await.status, 200);
    assert_eq!(admin.get("/api/v1/users").await.status, 200);
    // Act
    let p = admin.get(&path(&inc, "/proposed-people")).await;
    // Assert
    assert_eq!(p.status, 200, "{}", p.body);
    let people = p.body["people"].as_array().unwrap();
    let ids: Vec<&str> = people
        .iter()
        .map(|x| x["user_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [ben.as_str()], "{}", p.body);
    assert_eq!(people[0]["name"], "Ben");
    assert_eq!(people[0]["reads"], 1);
    assert_eq!(people[0]["readers"][0]["actor_name"], "Ada Admin");
    assert_eq!(people[0]["what"], json!(["account"]));
    let everyone = p.body["everyone"].as_array().unwrap();
    assert!(
        everyone.iter().any(|r| r["what"] == "user list"),
        "{}",
        p.body
    );
    // The register's own query is not proposed: asking again gives the same.
    let again = admin.get(&path(&inc, "/proposed-people")).await;
    assert_eq!(
        again.body["everyone"].as_array().unwrap().len(),
        everyone.len()
    );
    // Confirm Ben (proposed) and add Anna by hand.
    let put = admin
        .put(
            &path(&inc, "/affected"),
            json!({ "version": inc["version"], "user_ids": [ben, anna] }),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    let sources: Vec<(&str, &str)> = put.body["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["name"].as_str().unwrap(), x["source"].as_str().unwrap()))
        .collect();
    assert!(sources.contains(&("Ben", "proposed")), "{sources:?}");
    assert!(sources.contains(&("Anna", "added")), "{sources:?}");
    let proposed = admin.get(&path(&inc, "/proposed-people")).await;
    assert_eq!(proposed.body["people"][0]["affected"], true);
    // A stale list and an unknown person are refused.
    let stale = admin
        .put(
            &path(&inc, "/affected"),
            json!({ "version": inc["version"], "user_ids": [] }),
        )
        .await;
    assert_eq!((stale.status, stale.code()), (409, "incident.changed"));
    let unknown = admin
        .put(
            &path(&inc, "/affected"),
            json!({ "version": put.body["version"], "user_ids": [uuid::Uuid::now_v7().to_string()] }),
        )
        .await;
    assert_eq!(
        unknown.field_error(),
        (422, "validation.failed", "user_ids", "unknown_user")
    );
}

async fn emails(admin: &Client) -> Vec<Value> {
    let r = admin.get("/api/v1/outbox?channel=email").await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["event"] == "email.breach_notice")
        .cloned()
        .collect()
}

#[tokio::test]
async fn each_affected_person_is_notified_once_through_the_outbox_and_the_report_says_so() {
    // Arrange: two people affected, one of them disabled.
    let s = server_with_email();
    let admin = s.setup_admin().await;
    let (anna, ben) = (
        person(&s, &admin, "Anna").await,
        person(&s, &admin, "Ben").await,
    );
    let r = admin
        .post_empty(&format!("/api/v1/users/{ben}/disable"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let inc = open(
        &admin,
        json!({ "title": "Export sent to the wrong client" }),
    )
    .await;
    let inc = admin
        .patch(
            &path(&inc, ""),
            json!({ "version": inc["version"], "consequences": "your hours were seen by a client",
                    "measures": "the client deleted the file", "contact": "dpo@example.com" }),
        )
        .await
        .body;
    let inc = admin
        .put(
            &path(&inc, "/affected"),
            json!({ "version": inc["version"], "user_ids": [anna, ben] }),
        )
        .await
        .body;
    // Act: the draft, then the send.
    let draft = admin.get(&path(&inc, "/notification-draft")).await;
    assert_eq!(draft.status, 200, "{}", draft.body);
    assert!(draft.body["email_enabled"].as_bool().unwrap());
    assert_eq!(draft.body["recipients"].as_array().unwrap().len(), 2);
    let body = draft.body["body"].as_str().unwrap();
    assert!(body.starts_with("Hello {name},"), "{body}");
    assert!(body.contains("your hours were seen by a client"), "{body}");
    assert!(body.contains("dpo@example.com"), "{body}");
    let send = json!({ "subject": draft.body["subject"], "body": body });
    let sent = admin
        .post(&path(&inc, "/notifications"), send.clone())
        .await;
    // Assert: one e-mail each, queued and recorded.
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(sent.body["sent"].as_array().unwrap().len(), 2);
    let queued = emails(&admin).await;
    assert_eq!(queued.len(), 2, "{queued:?}");
    let mut to: Vec<&str> = queued.iter().map(|m| m["to"].as_str().unwrap()).collect();
    to.sort();
    assert_eq!(to, ["anna@example.com", "ben@example.com"]);
    let people = sent.body["incident"]["people"].as_array().unwrap();
    assert!(
        people.iter().all(|p| !p["notified_at"].is_null()),
        "{people:?}"
    );
    // Sending again tells no one twice; `resend` does, on purpose.
    let again = admin
        .post(&path(&inc, "/notifications"), send.clone())
        .await;
    assert_eq!(
        (again.status, again.code()),
        (409, "incident.nobody_to_notify")
    );
    assert_eq!(emails(&admin).await.len(), 2);
    let mut resend = send.clone();
    resend["resend"] = json!(true);
    let r = admin.post(&path(&inc, "/notifications"), resend).await;
    assert_eq!(r.body["sent"].as_array().unwrap().len(), 2, "{}", r.body);
    assert_eq!(emails(&admin).await.len(), 4);
    // The report: history, people, notifications; JSON and a Markdown file.
    let rep = admin.get(&path(&inc, "/report")).await;
    assert_eq!(rep.status, 200, "{}", rep.body);
    let actions: Vec<&str> = rep.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "incident.opened",
            "incident.updated",
            "incident.affected_set",
            "incident.notified",
            "incident.notified"
        ]
    );
    let text = rep.body["text"].as_str().unwrap();
    assert!(
        text.contains("## People affected: 2 (2 notified, Art. 34)"),
        "{text}"
    );
    assert!(text.contains("Anna <anna@example.com>"), "{text}");
    assert!(text.contains("> Hello {name},"), "{text}");
    let file: Resp = admin.get(&path(&inc, "/report/text")).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.headers["content-type"], "text/markdown; charset=utf-8");
    assert!(file.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"incident-"));
    assert!(file
        .text
        .starts_with("# Personal data breach: Export sent to the wrong client"));
    // Reading the report is recorded as a read of both people's data.
    let from = "2000-01-01T00:00:00Z";
    let to = instant(Utc::now() + chrono::Duration::minutes(1));
    let reads = admin
        .get(&format!(
            "/api/v1/audit/accessed?from={from}&to={to}&user={anna}"
        ))
        .await;
    assert!(
        reads.text.contains("breach register: report"),
        "{}",
        reads.body
    );
}

#[tokio::test]
async fn an_erased_person_stays_in_the_register_under_their_pseudonym() {
    // Arrange: Anna affected by a breach; she has an entry, so erasure keeps a pseudonym.
    let s = Server::start();
    let admin = s.setup_admin().await;
    let anna = person(&s, &admin, "Anna").await;
    let inc = open(&admin, json!({ "title": "Printout left on a train" })).await;
    let put = admin
        .put(
            &path(&inc, "/affected"),
            json!({ "version": inc["version"], "user_ids": [anna] }),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    // Act
    let r = admin
        .post(&format!("/api/v1/privacy/users/{anna}/erase"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Assert: still one person affected, no longer identifiable, not notifiable.
    let now = admin.get(&path(&inc, "")).await.body;
    let people = now["people"].as_array().unwrap();
    assert_eq!(people.len(), 1, "{now}");
    assert_eq!(people[0]["erased"], true);
    assert_eq!(people[0]["name"], Value::Null);
    assert_ne!(
        people[0]["user_id"],
        anna.as_str(),
        "the id is the pseudonym's"
    );
    assert!(!admin.get(&path(&inc, "/report")).await.text.contains(&anna));
}
