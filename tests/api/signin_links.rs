//! Sign-in links (`auth.sign_in_links`): off unless configured, refused without `[email]`, the
//! same answer for any address, throttled, and expired after `auth.sign_in_link_ttl` (an
//! in-process server with a held clock). Receiving the link through a real SMTP server, using
//! it once, only in the browser that asked, is checked by tests/email/signin.py.

use std::collections::BTreeMap;

use serde_json::json;

use crate::helpers::{stderr, Client, Server};
use ophiontt::clock::FixedClock;
use ophiontt::config::{Config, Flags};
use ophiontt::domain::outbox::Channel;
use ophiontt::service::outbox::LogFilter;
use ophiontt::service::Actor;

/// E-mail to a loopback port nothing listens on: messages queue and wait, which is all these
/// tests need.
fn mail_env(port: &str) -> Vec<(&'static str, String)> {
    vec![
        ("OPHIONTT_EMAIL_SMTP_HOST", "127.0.0.1".into()),
        ("OPHIONTT_EMAIL_SMTP_PORT", port.into()),
        ("OPHIONTT_EMAIL_SECURITY", "none".into()),
        ("OPHIONTT_EMAIL_FROM", "OphionTT <tt@example.com>".into()),
        ("OPHIONTT_AUTH_SIGN_IN_LINKS", "true".into()),
    ]
}

fn closed_port() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port().to_string()
}

#[tokio::test]
async fn off_unless_configured() {
    let s = Server::start();
    let anon = Client::new(&s.base);
    let info = anon.get("/api/v1/instance").await;
    assert_eq!(info.body["sign_in_links"], false);
    for (path, body) in [
        ("/api/v1/session/link", json!({ "email": "a@example.com" })),
        (
            "/api/v1/session/link/redeem",
            json!({ "token": "x", "binding": "y" }),
        ),
    ] {
        let r = anon.post(path, body).await;
        assert_eq!(r.status, 409, "{path}: {}", r.body);
        assert_eq!(r.body["code"], "auth.sign_in_links_off");
    }
}

#[test]
fn turning_them_on_needs_email_and_a_sane_lifetime() {
    let check = crate::email::check_with;
    let out = check(&[("OPHIONTT_AUTH_SIGN_IN_LINKS", "true")]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("auth.sign_in_links") && err.contains("email.smtp_host"),
        "{err}"
    );
    let out = check(&[("OPHIONTT_AUTH_SIGN_IN_LINK_TTL", "2m")]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("auth.sign_in_link_ttl") && err.contains("5m to 1h"),
        "{err}"
    );
}

#[tokio::test]
async fn every_address_gets_the_same_answer_and_asking_is_throttled() {
    let port = closed_port();
    let mut env = mail_env(&port);
    env.push(("OPHIONTT_AUTH_LOGIN_ATTEMPTS_PER_MINUTE", "3".into()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let s = Server::start_with_env(&env);
    let admin = s.setup_admin().await;
    let (_, off_id) = s.user_with_role(&admin, "gone@example.com", "member").await;
    let r = admin
        .post(&format!("/api/v1/users/{off_id}/disable"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let anon = Client::new(&s.base);
    assert_eq!(
        anon.get("/api/v1/instance").await.body["sign_in_links"],
        true
    );

    for who in [
        "admin@example.com",
        "nobody@example.com",
        "gone@example.com",
    ] {
        let r = anon
            .post("/api/v1/session/link", json!({ "email": who }))
            .await;
        assert_eq!(r.status, 202, "{who}: {}", r.body);
        let keys: Vec<&String> = r.body.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["binding", "expires_at"], "{who}");
        assert_eq!(r.body["binding"].as_str().unwrap().len(), 43);
    }
    let outbox = admin.get("/api/v1/outbox?channel=email&limit=50").await;
    let links: Vec<&str> = outbox.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["event"] == "email.sign_in_link")
        .map(|i| i["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        links,
        ["admin@example.com"],
        "only the enabled account gets mail"
    );

    // Three a minute per address from one client: the fourth for the admin is refused.
    for _ in 0..2 {
        let r = anon
            .post(
                "/api/v1/session/link",
                json!({ "email": "admin@example.com" }),
            )
            .await;
        assert_eq!(r.status, 202, "{}", r.body);
    }
    let r = anon
        .post(
            "/api/v1/session/link",
            json!({ "email": "admin@example.com" }),
        )
        .await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(r.body["code"], "auth.rate_limited");
    assert!(r.headers.get("retry-after").is_some());

    let r = anon
        .post(
            "/api/v1/session/link/redeem",
            json!({ "token": "not-a-token", "binding": "whatever" }),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.body["code"], "token.invalid");
    let r = anon
        .post("/api/v1/session/link/redeem", json!({ "token": 5 }))
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
}

/// The token of the newest sign-in link queued for `to`, read from the outbox's text.
fn newest_link(svc: &ophiontt::service::Services, to: &str) -> String {
    let items = svc
        .outbox()
        .log(&Actor::system(), &LogFilter::default(), 50)
        .unwrap();
    let item = items
        .iter()
        .find(|i| {
            i.event == "email.sign_in_link"
                && matches!(&i.channel, Channel::Email { to: t } if t == to)
        })
        .unwrap_or_else(|| panic!("no sign-in link for {to}"));
    let at = item.payload.find("/signin#token=").expect("a link") + 14;
    item.payload[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_link_stops_working_after_its_lifetime() {
    let clock = FixedClock::new(1_780_000_000_000);
    let env: BTreeMap<String, String> = mail_env(&closed_port())
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    let mailing = Config::load(&Flags::default(), &env).unwrap();
    let p = crate::inproc::spawn_with(clock.clone(), |c| {
        c.email = mailing.email.clone();
        c.sign_in_link_ttl = mailing.sign_in_link_ttl;
    })
    .await;
    p.admin().await;
    let browser = Client::new(&p.base);
    let ask = || async {
        let r = browser
            .post("/api/v1/session/link", json!({ "email": "a@example.com" }))
            .await;
        assert_eq!(r.status, 202, "{}", r.body);
        r.body["binding"].as_str().unwrap().to_owned()
    };
    let binding = ask().await;
    let token = newest_link(&p.svc, "a@example.com");
    clock.advance(15 * 60_000 + 1);
    let r = browser
        .post(
            "/api/v1/session/link/redeem",
            json!({ "token": token, "binding": binding }),
        )
        .await;
    assert_eq!(r.status, 400, "15 minutes on: {}", r.body);
    assert_eq!(r.body["code"], "token.invalid");

    let binding = ask().await;
    let token = newest_link(&p.svc, "a@example.com");
    clock.advance(14 * 60_000);
    let r = browser
        .post(
            "/api/v1/session/link/redeem",
            json!({ "token": token, "binding": binding }),
        )
        .await;
    assert_eq!(r.status, 200, "14 minutes on: {}", r.body);
    assert_eq!(r.body["email"], "a@example.com");
    assert_eq!(browser.get("/api/v1/me").await.status, 200);
}
