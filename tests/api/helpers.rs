//! The test harness: starts the real `ophiontt` binary on 127.0.0.1:0 with a temporary data
//! folder, learns its address and setup link from stdout, and talks HTTP with a cookie jar.
//! Typed calls per endpoint are in `helpers/api.rs` and, by area, `helpers/api_<area>.rs`
//! (answers in `helpers/dto.rs`), waiting with a deadline in `helpers/wait.rs`.

mod api;
mod api_audit;
mod api_jobs;
mod api_privacy;
mod api_retention;
mod dto;
mod wait;

pub use dto::*;
pub use wait::*;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

pub const BIN: &str = env!("CARGO_BIN_EXE_ophiontt");
pub const PASSWORD: &str = "correct horse battery staple";

/// A running server process.
pub struct Server {
    pub base: String,
    pub data: PathBuf,
    pub setup_link: Option<String>,
    /// Every line printed up to and including "listening on …".
    pub banner: Vec<String>,
    /// Every line printed to stdout so far (the banner, then the log).
    output: Arc<Mutex<Vec<String>>>,
    child: Option<Child>,
    _tmp: Option<tempfile::TempDir>,
}

impl Server {
    /// A server on a fresh temporary data folder.
    pub fn start() -> Server {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = Server::start_in(tmp.path(), &[]);
        s._tmp = Some(tmp);
        s
    }

    /// A server on a fresh temporary data folder, with extra environment variables.
    pub fn start_with_env(env: &[(&str, &str)]) -> Server {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = Server::start_in(tmp.path(), env);
        s._tmp = Some(tmp);
        s
    }

    /// A server on `data` with extra environment variables.
    pub fn start_in(data: &Path, env: &[(&str, &str)]) -> Server {
        Server::try_start_in(data, env).unwrap_or_else(|e| panic!("server did not start: {e}"))
    }

    /// Starts a server; `Err` carries what it printed if it exited instead.
    pub fn try_start_in(data: &Path, env: &[(&str, &str)]) -> Result<Server, String> {
        crypto_provider();
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env_remove("OPHIONTT_CONFIG");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawning ophiontt");
        let (tx, rx) = mpsc::channel::<String>();
        let stdout = child.stdout.take().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let kept = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if std::env::var("TEST_LOG").is_ok() {
                    eprintln!("[server] {line}");
                }
                kept.lock().unwrap().push(line.clone());
                let _ = tx.send(line);
            }
        });
        let mut setup_link = None;
        let mut banner = Vec::new();
        loop {
            match rx.recv_timeout(Duration::from_secs(30)) {
                Ok(line) => {
                    banner.push(line.clone());
                    if let Some(i) = line.find("/setup#token=") {
                        let start = line[..i].rfind("http").unwrap();
                        setup_link = Some(line[start..].trim().to_owned());
                    }
                    if let Some(i) = line.find("listening on http") {
                        let base = line[i + "listening on ".len()..].trim().to_owned();
                        // Keep draining stdout so the server never blocks on a full pipe.
                        std::thread::spawn(move || while rx.recv().is_ok() {});
                        return Ok(Server {
                            base,
                            data: data.to_path_buf(),
                            setup_link,
                            banner,
                            output,
                            child: Some(child),
                            _tmp: None,
                        });
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let out = child.wait_with_output().unwrap();
                    return Err(format!(
                        "exit {:?}; stderr: {}",
                        out.status.code(),
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Whether the server has printed a line containing `needle` (its log goes to stdout).
    pub fn printed(&self, needle: &str) -> bool {
        self.output
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains(needle))
    }

    /// Waits (bounded) until the server prints a line containing `needle`; whether it did.
    pub async fn wait_for_line(&self, needle: &str, within: Duration) -> bool {
        wait_until(within, || async { self.printed(needle) }).await
    }

    /// How many sockets the server process holds open: its listeners plus every connection it
    /// has accepted (a connection still in the kernel's accept queue is not counted). Linux.
    pub fn open_sockets(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid()))
            .unwrap()
            .filter_map(|f| std::fs::read_link(f.ok()?.path()).ok())
            .filter(|l| l.to_string_lossy().starts_with("socket:"))
            .count()
    }

    /// The token part of the setup link.
    pub fn setup_token(&self) -> String {
        self.setup_link
            .as_ref()
            .expect("a setup link was printed")
            .split("#token=")
            .nth(1)
            .unwrap()
            .to_owned()
    }

    /// SIGTERM, then wait for exit; returns the exit code and stderr.
    pub fn stop(&mut self) -> (Option<i32>, String) {
        let mut child = self.child.take().expect("server running");
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let status = wait_timeout(&mut child, Duration::from_secs(30));
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut err);
        }
        (status, err)
    }

    /// Waits for a server that was signalled elsewhere to exit.
    pub fn stop_if_running(&mut self) -> (Option<i32>, String) {
        let mut child = self.child.take().expect("server handle");
        let status = wait_timeout(&mut child, Duration::from_secs(30));
        (status, String::new())
    }

    /// SIGKILL: no chance to flush anything.
    pub fn kill9(&mut self) {
        let mut child = self.child.take().expect("server running");
        child.kill().unwrap();
        child.wait().unwrap();
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// Completes first-run setup; returns a client signed in as that admin.
    pub async fn setup_admin(&self) -> Client {
        let c = Client::new(&self.base);
        let r = c
            .post("/api/v1/setup", json!({ "token": self.setup_token(), "name": "Ada Admin", "email": "admin@example.com", "password": PASSWORD, "time_zone": "Europe/London" }))
            .await;
        assert_eq!(r.status, 201, "setup failed: {}", r.body);
        c
    }

    /// As admin, creates a user with `role`, sets their password through the reset link, and
    /// returns a client signed in as them, with their id.
    pub async fn user_with_role(
        &self,
        admin: &Client,
        email: &str,
        role: &str,
    ) -> (Client, String) {
        let name = format!("User {role}");
        let created = admin
            .create_user(&UserReq::new(&name, email, role, "UTC"))
            .await;
        let (id, token) = (created.user.id, link_token(&created.reset_link.url));
        let c = Client::new(&self.base);
        let r = c
            .post(
                "/api/v1/password-reset",
                json!({ "token": token, "new_password": PASSWORD }),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.body);
        let r = c.login(email, PASSWORD).await;
        assert_eq!(r.status, 200, "{}", r.body);
        (c, id)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn wait_timeout(child: &mut Child, t: Duration) -> Option<i32> {
    let exited = poll_for_blocking(t, || child.try_wait().ok().flatten());
    if exited.is_none() {
        let _ = child.kill();
    }
    exited.and_then(|s| s.code())
}

/// The token after `#token=` in a link.
pub fn link_token(url: &str) -> String {
    url.split("#token=")
        .nth(1)
        .expect("link carries a token")
        .to_owned()
}

/// A response: status, headers and the JSON body (Null when empty or not JSON).
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    /// The body as text (lossy UTF-8): for answers that are not JSON, or to search all of one.
    pub text: String,
}

impl Resp {
    /// The problem `code`.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("<no code>")
    }

    /// Status, problem code, and the first field error's field and code (`""` when absent):
    /// what a refused request says, in one comparable value.
    pub fn field_error(&self) -> (u16, &str, &str, &str) {
        let e = &self.body["errors"][0];
        (
            self.status,
            self.code(),
            e["field"].as_str().unwrap_or(""),
            e["code"].as_str().unwrap_or(""),
        )
    }
}

/// Makes ring the process's rustls provider, which reqwest's TLS support needs (the
/// binary's one backend; reqwest is built without one of its own).
pub fn crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// An HTTP client with its own cookie jar.
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
}

impl Client {
    pub fn new(base: &str) -> Client {
        crypto_provider();
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        Client {
            base: base.to_owned(),
            http,
        }
    }

    pub async fn send(&self, rb: reqwest::RequestBuilder) -> Resp {
        let r = rb.send().await.expect("request sent");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.unwrap();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            body,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(self.http.post(format!("{}{path}", self.base)).json(&body))
            .await
    }
    pub async fn post_empty(&self, path: &str) -> Resp {
        self.send(self.http.post(format!("{}{path}", self.base)))
            .await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.send(self.http.patch(format!("{}{path}", self.base)).json(&body))
            .await
    }
    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(self.http.put(format!("{}{path}", self.base)).json(&body))
            .await
    }
    pub async fn delete(&self, path: &str) -> Resp {
        self.send(self.http.delete(format!("{}{path}", self.base)))
            .await
    }
    pub async fn login(&self, email: &str, password: &str) -> Resp {
        self.post(
            "/api/v1/session",
            json!({ "email": email, "password": password }),
        )
        .await
    }
    /// Every entry of this client's person from 2025 to 2026, by id, through all pages of
    /// `GET /api/v1/entries`.
    pub async fn entries_by_id(&self) -> std::collections::HashMap<String, Value> {
        let mut out = std::collections::HashMap::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = "/api/v1/entries?from=2025-01-01&to=2026-12-31&limit=500".to_owned();
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let r = self.get(&path).await;
            assert_eq!(r.status, 200, "{}", r.body);
            for e in r.body["items"].as_array().unwrap() {
                out.insert(e["id"].as_str().unwrap().to_owned(), e.clone());
            }
            match r.body["next_cursor"].as_str() {
                Some(n) => cursor = Some(n.to_owned()),
                None => return out,
            }
        }
    }

    /// Every user's email, through all pages of `GET /api/v1/users` (an admin's client).
    pub async fn user_emails(&self) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(cur) => format!("/api/v1/users?limit=500&cursor={cur}"),
                None => "/api/v1/users?limit=500".to_owned(),
            };
            let page = self.get(&path).await;
            assert_eq!(page.status, 200, "{}", page.body);
            for u in page.body["items"].as_array().unwrap() {
                out.insert(u["email"].as_str().unwrap().to_owned());
            }
            match page.body["next_cursor"].as_str() {
                Some(n) => cursor = Some(n.to_owned()),
                None => return out,
            }
        }
    }

    /// `GET /api/v1/tags` as (name, entries) pairs, in the order listed.
    pub async fn tag_counts(&self) -> Vec<(String, u64)> {
        let tags = self.list_tags().await;
        tags.into_iter().map(|t| (t.name, t.entries)).collect()
    }
}

/// Runs the CLI against `data`; returns the output.
pub fn cli(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data")
        .arg(data)
        .env_remove("OPHIONTT_CONFIG")
        .output()
        .expect("running ophiontt")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
