//! The matrix's fixtures: one server, the thirteen callers (columns) and the targets the path
//! parameters name, plus the fresh targets that destructive operations take one per cell.
//! Callers carry their session cookie explicitly (no cookie jar), so an answer's `Set-Cookie`
//! never changes who the next request is sent as.

use serde_json::{json, Value};

use crate::helpers::{link_token, Resp, Server, PASSWORD};

/// The columns of the table, in its order.
pub const COLUMNS: [&str; 13] = [
    "anon",
    "admin",
    "mgr-P",
    "mgr-Q",
    "mem-P",
    "mem-X",
    "auditor",
    "client",
    "disabled",
    "tok-read",
    "tok-write",
    "tok-exp",
    "tok-rev",
];

/// Raw HTTP with an explicit cookie.
pub struct Http {
    pub server: Server,
    http: reqwest::Client,
}

impl Http {
    pub fn start() -> Http {
        // Every cell of `POST /session` and every fresh session is a login: lift the throttle
        // (an in-memory quota, tested in account.rs) out of the way.
        // Week approval on: with it off, its endpoints answer 409 to everyone, which says
        // nothing about who may call them.
        let server = Server::start_with_env(&[
            ("OPHIONTT_AUTH_LOGIN_ATTEMPTS_PER_MINUTE", "1000"),
            ("OPHIONTT_APPROVAL_ENABLED", "true"),
            // Webhooks may be registered to loopback (deliveries to port 9 fail, unseen).
            ("OPHIONTT_WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1"),
        ]);
        Http {
            server,
            http: reqwest::Client::new(),
        }
    }

    /// Sends `method path` with `cookie` and a JSON `body` (none when empty).
    pub async fn call(&self, cookie: Option<&str>, method: &str, path: &str, body: &str) -> Resp {
        let mut rb = self
            .http
            .request(method.parse().unwrap(), self.server.url(path));
        match cookie {
            // A token column's credential is its `Authorization` header.
            Some(c) if c.starts_with("Bearer ") => rb = rb.header("authorization", c),
            Some(c) => rb = rb.header("cookie", c),
            None => {}
        }
        if !body.is_empty() {
            rb = rb
                .header("content-type", "application/json")
                .body(body.to_owned());
        }
        let r = rb.send().await.expect("request sent");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.unwrap();
        Resp {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// `call` that must answer `want`; returns the body.
    pub async fn ok(
        &self,
        cookie: &str,
        method: &str,
        path: &str,
        body: Value,
        want: u16,
    ) -> Value {
        let b = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let r = self.call(Some(cookie), method, path, &b).await;
        assert_eq!(r.status, want, "fixture {method} {path}: {}", r.body);
        r.body
    }

    /// Signs in; returns the `Cookie` header value of the new session.
    pub async fn login(&self, email: &str) -> String {
        let body = json!({ "email": email, "password": PASSWORD }).to_string();
        let r = self.call(None, "POST", "/api/v1/session", &body).await;
        assert_eq!(r.status, 200, "login {email}: {}", r.body);
        session_cookie(&r)
    }
}

/// `name=value` of the session cookie an answer sets.
fn session_cookie(r: &Resp) -> String {
    let set = r
        .headers
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()
        .unwrap();
    set.split(';').next().unwrap().to_owned()
}

/// A signed-in user the matrix acts as or on.
pub struct Person {
    pub id: String,
    pub email: String,
    pub cookie: String,
}

/// Everything the cells need.
pub struct World {
    pub net: Http,
    pub admin: Person,
    /// Callers by column; `anon` is absent.
    pub people: Vec<(&'static str, Person)>,
    /// Project P ("Apollo", client "Acme"): managed by mgr-P, mem-P and disabled on it.
    pub project: String,
    pub client: String,
    /// mem-P's entry on P, tagged `matrix`, on `task`.
    pub entry: String,
    pub task: String,
    /// A privacy request about mem-P, recorded by the admin.
    pub request: String,
    /// An open incident of the breach register, opened by the admin.
    pub incident: String,
    /// Whom `POST /holds` puts a hold on, and `POST /session` signs in as.
    pub holdee: String,
    pub login_email: String,
    /// The secret of mem-P's calendar subscription, for the feed's cells.
    pub feed_secret: String,
    /// A webhook, and the message its ping queued.
    pub webhook: String,
    pub message: String,
    fresh: std::cell::Cell<u32>,
}

impl World {
    pub async fn build() -> World {
        let net = Http::start();
        let admin = setup_admin(&net).await;
        let mut people = Vec::new();
        for (col, role) in [
            ("mgr-P", "manager"),
            ("mgr-Q", "manager"),
            ("mem-P", "member"),
            ("mem-X", "member"),
            ("auditor", "auditor"),
            ("client", "client"),
            ("disabled", "member"),
        ] {
            people.push((col, person(&net, &admin, col, role).await));
        }
        let id = |c: &str| people.iter().find(|(k, _)| *k == c).unwrap().1.id.clone();
        let a = &admin.cookie;
        let client = net
            .ok(a, "POST", "/api/v1/clients", json!({ "name": "Acme" }), 201)
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let project = net.ok(a, "POST", "/api/v1/projects", json!({ "name": "Apollo", "client_id": client, "member_ids": [id("mem-P"), id("disabled")], "manager_ids": [id("mgr-P")] }), 201).await["id"].as_str().unwrap().to_owned();
        net.ok(
            a,
            "POST",
            "/api/v1/projects",
            json!({ "name": "Zephyr", "member_ids": [id("mem-X")], "manager_ids": [id("mgr-Q")] }),
            201,
        )
        .await;
        let task = net
            .ok(
                a,
                "POST",
                &format!("/api/v1/projects/{project}/tasks"),
                json!({ "title": "Rotate keys" }),
                201,
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mem_p = &people.iter().find(|(k, _)| *k == "mem-P").unwrap().1;
        let entry = net.ok(&mem_p.cookie, "POST", "/api/v1/entries", json!({ "project_id": project, "task_id": task, "start": "2026-11-02T09:00:00Z", "end": "2026-11-02T10:00:00Z", "tags": ["matrix"], "note": "fixture" }), 201).await["id"].as_str().unwrap().to_owned();
        let request = net
            .ok(
                a,
                "POST",
                "/api/v1/privacy/requests",
                json!({ "kind": "access", "user": mem_p.id }),
                201,
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let holdee = new_user(&net, &admin, "holdee@example.com").await;
        let login = person(&net, &admin, "login", "member").await;
        // Signed in above; from now on its cookie is a real session that has ended.
        let disabled = id("disabled");
        net.ok(
            a,
            "POST",
            &format!("/api/v1/users/{disabled}/disable"),
            Value::Null,
            200,
        )
        .await;
        people.extend(admin_tokens(&net, &admin).await);
        World {
            net,
            admin,
            people,
            project,
            client,
            entry,
            task,
            request,
            incident: String::new(),
            holdee,
            login_email: login.email,
            feed_secret: String::new(),
            webhook: String::new(),
            message: String::new(),
            fresh: std::cell::Cell::new(0),
        }
        .with_feed_and_hook()
        .await
    }

    async fn with_feed_and_hook(mut self) -> World {
        self.feed_secret = self.fresh_feed().await.1;
        self.incident = self.fresh_incident().await;
        self.webhook = self.fresh_webhook().await;
        let path = format!("/api/v1/webhooks/{}/ping", self.webhook);
        let ping = self
            .net
            .ok(&self.admin.cookie, "POST", &path, Value::Null, 202)
            .await;
        self.message = ping["id"].as_str().unwrap().to_owned();
        self
    }

    /// A new webhook (to a loopback port where nothing listens).
    pub async fn fresh_webhook(&self) -> String {
        let body = json!({ "url": "http://127.0.0.1:9/matrix", "events": ["entry.created"] });
        self.net
            .ok(&self.admin.cookie, "POST", "/api/v1/webhooks", body, 201)
            .await["webhook"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn person(&self, col: &str) -> Option<&Person> {
        if col == "admin" {
            return Some(&self.admin);
        }
        self.people.iter().find(|(k, _)| *k == col).map(|(_, p)| p)
    }

    /// The cookie a column's cells carry (none for `anon`).
    pub fn cookie(&self, col: &str) -> Option<String> {
        self.person(col).map(|p| p.cookie.clone())
    }

    /// A new session of the column's person, for a cell that ends the session it is sent
    /// with (`DELETE /session`, `POST /session`); `anon` has none and `disabled` cannot sign
    /// in, so they keep theirs (none, and the ended one).
    pub async fn fresh_cookie(&self, col: &str) -> Option<String> {
        match col {
            "anon" | "disabled" | "tok-read" | "tok-write" | "tok-exp" | "tok-rev" => {
                self.cookie(col)
            }
            _ => Some(self.net.login(&self.person(col).unwrap().email).await),
        }
    }

    fn next(&self) -> u32 {
        self.fresh.set(self.fresh.get() + 1);
        self.fresh.get()
    }

    /// A new member account (no password), for a cell that disables, erases or restricts one.
    pub async fn fresh_user(&self) -> String {
        let n = self.next();
        new_user(&self.net, &self.admin, &format!("fresh-{n}@example.com")).await
    }

    /// A new member account whose processing is restricted, for `lift`.
    pub async fn fresh_restricted_user(&self) -> String {
        let id = self.fresh_user().await;
        let path = format!("/api/v1/privacy/users/{id}/restrict");
        self.net
            .ok(&self.admin.cookie, "POST", &path, json!({}), 200)
            .await;
        id
    }

    /// A new entry of mem-P's on P, for `DELETE /entries/{id}`.
    pub async fn fresh_entry(&self) -> String {
        let n = self.next();
        let day = 1 + n % 28;
        let body = json!({ "project_id": self.project, "start": format!("2026-10-{day:02}T13:00:00Z"), "end": format!("2026-10-{day:02}T13:30:00Z") });
        let mem_p = self.person("mem-P").unwrap();
        self.net
            .ok(&mem_p.cookie, "POST", "/api/v1/entries", body, 201)
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A new hold in force (on the holdee), for `release`.
    pub async fn fresh_hold(&self) -> String {
        let body = json!({ "kind": "user", "target": self.holdee, "reason": "matrix" });
        self.net
            .ok(&self.admin.cookie, "POST", "/api/v1/holds", body, 201)
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A new calendar subscription of mem-P's: its id and its secret (`otc_….ics`).
    pub async fn fresh_feed(&self) -> (String, String) {
        let mem_p = self.person("mem-P").unwrap();
        let body = json!({ "name": "fresh" });
        let r = self
            .net
            .ok(
                &mem_p.cookie,
                "POST",
                "/api/v1/me/calendar-feeds",
                body,
                201,
            )
            .await;
        let url = r["url"].as_str().unwrap();
        let secret = url.rsplit('/').next().unwrap().to_owned();
        (r["feed"]["id"].as_str().unwrap().to_owned(), secret)
    }

    /// A new personal API token of mem-P's, for `DELETE /tokens/{id}`.
    pub async fn fresh_token(&self) -> String {
        let mem_p = self.person("mem-P").unwrap();
        let body = json!({ "name": "fresh", "scopes": ["read"] });
        self.net
            .ok(&mem_p.cookie, "POST", "/api/v1/me/tokens", body, 201)
            .await["token"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A new open incident of the breach register.
    pub async fn fresh_incident(&self) -> String {
        let body = json!({ "title": "matrix incident" });
        self.net
            .ok(&self.admin.cookie, "POST", "/api/v1/incidents", body, 201)
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A new open privacy request about mem-P, for `extend`, `acknowledge` and `close`.
    pub async fn fresh_request(&self) -> String {
        let mem_p = self.person("mem-P").unwrap();
        let body = json!({ "kind": "access", "user": mem_p.id });
        self.net
            .ok(
                &self.admin.cookie,
                "POST",
                "/api/v1/privacy/requests",
                body,
                201,
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// The admin's four personal API tokens, as the token columns' callers: `read` + `admin`,
/// `write` without `admin`, and two with every scope, one expired and one revoked.
async fn admin_tokens(net: &Http, admin: &Person) -> Vec<(&'static str, Person)> {
    let a = &admin.cookie;
    let expires = chrono::Utc::now() + chrono::Duration::seconds(2);
    let mut out = Vec::new();
    for (col, scopes, extra) in [
        ("tok-read", json!(["read", "admin"]), json!({})),
        ("tok-write", json!(["write"]), json!({})),
        (
            "tok-exp",
            json!(["write", "admin"]),
            json!({ "expires_at": expires.to_rfc3339() }),
        ),
        ("tok-rev", json!(["write", "admin"]), json!({})),
    ] {
        let mut body = json!({ "name": col, "scopes": scopes });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let made = net.ok(a, "POST", "/api/v1/me/tokens", body, 201).await;
        if col == "tok-rev" {
            let id = made["token"]["id"].as_str().unwrap();
            net.ok(
                a,
                "DELETE",
                &format!("/api/v1/tokens/{id}"),
                Value::Null,
                200,
            )
            .await;
        }
        let secret = made["secret"].as_str().unwrap();
        out.push((
            col,
            Person {
                id: admin.id.clone(),
                email: admin.email.clone(),
                cookie: format!("Bearer {secret}"),
            },
        ));
    }
    // Every cell of `tok-exp` is sent after its token expired.
    let left = expires - chrono::Utc::now() + chrono::Duration::milliseconds(100);
    if let Ok(wait) = left.to_std() {
        tokio::time::sleep(wait).await;
    }
    out
}

async fn setup_admin(net: &Http) -> Person {
    let body = json!({ "token": net.server.setup_token(), "name": "Ada Admin", "email": "admin@example.com", "password": PASSWORD, "time_zone": "UTC" });
    let r = net
        .call(None, "POST", "/api/v1/setup", &body.to_string())
        .await;
    assert_eq!(r.status, 201, "setup: {}", r.body);
    Person {
        id: r.body["id"].as_str().unwrap().to_owned(),
        email: "admin@example.com".into(),
        cookie: session_cookie(&r),
    }
}

/// Creates an account without a password; returns its id.
async fn new_user(net: &Http, admin: &Person, email: &str) -> String {
    let body =
        json!({ "name": "Fresh Target", "email": email, "role": "member", "time_zone": "UTC" });
    net.ok(&admin.cookie, "POST", "/api/v1/users", body, 201)
        .await["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Creates an account with `role`, sets its password through its link and signs it in.
async fn person(net: &Http, admin: &Person, col: &str, role: &str) -> Person {
    let email = format!("{col}@example.com");
    let body =
        json!({ "name": format!("User {col}"), "email": email, "role": role, "time_zone": "UTC" });
    let r = net
        .ok(&admin.cookie, "POST", "/api/v1/users", body, 201)
        .await;
    let id = r["user"]["id"].as_str().unwrap().to_owned();
    let token = link_token(r["reset_link"]["url"].as_str().unwrap());
    let reset = json!({ "token": token, "new_password": PASSWORD }).to_string();
    let r = net
        .call(None, "POST", "/api/v1/password-reset", &reset)
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let cookie = net.login(&email).await;
    Person { id, email, cookie }
}
