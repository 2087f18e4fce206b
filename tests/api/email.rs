//! E-mail (`[email]`): the configuration's refusals, each naming its key; that without it
//! nothing changes (links are only handed to the admin, no test e-mail); each person's
//! notification choices through `/api/v1/me`. Delivery through a real SMTP server is checked
//! by tests/email/check.py (aiosmtpd on loopback).

use serde_json::json;

use crate::helpers::{stderr, Server, BIN};

/// `ophiontt check` with `[email]` keys (or any others) from the environment.
pub(crate) fn check_with(env: &[(&str, &str)]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(BIN);
    cmd.args(["check", "--data"])
        .arg(dir.path())
        .env_remove("OPHIONTT_CONFIG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

const HOST: (&str, &str) = ("OPHIONTT_EMAIL_SMTP_HOST", "mail.example.com");
const FROM: (&str, &str) = ("OPHIONTT_EMAIL_FROM", "OphionTT <tt@example.com>");

/// Environment variables, the key the refusal must name, and words it must say.
type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);

#[test]
fn bad_email_settings_are_refused_naming_the_key() {
    let cases: &[Case] = &[
        (
            &[HOST, FROM, ("OPHIONTT_EMAIL_SECURITY", "ssl")],
            "email.security",
            "not starttls, tls or none",
        ),
        (
            &[HOST],
            "email.from",
            "required when email.smtp_host is set",
        ),
        (
            &[HOST, ("OPHIONTT_EMAIL_FROM", "OphionTT <not an address>")],
            "email.from",
            "not an address",
        ),
        (
            &[HOST, FROM, ("OPHIONTT_EMAIL_SECURITY", "none")],
            "email.security",
            "only for an SMTP server on a loopback address",
        ),
        (
            &[HOST, FROM, ("OPHIONTT_EMAIL_USERNAME", "tt")],
            "email.password_file",
            "a file holding its password",
        ),
        (
            &[HOST, FROM, ("OPHIONTT_EMAIL_SMTP_PORT", "0")],
            "email.smtp_port",
            "not a port number",
        ),
        (
            &[HOST, FROM, ("OPHIONTT_EMAIL_TIMEOUT", "1h")],
            "email.timeout",
            "from 1s to 120s",
        ),
    ];
    for (env, key, why) in cases {
        let out = check_with(env);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{env:?}: {err}");
        assert!(
            err.contains(&format!("config key `{key}`")) && err.contains(why),
            "{env:?}: {err}"
        );
    }
    // `none` is fine on loopback, and empty smtp_host needs nothing else.
    let ok = check_with(&[
        ("OPHIONTT_EMAIL_SMTP_HOST", "127.0.0.1"),
        ("OPHIONTT_EMAIL_SECURITY", "none"),
        FROM,
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let off = check_with(&[("OPHIONTT_EMAIL_SECURITY", "none")]);
    assert_eq!(off.status.code(), Some(0), "{}", stderr(&off));
}

#[test]
fn a_missing_password_file_stops_the_server_at_start_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-file");
    let e = Server::try_start_in(
        dir.path(),
        &[
            HOST,
            FROM,
            ("OPHIONTT_EMAIL_USERNAME", "tt"),
            ("OPHIONTT_EMAIL_PASSWORD_FILE", missing.to_str().unwrap()),
        ],
    )
    .err()
    .expect("the server refused to start");
    assert!(
        e.contains("email.password_file") && e.contains("no-such-file"),
        "{e}"
    );
}

#[tokio::test]
async fn without_email_links_are_only_handed_over_and_there_is_no_test_email() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let me = admin.get("/api/v1/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["email_enabled"], false, "{}", me.body);
    assert_eq!(me.body["email_notification_kinds"], json!([]));
    let made = admin
        .post(
            "/api/v1/users",
            json!({ "name": "Max", "email": "max@example.com", "role": "member", "time_zone": "UTC" }),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["reset_link"]["emailed"], false);
    assert!(made.body["reset_link"]["url"]
        .as_str()
        .unwrap()
        .contains("/reset#token="));
    let id = made.body["user"]["id"].as_str().unwrap().to_owned();
    let link = admin
        .post(&format!("/api/v1/users/{id}/reset-link"), json!({}))
        .await;
    assert_eq!(link.status, 200, "{}", link.body);
    assert_eq!(link.body["emailed"], false);
    let sys = admin.get("/api/v1/system").await;
    assert_eq!(sys.body["email"], serde_json::Value::Null, "{}", sys.body);
    let test = admin.post("/api/v1/system/test-email", json!({})).await;
    assert_eq!(test.status, 409, "{}", test.body);
    assert_eq!(test.code(), "email.not_configured");
}

#[tokio::test]
async fn each_person_turns_notifications_off_for_their_role_audited() {
    // E-mail on, to a port nothing listens on: nothing is delivered, which is fine here.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let s = Server::start_with_env(&[
        ("OPHIONTT_EMAIL_SMTP_HOST", "127.0.0.1"),
        ("OPHIONTT_EMAIL_SMTP_PORT", &port),
        ("OPHIONTT_EMAIL_SECURITY", "none"),
        FROM,
        ("OPHIONTT_APPROVAL_ENABLED", "true"),
    ]);
    let admin = s.setup_admin().await;
    let me = admin.get("/api/v1/me").await;
    assert_eq!(me.body["email_enabled"], true);
    assert_eq!(
        me.body["email_notification_kinds"],
        json!(["week_decisions", "privacy_deadlines", "backup_failures"])
    );
    assert_eq!(
        me.body["email_notifications"],
        json!({ "week_decisions": true, "privacy_deadlines": true, "backup_failures": true })
    );
    let sys = admin.get("/api/v1/system").await;
    assert_eq!(
        sys.body["email"],
        json!({ "host": "127.0.0.1", "port": port.parse::<u16>().unwrap(), "security": "none", "from": "OphionTT <tt@example.com>", "authenticates": false })
    );
    let test = admin.post("/api/v1/system/test-email", json!({})).await;
    assert_eq!(test.status, 200, "{}", test.body);
    assert_eq!(test.body["to"], "admin@example.com");

    let (member, _) = s.user_with_role(&admin, "mem@example.com", "member").await;
    let me = member.get("/api/v1/me").await;
    assert_eq!(
        me.body["email_notification_kinds"],
        json!(["week_decisions"])
    );
    let r = member
        .patch(
            "/api/v1/me",
            json!({ "email_notifications": { "week_decisions": false } }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["email_notifications"]["week_decisions"], false);
    assert_eq!(r.body["name"], "User member", "the profile is unchanged");
    let again = member.get("/api/v1/me").await;
    assert_eq!(
        again.body["email_notifications"],
        json!({ "week_decisions": false, "privacy_deadlines": true, "backup_failures": true })
    );
    // The same again changes nothing and records nothing more.
    member
        .patch(
            "/api/v1/me",
            json!({ "email_notifications": { "week_decisions": false } }),
        )
        .await;
    let bad = member
        .patch(
            "/api/v1/me",
            json!({ "email_notifications": { "week_decisions": null } }),
        )
        .await;
    assert!(bad.status == 400 || bad.status == 422, "{}", bad.body);

    let audit = admin
        .get("/api/v1/audit?action=account.notifications_changed")
        .await;
    let items = audit.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", audit.body);
    assert_eq!(items[0]["body"], json!({ "week_decisions": false }));
}
