//! Retention over HTTP, with a fixed clock moved forward: rules purge what expired, a legal hold
//! keeps what it covers, a dry run removes nothing, every purge is audited, audit bodies are
//! redacted and the chain still verifies.

use ophiontt::clock::FixedClock;
use ophiontt::domain::retention::{Category, Keep};
use serde_json::{json, Value};

use crate::helpers::{
    Client, EntryReq, HoldReq, PrivacyNotice, PrivacyRequestReq, ProjectReq, UserReq, PASSWORD,
};
use crate::inproc::spawn_with;

const DAY: i64 = 86_400_000;
const T0: i64 = 1_800_000_000_000;

fn at(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap()
        .to_rfc3339()
}

async fn project(c: &Client, name: &str) -> String {
    c.create_project(&ProjectReq::named(name)).await.id
}

async fn entry(c: &Client, project: &str, end_ms: i64) -> String {
    let req = EntryReq::new(project, &at(end_ms - 3_600_000), &at(end_ms)).note("rotated keys");
    c.create_entry(&req).await.id
}

async fn entry_exists(c: &Client, id: &str) -> bool {
    let page = c
        .list_entries("from=2020-01-01&to=2030-12-31&limit=200")
        .await;
    page.items.iter().any(|e| e.id == id)
}

#[tokio::test(flavor = "multi_thread")]
async fn rules_purge_what_expired_holds_keep_what_they_cover_and_everything_is_audited() {
    let clock = FixedClock::new(T0);
    let srv = spawn_with(clock.clone(), |c| {
        c.retention.set(Category::TimeEntries, Keep::Days(30));
        c.retention.set(Category::SecurityEvents, Keep::Days(7));
    })
    .await;
    let admin = srv.admin().await;
    let held_p = project(&admin, "Litigated").await;
    let free_p = project(&admin, "Routine").await;
    let old_held = entry(&admin, &held_p, T0 - 40 * DAY).await;
    let old_free = entry(&admin, &free_p, T0 - 40 * DAY).await;
    let recent = entry(&admin, &free_p, T0 - DAY).await;
    // Two failed sign-ins now: security events that expire after 7 days.
    for email in ["a@example.com", "nobody@example.com"] {
        let r = Client::new(&srv.base).login(email, "wrong password").await;
        assert_eq!(r.status, 401);
    }

    let hold = admin
        .place_hold(&HoldReq::new(
            "project",
            Some("Litigated"),
            "case 2026-17, counsel's request",
        ))
        .await;
    let hold_id = hold.id;
    assert_eq!(hold.covers, "project Litigated");
    assert_eq!(hold.status, "active");

    clock.advance(10 * DAY);
    admin.login("a@example.com", PASSWORD).await;
    let preview = admin.retention().await;
    assert_eq!(preview.counts("time_entries"), (1, 1));
    let (events, _) = preview.counts("security_events");
    assert!(events >= 2, "{preview:?}");
    assert_eq!(preview.category("tasks").rule, "forever");
    assert_eq!(preview.category("tasks").label, "Tasks and comments");
    assert_eq!(preview.category("logs").rule, "30d");

    let dry = admin.run_retention(true).await;
    assert_eq!(dry.counts("time_entries"), (1, 1));
    assert!(
        entry_exists(&admin, &old_free).await,
        "a dry run removes nothing"
    );

    let run = admin.run_retention(false).await;
    assert_eq!(run.counts("time_entries"), (1, 1));
    assert!(
        !entry_exists(&admin, &old_free).await,
        "expired and not held"
    );
    assert!(
        entry_exists(&admin, &old_held).await,
        "expired but under the hold"
    );
    assert!(entry_exists(&admin, &recent).await, "not expired");
    let left = admin.security_events("kind=login_failed").await;
    assert_eq!(left.items.len(), 0, "{left:?}");

    let purged = admin.audit("action=retention.purged").await;
    assert!(purged
        .iter()
        .any(|r| r.body["category"] == "time_entries" && r.body["removed"] == 1));
    assert!(purged
        .iter()
        .any(|r| r.body["category"] == "security_events"));
    let held = admin.audit("action=retention.held").await;
    assert_eq!(held[0].body["category"], "time_entries");
    assert_eq!(held[0].body["kept_under_hold"], 1);
    assert_eq!(held[0].body["holds"][0], hold_id.as_str());

    // Released: the next run takes the entry the hold kept.
    let released = admin.release_hold(&hold_id, "case closed").await;
    assert_eq!(released.status, "released", "{released:?}");
    let again = admin
        .post(&format!("/api/v1/holds/{hold_id}/release"), json!({}))
        .await;
    assert_eq!((again.status, again.code()), (409, "hold.not_active"));
    let run = admin.run_retention(false).await;
    assert_eq!(run.counts("time_entries"), (1, 0));
    assert!(!entry_exists(&admin, &old_held).await);
    let released = admin.audit("action=hold.released").await;
    assert_eq!(released[0].body["why"], "case closed");

    let verify = admin.audit_verify().await;
    assert!(verify.ok, "{verify:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_audit_bodies_are_redacted_and_the_chain_still_verifies() {
    let clock = FixedClock::new(T0);
    let srv = spawn_with(clock.clone(), |c| {
        c.retention.set(Category::AuditBodies, Keep::Days(30));
    })
    .await;
    let admin = srv.admin().await;
    let p = project(&admin, "Old work").await;
    entry(&admin, &p, T0 - DAY).await;
    clock.advance(31 * DAY);
    admin.login("a@example.com", PASSWORD).await;
    let run = admin.run_retention(false).await;
    let (redacted, held) = run.counts("audit_bodies");
    assert!(redacted >= 3, "{run:?}");
    assert_eq!(held, 0);
    let created = admin.audit("action=entry.created").await;
    let rec = &created[0];
    assert_eq!(
        (rec.redacted, &rec.body, &rec.ip),
        (true, &Value::Null, &None),
        "{rec:?}"
    );
    let recent = admin.audit("action=retention.purged").await;
    assert!(
        !recent[0].redacted,
        "records newer than the rule keep their body"
    );
    let verify = admin.audit_verify().await;
    assert!(verify.ok, "{verify:?}");
    // A second run finds nothing more to redact among the old records.
    let again = admin.run_retention(false).await;
    assert_eq!(again.counts("audit_bodies"), (0, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hold_on_a_person_keeps_their_security_events_and_sessions() {
    let clock = FixedClock::new(T0);
    let srv = spawn_with(clock.clone(), |c| {
        c.retention.set(Category::SecurityEvents, Keep::Days(1));
    })
    .await;
    let admin = srv.admin().await;
    let bea = admin
        .create_user(&UserReq::new("Bea", "bea@example.com", "member", "UTC"))
        .await
        .user
        .id;
    let hold = admin
        .place_hold(
            &HoldReq::new("user", Some("bea@example.com"), "HR investigation")
                .ends_at("2030-01-01"),
        )
        .await;
    assert_eq!(hold.target_id.as_deref(), Some(bea.as_str()));
    assert!(hold.covers.contains("bea@example.com"));
    clock.advance(2 * DAY);
    admin.login("a@example.com", PASSWORD).await;
    let run = admin.run_retention(false).await;
    let (_, held) = run.counts("security_events");
    assert_eq!(held, 1, "Bea's link_issued event stays: {run:?}");
    let hers = admin.security_events(&format!("user_id={bea}")).await;
    assert_eq!(hers.items[0].kind, "link_issued", "{hers:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn hold_and_retention_input_is_checked_and_roles_are_enforced() {
    let srv = spawn_with(FixedClock::new(T0), |_| {}).await;
    let admin = srv.admin().await;
    for (body, field, code) in [
        (
            json!({ "kind": "user", "target": "ghost@example.com", "reason": "x" }),
            "target",
            "not_found",
        ),
        (
            json!({ "kind": "planet", "reason": "x" }),
            "kind",
            "unknown_kind",
        ),
        (
            json!({ "kind": "instance", "reason": "  " }),
            "reason",
            "required",
        ),
        (
            json!({ "kind": "instance", "reason": "x".repeat(501) }),
            "reason",
            "too_long",
        ),
        (
            json!({ "kind": "instance", "reason": "x", "ends_at": "2020-01-01" }),
            "ends_at",
            "in_past",
        ),
        (
            json!({ "kind": "instance", "reason": "x", "ends_at": "soon" }),
            "ends_at",
            "invalid_date",
        ),
        (
            json!({ "kind": "project", "reason": "x" }),
            "target",
            "required",
        ),
    ] {
        let r = admin.post("/api/v1/holds", body.clone()).await;
        assert_eq!(
            (r.status, r.code()),
            (422, "validation.failed"),
            "{body}: {}",
            r.body
        );
        assert_eq!(r.body["errors"][0]["field"], field, "{body}");
        assert_eq!(r.body["errors"][0]["code"], code, "{body}");
    }
    assert!(admin.list_holds().await.is_empty(), "nothing was written");
    let r = admin
        .post(
            "/api/v1/holds",
            json!({ "kind": "user", "target": "ghost@example.com", "reason": "" }),
        )
        .await;
    let fields: Vec<&str> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["target", "reason"],
        "every field error at once: {}",
        r.body
    );
    let hold = admin
        .place_hold(&HoldReq::new("instance", None, "audit season").ends_at("2030-01-01"))
        .await;
    assert_eq!(
        hold.ends_at.as_deref(),
        Some("2030-01-01T00:00:00Z"),
        "a date is the start of that day in the admin's zone (UTC here)"
    );
    assert_eq!(hold.placed_by_name.as_deref(), Some("A"));
    let id = hold.id;
    let r = admin
        .post(
            &format!("/api/v1/holds/{id}/release"),
            json!({ "reason": " " }),
        )
        .await;
    assert_eq!(
        (r.status, r.body["errors"][0]["field"].as_str()),
        (422, Some("reason")),
        "a release needs a reason"
    );
    let released = admin.release_hold(&id, "season over").await;
    assert_eq!(released.released_by_name.as_deref(), Some("A"));
    let r = admin
        .post(
            "/api/v1/holds/0190f1c2-0000-7000-8000-000000000000/release",
            json!({}),
        )
        .await;
    assert_eq!((r.status, r.code()), (404, "hold.not_found"));

    for (role, email) in [
        ("auditor", "aud@example.com"),
        ("member", "mem@example.com"),
    ] {
        let created = admin
            .create_user(&UserReq::new(role, email, role, "UTC"))
            .await;
        let token = crate::helpers::link_token(&created.reset_link.url);
        let c = Client::new(&srv.base);
        c.post(
            "/api/v1/password-reset",
            json!({ "token": token, "new_password": PASSWORD }),
        )
        .await;
        assert_eq!(c.login(email, PASSWORD).await.status, 200);
        let reads = [
            c.get("/api/v1/holds").await.status,
            c.get("/api/v1/retention").await.status,
        ];
        let hold = c
            .post(
                "/api/v1/holds",
                json!({ "kind": "instance", "reason": "x" }),
            )
            .await;
        let run = c
            .post("/api/v1/retention/run", json!({ "dry_run": true }))
            .await;
        if role == "auditor" {
            assert_eq!(reads, [200, 200], "auditors read holds and rules");
        } else {
            assert_eq!(reads, [403, 403], "members do not");
        }
        assert_eq!(
            (hold.status, run.status),
            (403, 403),
            "{role} may not change them"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn disabled_accounts_are_erased_and_closed_requests_deleted_once_their_rules_expire() {
    let clock = FixedClock::new(T0);
    let srv = spawn_with(clock.clone(), |c| {
        c.retention.set(Category::DisabledAccounts, Keep::Days(30));
        c.retention.set(Category::PrivacyRequests, Keep::Days(30));
    })
    .await;
    let admin = srv.admin().await;
    let mut ids = Vec::new();
    for (name, email) in [
        ("Gone Away", "gone@example.com"),
        ("Held Back", "held@example.com"),
    ] {
        let id = admin
            .create_user(&UserReq::new(name, email, "member", "UTC"))
            .await
            .user
            .id;
        admin.disable_user(&id).await;
        ids.push(id);
    }
    admin
        .place_hold(&HoldReq::new(
            "user",
            Some("held@example.com"),
            "pending claim",
        ))
        .await;
    let req = admin
        .create_privacy_request(&PrivacyRequestReq {
            user: Some("gone@example.com".into()),
            verification: Some("in person".into()),
            ..PrivacyRequestReq::kind("access")
        })
        .await
        .id;
    admin.close_privacy_request(&req, "done", None).await;

    clock.advance(29 * DAY);
    admin.login("a@example.com", PASSWORD).await;
    let preview = admin.retention().await;
    assert_eq!(
        preview.counts("disabled_accounts"),
        (0, 0),
        "not yet 30 days"
    );
    clock.advance(2 * DAY);
    admin.login("a@example.com", PASSWORD).await;
    let preview = admin.retention().await;
    assert_eq!(preview.counts("disabled_accounts"), (1, 1), "{preview:?}");
    assert_eq!(preview.counts("privacy_requests"), (1, 0), "{preview:?}");

    let run = admin.run_retention(false).await;
    assert_eq!(run.counts("disabled_accounts"), (1, 1), "{run:?}");
    let gone = admin.get(&format!("/api/v1/users/{}", ids[0])).await;
    assert_eq!(
        gone.status, 404,
        "the erased account is gone: {}",
        gone.body
    );
    let kept = admin.get_user(&ids[1]).await;
    assert_eq!(kept.email, "held@example.com", "the held account stays");
    let erased = admin.audit("action=privacy.erased").await;
    assert_eq!(erased.len(), 1);
    let r = admin.get(&format!("/api/v1/privacy/requests/{req}")).await;
    assert_eq!(r.status, 404, "the closed request expired: {}", r.body);
    // The pseudonym account the erasure left is not erased again on the next run.
    let again = admin.run_retention(false).await;
    assert_eq!(again.counts("disabled_accounts"), (0, 1), "{again:?}");
    let verify = admin.audit_verify().await;
    assert!(verify.ok, "{verify:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_sets_a_rule_over_the_config_and_the_notice_follows() {
    let srv = spawn_with(FixedClock::new(T0), |_| {}).await;
    let admin = srv.admin().await;
    let notice_of = |notice: &PrivacyNotice, name: &str| {
        notice
            .categories
            .iter()
            .find(|c| c.name.to_lowercase().contains(name))
            .map(|c| c.retention.clone())
            .unwrap_or_else(|| panic!("no {name} in {notice:?}"))
    };
    let before = Client::new(&srv.base).privacy_notice().await;
    assert_eq!(
        notice_of(&before, "time entries"),
        "kept until deleted by hand"
    );

    let report = admin.set_retention_rule("time_entries", Some("7y")).await;
    let c = report.category("time_entries");
    assert_eq!((c.rule.as_str(), c.source.as_str()), ("7y", "admin"));
    assert_eq!(report.category("logs").source, "config");
    let after = Client::new(&srv.base).privacy_notice().await;
    assert_eq!(notice_of(&after, "time entries"), "7 years");
    let log = admin.audit("action=retention.rule_changed").await;
    assert_eq!(
        log[0].body,
        json!({ "category": "time_entries", "from": "forever", "to": "7y", "source": "admin" })
    );

    for (path, body, field, code) in [
        (
            "/api/v1/retention/rules/time_entries",
            json!({ "rule": "7 years" }),
            "rule",
            "invalid_rule",
        ),
        (
            "/api/v1/retention/rules/planets",
            json!({ "rule": "7y" }),
            "category",
            "unknown_category",
        ),
    ] {
        let r = admin.put(path, body).await;
        assert_eq!(
            (
                r.status,
                r.body["errors"][0]["field"].as_str(),
                r.body["errors"][0]["code"].as_str()
            ),
            (422, Some(field), Some(code)),
            "{}",
            r.body
        );
    }
    let report = admin.set_retention_rule("time_entries", None).await;
    let c = report.category("time_entries");
    assert_eq!((c.rule.as_str(), c.source.as_str()), ("forever", "config"));
}
