//! The terminal timer (`ophiontt login`, `logout`, `timer …`): the real binary as a client of
//! the real server on loopback, with a token from `login`, the environment or flags. Covers the
//! stored credentials file (0600, refused when others may read it), the quick-add lines, and
//! each failure a person meets: an expired, revoked or read-only token, a line that does not
//! parse, a server that is not there, a certificate the client does not trust.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

use crate::helpers::{stderr, stdout, Client, ProjectReq, Server, BIN, PASSWORD};

/// A terminal: its own config folder (`XDG_CONFIG_HOME`) and environment.
struct Term {
    cfg: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Term {
    fn new() -> Term {
        Term {
            cfg: tempfile::tempdir().unwrap(),
            env: Vec::new(),
        }
    }

    fn with_env(mut self, k: &str, v: &str) -> Term {
        self.env.push((k.to_owned(), v.to_owned()));
        self
    }

    fn file(&self) -> PathBuf {
        self.cfg.path().join("ophiontt/client.toml")
    }

    /// Runs `ophiontt args…` with `input` on standard input (none: /dev/null, not a terminal).
    fn run(&self, args: &[&str], input: Option<&str>) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env("XDG_CONFIG_HOME", self.cfg.path())
            .env_remove("OPHIONTT_SERVER")
            .env_remove("OPHIONTT_TOKEN")
            .env_remove("OPHIONTT_CA")
            .env_remove("OPHIONTT_CONFIG")
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("running ophiontt");
        if let Some(text) = input {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        child.wait_with_output().unwrap()
    }

    /// Runs and expects exit `code`; returns stdout + stderr.
    fn expect(&self, code: i32, args: &[&str], input: Option<&str>) -> (String, String) {
        let o = self.run(args, input);
        let (out, err) = (stdout(&o), stderr(&o));
        assert_eq!(
            o.status.code(),
            Some(code),
            "{args:?}\nstdout: {out}\nstderr: {err}"
        );
        (out, err)
    }
}

/// The admin, and a member on "Acme Corp / Backups" and "Infra / VPN", both signed in.
async fn member(s: &Server) -> (Client, Client) {
    let admin = s.setup_admin().await;
    let (member, id) = s.user_with_role(&admin, "m@example.com", "member").await;
    for (client, project) in [("Acme Corp", "Backups"), ("Infra", "VPN")] {
        let c = admin.create_client(client).await.id;
        admin
            .create_project(&ProjectReq {
                client_id: Some(c),
                member_ids: Some(vec![id.clone()]),
                ..ProjectReq::named(project)
            })
            .await;
    }
    (admin, member)
}

/// A token of `c`'s user: (secret, id).
async fn token(c: &Client, scopes: &[&str], expires_at: Option<String>) -> (String, String) {
    let mut body = json!({ "name": "test", "scopes": scopes });
    if let Some(at) = expires_at {
        body["expires_at"] = json!(at);
    }
    let r = c.post("/api/v1/me/tokens", body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    (
        r.body["secret"].as_str().unwrap().to_owned(),
        r.body["token"]["id"].as_str().unwrap().to_owned(),
    )
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// A time zone in which it is now between 02:00 and 22:00, so that "1h30 ending now" falls on
/// today and this week there: the test may run around midnight UTC (a fresh-clone run once did).
fn daytime_zone() -> &'static str {
    use chrono::Timelike;
    if (2..22).contains(&chrono::Utc::now().hour()) {
        "UTC"
    } else {
        // UTC-6 (UTC-5 in summer): 16:00 to 20:00 when it is 22:00 to 02:00 in UTC.
        "America/Chicago"
    }
}

#[tokio::test]
async fn a_stored_token_starts_shows_stops_adds_and_logs_time() {
    // Arrange
    let s = Server::start();
    let (_, member) = member(&s).await;
    let zone = daytime_zone();
    let r = member
        .patch("/api/v1/me", json!({ "time_zone": zone }))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (secret, _) = token(&member, &["write"], None).await;
    let t = Term::new();
    // Act + Assert: login with a token made elsewhere, stored 0600
    let (out, err) = t.expect(
        0,
        &["login", &s.base, "--token-stdin"],
        Some(&format!("{secret}\n")),
    );
    assert!(
        out.contains("signed in to") && out.contains("m@example.com"),
        "{out}"
    );
    assert!(
        !out.contains(&secret) && !err.contains(&secret),
        "never prints the token"
    );
    assert_eq!(mode(&t.file()), 0o600);
    assert_eq!(mode(t.file().parent().unwrap()), 0o700);

    let (out, _) = t.expect(
        0,
        &[
            "timer",
            "start",
            "acme/backups #ops #billable rotating keys",
        ],
        None,
    );
    assert!(
        out.contains("started Acme Corp / Backups #ops (billable): rotating keys"),
        "{out}"
    );
    let (out, _) = t.expect(0, &["timer", "status"], None);
    assert!(out.starts_with("running "), "{out}");
    assert!(
        out.contains("Acme Corp / Backups") && out.contains("#ops (billable)"),
        "{out}"
    );
    assert!(
        out.contains("note  rotating keys") && out.contains(&format!("({zone})")),
        "{out}"
    );
    let (out, _) = t.expect(0, &["timer", "status", "--json"], None);
    let status: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(status["running"]["project_name"], "Backups");
    assert_eq!(status["running"]["tags"], json!(["ops"]));

    let (out, _) = t.expect(0, &["timer", "stop"], None);
    assert!(out.starts_with("stopped Acme Corp / Backups"), "{out}");
    let (out, _) = t.expect(0, &["timer", "status"], None);
    assert_eq!(out.trim(), "no timer is running");
    let (_, err) = t.expect(1, &["timer", "stop"], None);
    assert!(err.contains("no timer is running"), "{err}");

    // Several words make one line, as if quoted.
    let (out, _) = t.expect(
        0,
        &[
            "timer",
            "add",
            "1h30",
            "infra/vpn",
            "call",
            "with",
            "vendor",
        ],
        None,
    );
    assert!(
        out.starts_with("added 1h 30m on ")
            && out.contains("Infra / VPN (billable): call with vendor"),
        "{out}"
    );
    let (out, _) = t.expect(0, &["timer", "log"], None);
    assert!(out.starts_with("Today, "), "{out}");
    assert!(
        out.contains("1h 30m  Infra / VPN") && out.contains("call with vendor"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("Total 1h 30m"), "{out}");
    let (out, _) = t.expect(0, &["timer", "log", "--json"], None);
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(log["from"], log["to"]);
    assert_eq!(log["total_seconds"], 5400);
    let (out, _) = t.expect(0, &["timer", "log", "--week", "--json"], None);
    let week: Value = serde_json::from_str(&out).unwrap();
    assert_ne!(week["from"], week["to"]);
    assert_eq!(week["total_seconds"], 5400);
    let (out, _) = t.expect(0, &["timer", "log", "--week"], None);
    assert!(
        out.starts_with("Week of ") && out.contains("Total 1h 30m"),
        "{out}"
    );

    // What the terminal did is what the server holds.
    let entries = member.get("/api/v1/entries").await;
    assert_eq!(entries.body["total_seconds"], 5400, "{}", entries.body);
}

#[tokio::test]
async fn login_with_a_password_makes_a_write_token_for_this_host_and_signs_out() {
    // Arrange
    let s = Server::start();
    let (admin, member) = member(&s).await;
    let t = Term::new();
    let login = [
        "login",
        &s.base,
        "--email",
        "m@example.com",
        "--password-stdin",
    ];
    // Act
    let (out, err) = t.expect(0, &login, Some(&format!("{PASSWORD}\n")));
    // Assert
    assert!(out.contains("made the API token \"terminal on "), "{out}");
    assert!(!out.contains(PASSWORD) && !err.contains(PASSWORD));
    assert_eq!(mode(&t.file()), 0o600);
    let stored: toml::Table = std::fs::read_to_string(t.file()).unwrap().parse().unwrap();
    let secret = stored["token"].as_str().unwrap();
    assert!(secret.starts_with("ott_") && !out.contains(secret));
    assert_eq!(stored["server"].as_str(), Some(s.base.as_str()));
    let tokens = member.get("/api/v1/me/tokens").await;
    let made = &tokens.body["items"][0];
    assert!(
        made["name"].as_str().unwrap().starts_with("terminal on "),
        "{}",
        tokens.body
    );
    assert_eq!(made["scopes"], json!(["read", "write"]));
    let events = admin.get("/api/v1/security-events?kind=logout").await;
    assert_eq!(events.status, 200, "{}", events.body);
    let outs = events.body["items"].as_array().unwrap();
    assert_eq!(
        outs.len(),
        1,
        "login signed its session out: {}",
        events.body
    );
    t.expect(0, &["timer", "status"], None);

    // A wrong password, and no terminal to ask on.
    let (_, err) = t.expect(1, &login, Some("wrong password\n"));
    assert!(err.contains("wrong email or password"), "{err}");
    let (_, err) = t.expect(2, &["login", &s.base, "--email", "m@example.com"], None);
    assert!(
        err.contains("--password-stdin") && err.contains("--token-stdin"),
        "{err}"
    );
}

#[tokio::test]
async fn an_expired_revoked_or_read_only_token_is_refused_with_what_to_do() {
    // Arrange
    let s = Server::start();
    let (_, member) = member(&s).await;
    let soon = (chrono::Utc::now() + chrono::Duration::milliseconds(1500)).to_rfc3339();
    let (short, _) = token(&member, &["write"], Some(soon)).await;
    let (revoked, id) = token(&member, &["write"], None).await;
    let (read, _) = token(&member, &["read"], None).await;
    let r = member.delete(&format!("/api/v1/tokens/{id}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    tokio::time::sleep(std::time::Duration::from_millis(1800)).await;
    let t = Term::new().with_env("OPHIONTT_SERVER", &s.base);
    // Act + Assert
    for (secret, says) in [(&short, "expired"), (&revoked, "revoked")] {
        let (_, err) = t.expect(1, &["timer", "status", "--token", secret], None);
        assert!(
            err.contains(says) && err.contains("ophiontt login"),
            "{err}"
        );
        assert!(!err.contains(secret.as_str()));
    }
    let t = t.with_env("OPHIONTT_TOKEN", &read);
    t.expect(0, &["timer", "status"], None);
    let (_, err) = t.expect(1, &["timer", "start", "/backups"], None);
    assert!(err.contains("scopes") && err.contains("write"), "{err}");
}

#[tokio::test]
async fn a_line_that_does_not_parse_names_the_word_and_starts_nothing() {
    // Arrange
    let s = Server::start();
    let (_, member) = member(&s).await;
    let (secret, _) = token(&member, &["write"], None).await;
    let t = Term::new()
        .with_env("OPHIONTT_SERVER", &s.base)
        .with_env("OPHIONTT_TOKEN", &secret);
    // Act + Assert
    for (args, says) in [
        (
            ["timer", "start", "nowhere/vpn call"],
            "`nowhere/vpn`: none of your projects",
        ),
        (
            ["timer", "start", "1h30 infra/vpn call"],
            "quick.unexpected_time",
        ),
        (["timer", "start", "/vpn yesterday"], "quick.unexpected_day"),
        (["timer", "add", "1x30 /vpn call"], "`1x30`"),
        (["timer", "add", "/vpn call"], "quick.bad_time"),
    ] {
        let (_, err) = t.expect(1, &args, None);
        assert!(
            err.starts_with("ophiontt: ") && err.contains(says),
            "{args:?}: {err}"
        );
    }
    let (out, _) = t.expect(0, &["timer", "status"], None);
    assert_eq!(out.trim(), "no timer is running");
    let (_, err) = t.expect(2, &["timer", "start", "  "], None);
    assert!(err.contains("give the line"), "{err}");
}

#[tokio::test]
async fn an_unreachable_server_is_named_with_exit_code_three() {
    // Arrange: a port nothing listens on
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let t = Term::new()
        .with_env("OPHIONTT_SERVER", &url)
        .with_env("OPHIONTT_TOKEN", "ott_whatever");
    // Act
    let (_, err) = t.expect(3, &["timer", "status"], None);
    // Assert
    assert!(
        err.contains(&url) && err.contains("connection refused"),
        "{err}"
    );
    let (_, err) = t.expect(2, &["timer", "status", "--server", "ftp://x"], None);
    assert!(err.contains("not a server URL"), "{err}");
}

#[tokio::test]
async fn the_credentials_file_is_refused_when_others_may_read_it_and_flags_beat_env_beat_file() {
    // Arrange
    let s = Server::start();
    let (_, member) = member(&s).await;
    let (good, _) = token(&member, &["write"], None).await;
    let t = Term::new();
    t.expect(0, &["login", &s.base, "--token-stdin"], Some(&good));
    // Act + Assert: precedence
    let bad = Term {
        cfg: t.cfg,
        env: vec![("OPHIONTT_TOKEN".into(), "ott_not_a_real_one".into())],
    };
    let (_, err) = bad.expect(1, &["timer", "status"], None);
    assert!(
        err.contains("does not know this API token"),
        "the environment wins: {err}"
    );
    bad.expect(0, &["timer", "status", "--token", &good], None);
    let other = Term {
        cfg: bad.cfg,
        env: vec![("OPHIONTT_SERVER".into(), "http://127.0.0.2:9".into())],
    };
    let (_, err) = other.expect(2, &["timer", "status"], None);
    assert!(
        err.contains("no token for http://127.0.0.2:9"),
        "never sent to another server: {err}"
    );
    let t = Term {
        cfg: other.cfg,
        env: Vec::new(),
    };
    // A file others may read is refused, naming it and the fix.
    std::fs::set_permissions(t.file(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let (_, err) = t.expect(2, &["timer", "status"], None);
    let shown = t.file().display().to_string();
    assert!(
        err.contains(&shown) && err.contains(&format!("chmod 600 {shown}")),
        "{err}"
    );
    std::fs::set_permissions(t.file(), std::fs::Permissions::from_mode(0o600)).unwrap();
    t.expect(0, &["timer", "status"], None);
    // Logout forgets it and says the token still works until revoked.
    let (out, _) = t.expect(0, &["logout"], None);
    assert!(out.contains("deleted") && out.contains("revoke"), "{out}");
    assert!(!t.file().exists());
    let (out, _) = t.expect(0, &["logout"], None);
    assert!(out.contains("not signed in"), "{out}");
    let (_, err) = t.expect(2, &["timer", "status"], None);
    assert!(err.contains("ophiontt login"), "{err}");
}

#[tokio::test]
async fn a_server_with_a_private_ca_is_trusted_with_ca_and_refused_without() {
    // Arrange: HTTPS with the authority `tls self-signed` writes
    let tmp = tempfile::tempdir().unwrap();
    crate::tls::self_signed(tmp.path());
    let s = Server::start_in(tmp.path(), &[]);
    let admin = crate::tls::https_client(&s);
    let r = admin
        .post("/api/v1/setup", json!({ "token": s.setup_token(), "name": "Ada", "email": "admin@example.com", "password": PASSWORD, "time_zone": "UTC" }))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let ca = s.data.join("tls/ca.pem");
    let t = Term::new();
    let login = [
        "login",
        &s.base,
        "--email",
        "admin@example.com",
        "--password-stdin",
    ];
    // Act + Assert: without the CA the handshake fails and says how to fix it
    let (_, err) = t.expect(3, &login, Some(PASSWORD));
    assert!(err.contains("TLS") && err.contains("--ca"), "{err}");
    let mut with_ca: Vec<&str> = login.to_vec();
    with_ca.extend(["--ca", ca.to_str().unwrap()]);
    t.expect(0, &with_ca, Some(PASSWORD));
    // The CA is stored with the token.
    let (out, _) = t.expect(0, &["timer", "status"], None);
    assert_eq!(out.trim(), "no timer is running");
}
