//! `ophiontt hold …` and `ophiontt retention …` from the shell, with the server running (the
//! admin socket) and stopped (the store opened directly).

use crate::helpers::{cli, stderr, stdout, Server};

#[tokio::test]
async fn holds_are_placed_listed_and_released_from_the_cli_and_retention_is_shown() {
    let mut srv = Server::start();
    let admin = srv.setup_admin().await;
    let r = admin
        .post("/api/v1/users", serde_json::json!({ "name": "Cy", "email": "cy@example.com", "role": "member", "time_zone": "UTC" }))
        .await;
    assert_eq!(r.status, 201);

    let out = cli(
        &srv.data,
        &[
            "hold",
            "add",
            "--user",
            "cy@example.com",
            "--reason",
            "tribunal claim 7",
            "--until",
            "2031-01-31",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("active")
            && text.contains("Cy <cy@example.com>")
            && text.contains("tribunal claim 7"),
        "{text}"
    );
    assert!(text.contains("ends 2031-01-31T00:00:00Z"), "{text}");
    let id = text.split_whitespace().next().unwrap().to_owned();

    let out = cli(
        &srv.data,
        &[
            "hold",
            "add",
            "--user",
            "nobody@example.com",
            "--reason",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("target: no such user"),
        "{}",
        stderr(&out)
    );
    let out = cli(
        &srv.data,
        &[
            "hold",
            "add",
            "--instance",
            "--reason",
            "x",
            "--until",
            "next year",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("\"next year\""), "{}", stderr(&out));
    let out = cli(&srv.data, &["hold", "add", "--reason", "x"]);
    assert_eq!(out.status.code(), Some(2), "a scope is required");

    let out = cli(&srv.data, &["retention", "set", "tasks", "18mo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cli(&srv.data, &["retention", "set", "tasks", "soon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("rule: `soon`"), "{}", stderr(&out));
    let out = cli(&srv.data, &["retention", "show"]);
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.starts_with("tasks") && l.contains("18mo") && l.contains("admin")),
        "{}",
        stdout(&out)
    );
    let out = cli(&srv.data, &["retention", "unset", "tasks"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cli(&srv.data, &["retention", "show"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "security_events",
        "90d",
        "time_entries",
        "forever",
        "logs",
        "30d",
        "tribunal claim 7",
        "nothing was removed",
    ] {
        assert!(text.contains(line), "{line} missing in:\n{text}");
    }

    // With the server stopped, the CLI opens the store itself.
    srv.stop();
    let out = cli(&srv.data, &["hold", "list"]);
    assert!(stdout(&out).contains(&id), "{}", stdout(&out));
    let out = cli(
        &srv.data,
        &["hold", "release", &id[..8], "--reason", "settled"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("released"), "{}", stdout(&out));
    let out = cli(&srv.data, &["hold", "release", &id, "--reason", "again"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("hold.not_active"), "{}", stderr(&out));
    let out = cli(&srv.data, &["retention", "run", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("dry run: nothing was removed"));
    let out = cli(&srv.data, &["retention", "run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("removed in total"));
    let out = cli(&srv.data, &["audit", "verify"]);
    assert!(out.status.success(), "{}", stdout(&out));
}

#[test]
fn a_bad_retention_rule_is_refused_naming_the_key_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(crate::helpers::BIN)
        .args(["check", "--data"])
        .arg(dir.path())
        .env("OPHIONTT_RETENTION_TIME_ENTRIES", "90 days")
        .env_remove("OPHIONTT_CONFIG")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("retention.time_entries")
            && err.contains("\"90 days\"")
            && err.contains("OPHIONTT_RETENTION_TIME_ENTRIES"),
        "{err}"
    );
}
