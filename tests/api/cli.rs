//! The admin CLI, with the server stopped (store opened directly) and running (admin socket):
//! `user …`, `check`, `seed`, help and version. Commands of an area with its own file are tested
//! there (`backup.rs`, `holds.rs`, `audit.rs`, `checkpoints.rs`, `tls.rs`).

use std::os::unix::fs::PermissionsExt;

use serde_json::Value;

use crate::helpers::{cli, stderr, stdout, Client, Server, BIN, PASSWORD};

fn user_lines(data: &std::path::Path) -> Vec<Value> {
    let o = cli(data, &["user", "list", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn user_commands_work_on_a_stopped_server_through_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let add = cli(
        d,
        &[
            "user",
            "add",
            "--email",
            "Root@Example.com",
            "--name",
            "Root Admin",
            "--role",
            "admin",
            "--time-zone",
            "Europe/Paris",
        ],
    );
    assert_eq!(add.status.code(), Some(0), "{}", stderr(&add));
    let out = stdout(&add);
    assert!(
        out.contains("created Root Admin <root@example.com> as admin"),
        "{out}"
    );
    assert!(
        out.contains("/reset#token="),
        "prints a one-time link: {out}"
    );
    let again = cli(
        d,
        &["user", "add", "--email", "root@example.com", "--name", "X"],
    );
    assert_eq!(again.status.code(), Some(0), "adding is idempotent");
    assert!(
        stderr(&again).contains("already exists, skipping"),
        "{}",
        stderr(&again)
    );

    assert_eq!(
        cli(
            d,
            &["user", "add", "--email", "m@example.com", "--name", "Mem"]
        )
        .status
        .code(),
        Some(0)
    );
    let users = user_lines(d);
    assert_eq!(users.len(), 2);
    let member = |users: &[Value]| {
        users
            .iter()
            .find(|u| u["email"] == "m@example.com")
            .cloned()
            .unwrap()
    };
    assert_eq!(member(&users)["role"], "member");

    let o = cli(d, &["user", "set-role", "m@example.com", "auditor"]);
    assert!(stdout(&o).contains("role auditor"), "{}", stdout(&o));
    let o = cli(d, &["user", "disable", "m@example.com"]);
    assert!(stdout(&o).contains("disabled"), "{}", stdout(&o));
    assert_eq!(member(&user_lines(d))["disabled"], true);
    let o = cli(d, &["user", "enable", "m@example.com"]);
    assert!(stdout(&o).contains("active"), "{}", stdout(&o));
    let o = cli(d, &["user", "reset-link", "m@example.com"]);
    assert!(stdout(&o).contains("/reset#token="), "{}", stdout(&o));
    let table = stdout(&cli(d, &["user", "list"]));
    assert!(
        table.starts_with("EMAIL") && table.contains("m@example.com"),
        "{table}"
    );

    let bad = cli(d, &["user", "set-role", "m@example.com", "emperor"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("emperor"),
        "names the bad value: {}",
        stderr(&bad)
    );
    let missing = cli(d, &["user", "disable", "ghost@example.com"]);
    assert!(
        stderr(&missing).contains("user.not_found"),
        "{}",
        stderr(&missing)
    );
    let last = cli(d, &["user", "set-role", "root@example.com", "member"]);
    assert!(
        stderr(&last).contains("user.last_admin")
            && stderr(&last).contains("give another user the admin role first"),
        "{}",
        stderr(&last)
    );
    // Every change above is in the audit chain, attributed to the CLI.
    let v = cli(d, &["audit", "verify"]);
    assert_eq!(v.status.code(), Some(0), "{}", stdout(&v));
}

#[tokio::test]
async fn user_commands_go_through_the_admin_socket_while_the_server_runs() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let sock = s.data.join("admin.sock");
    assert_eq!(
        std::fs::metadata(&sock).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let add = cli(
        &s.data,
        &[
            "user",
            "add",
            "--email",
            "sock@example.com",
            "--name",
            "Via Socket",
            "--role",
            "manager",
        ],
    );
    assert_eq!(add.status.code(), Some(0), "{}", stderr(&add));
    let listed = admin.get("/api/v1/users?q=sock").await;
    assert_eq!(
        listed.body["items"][0]["role"], "manager",
        "the running server sees the CLI's user"
    );

    // Reset link from the CLI, password set over HTTP, then disable from the CLI ends the session.
    let link = stdout(&cli(&s.data, &["user", "reset-link", "sock@example.com"]));
    let token = link.split("#token=").nth(1).unwrap().trim().to_owned();
    let c = Client::new(&s.base);
    assert_eq!(
        c.post(
            "/api/v1/password-reset",
            serde_json::json!({ "token": token, "new_password": PASSWORD })
        )
        .await
        .status,
        204
    );
    assert_eq!(c.login("sock@example.com", PASSWORD).await.status, 200);
    assert_eq!(
        cli(&s.data, &["user", "disable", "sock@example.com"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(c.get("/api/v1/me").await.status, 401);
    assert_eq!(
        cli(&s.data, &["user", "enable", "sock@example.com"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        cli(&s.data, &["user", "set-role", "sock@example.com", "member"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(user_lines(&s.data).len(), 2);

    let audit = admin.get("/api/v1/audit?action=user.disabled").await;
    assert!(
        audit.body["items"][0]["actor"]
            .as_str()
            .unwrap()
            .starts_with("cli:"),
        "{}",
        audit.body
    );
    let v = cli(&s.data, &["audit", "verify"]);
    assert_eq!(v.status.code(), Some(0), "{}", stdout(&v));
    let check = cli(&s.data, &["check"]);
    assert!(
        stdout(&check).contains("open in the running server"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn check_validates_config_opens_the_store_and_names_bad_values() {
    let dir = tempfile::tempdir().unwrap();
    let ok = cli(dir.path(), &["check"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let out = stdout(&ok);
    assert!(
        out.contains("configuration OK")
            && out.contains("store OK")
            && out.contains(&format!(
                "schema version {}",
                ophiontt::store::LATEST_SCHEMA
            )),
        "{out}"
    );
    assert!(
        out.contains("server.listen = \"127.0.0.1:8080\"  (built-in default)"),
        "{out}"
    );

    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[session]\nidle_timeout = \"forever\"\n").unwrap();
    let bad = std::process::Command::new(BIN)
        .args(["check", "--config"])
        .arg(&cfg)
        .arg("--data")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = stderr(&bad);
    assert!(
        err.contains("session.idle_timeout")
            && err.contains("\"forever\"")
            && err.contains("expected a duration"),
        "{err}"
    );

    let env_bad = std::process::Command::new(BIN)
        .args(["serve", "--data"])
        .arg(dir.path())
        .env("OPHIONTT_SERVER_MAX_BODY_BYTES", "lots")
        .output()
        .unwrap();
    assert_eq!(env_bad.status.code(), Some(2));
    let err = stderr(&env_bad);
    assert!(
        err.contains("server.max_body_bytes")
            && err.contains("OPHIONTT_SERVER_MAX_BODY_BYTES")
            && err.contains("1024 to 67108864"),
        "{err}"
    );

    let listen_bad = std::process::Command::new(BIN)
        .args(["serve", "--listen", "0.0.0.0:8080", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(listen_bad.status.code(), Some(2));
    assert!(
        stderr(&listen_bad).contains("not a loopback address"),
        "{}",
        stderr(&listen_bad)
    );
}

#[test]
fn help_and_version_explain_themselves() {
    let v = std::process::Command::new(BIN)
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&v.stdout).trim(),
        format!("ophiontt {}", env!("CARGO_PKG_VERSION"))
    );
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["check", "--help"],
        vec!["user", "--help"],
        vec!["user", "add", "--help"],
        vec!["audit", "verify", "--help"],
    ] {
        let o = std::process::Command::new(BIN)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains("Usage:") && text.contains("--data") && text.contains("--config"),
            "{args:?}: {text}"
        );
    }
    let serve = std::process::Command::new(BIN)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&serve.stdout).contains("--listen"));
}

/// Completing `words` (the last one being typed) with the bash completions the binary prints.
fn bash_completes(words: &[&str]) -> String {
    let script = format!(
        r#"source <("{BIN}" completions bash) || exit 9
complete -p ophiontt >/dev/null || exit 8
COMP_WORDS=({words}); COMP_CWORD={cword}
_ophiontt ophiontt "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
echo "${{COMPREPLY[@]}}""#,
        words = words
            .iter()
            .map(|w| format!("'{w}'"))
            .collect::<Vec<_>>()
            .join(" "),
        cword = words.len() - 1,
    );
    let o = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &script])
        .output()
        .unwrap();
    assert!(o.status.success(), "bash: {:?} {}", o.status, stderr(&o));
    stdout(&o).trim().to_owned()
}

#[test]
fn shell_completions_load_in_bash_and_name_every_shell() {
    assert_eq!(bash_completes(&["ophiontt", "bac"]), "backup");
    assert_eq!(bash_completes(&["ophiontt", "backup", "ver"]), "verify");
    assert_eq!(
        bash_completes(&["ophiontt", "timer", "st"]),
        "start stop status"
    );
    let shells = bash_completes(&["ophiontt", "completions", ""]);
    for shell in ["bash", "zsh", "fish"] {
        assert!(shells.split(' ').any(|w| w == shell), "{shells}");
    }
    for (shell, first) in [
        ("zsh", "#compdef ophiontt"),
        ("fish", "complete -c ophiontt"),
    ] {
        let o = std::process::Command::new(BIN)
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(o.status.success());
        assert!(stdout(&o).contains(first), "{shell}");
    }
    let bad = std::process::Command::new(BIN)
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("invalid value 'tcsh'"),
        "{}",
        stderr(&bad)
    );
}

#[tokio::test]
async fn seed_fills_a_stopped_store_and_refuses_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let o = cli(
        dir.path(),
        &[
            "seed",
            "--users",
            "2",
            "--projects",
            "3",
            "--entries",
            "100",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("seeded 2 users, 3 projects and 100 entries"),
        "{}",
        stdout(&o)
    );
    let s = Server::start_in(dir.path(), &[]);
    let again = cli(dir.path(), &["seed", "--entries", "10"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("stop it first"),
        "{}",
        stderr(&again)
    );
    let link = stdout(&cli(
        dir.path(),
        &["user", "reset-link", "seed0@example.com"],
    ));
    let c = Client::new(&s.base);
    let token = link.split("#token=").nth(1).unwrap().trim();
    c.post(
        "/api/v1/password-reset",
        serde_json::json!({ "token": token, "new_password": PASSWORD }),
    )
    .await;
    assert_eq!(c.login("seed0@example.com", PASSWORD).await.status, 200);
    let all = c
        .get("/api/v1/entries?from=2000-01-01&to=2099-12-31&limit=500")
        .await;
    assert_eq!(
        all.body["items"].as_array().unwrap().len(),
        50,
        "half of the 100 entries are seed0's"
    );
    assert_eq!(
        c.get("/api/v1/projects").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(cli(dir.path(), &["audit", "verify"]).status.code(), Some(0));
}
