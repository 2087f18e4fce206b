//! HTTPS in the binary: `tls self-signed`, a real TLS client trusting the generated authority,
//! the secure cookie and HSTS, reloading on SIGHUP while a request is in flight, refusing bad
//! pairs (at start and on reload), and the plain-HTTP redirect listener.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{cli, stderr, stdout, wait_until, Client, Server, PASSWORD};

pub(crate) fn self_signed(data: &Path) -> String {
    let out = cli(
        data,
        &[
            "tls",
            "self-signed",
            "--host",
            "localhost",
            "--host",
            "127.0.0.1",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

/// A rustls client configuration trusting only the authority in `ca`.
fn trusting(ca: &Path) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(ca).unwrap() {
        roots.add(c.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(cfg)
}

pub(crate) fn https_client(s: &Server) -> Client {
    let http = reqwest::Client::builder()
        .use_preconfigured_tls((*trusting(&s.data.join("tls/ca.pem"))).clone())
        .cookie_store(true)
        .build()
        .unwrap();
    Client {
        base: s.base.clone(),
        http,
    }
}

type Tls = tokio_rustls::client::TlsStream<tokio::net::TcpStream>;

async fn connect(s: &Server) -> Tls {
    let addr = s.base.trim_start_matches("https://").to_owned();
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let connector = tokio_rustls::TlsConnector::from(trusting(&s.data.join("tls/ca.pem")));
    connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .expect("TLS handshake with the generated authority")
}

/// The server certificate a new connection is shown.
async fn presented(s: &Server) -> Vec<u8> {
    let conn = connect(s).await;
    conn.get_ref().1.peer_certificates().unwrap()[0].to_vec()
}

/// The first certificate in the data folder's cert.pem.
fn on_disk(s: &Server) -> Vec<u8> {
    CertificateDer::pem_file_iter(s.data.join("tls/cert.pem"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .to_vec()
}

fn sighup(s: &Server) {
    let ok = std::process::Command::new("kill")
        .args(["-HUP", &s.pid().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

#[tokio::test]
async fn a_self_signed_pair_serves_https_with_a_secure_cookie_and_hsts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = self_signed(tmp.path());
    assert!(
        out.contains("update-ca-certificates") && out.contains("ca.pem"),
        "{out}"
    );
    let s = Server::start_in(tmp.path(), &[]);
    assert!(s.base.starts_with("https://127.0.0.1:"), "{}", s.base);
    assert!(s.setup_link.as_deref().unwrap().starts_with("https://"));

    let c = https_client(&s);
    let health = c.get("/healthz").await;
    assert_eq!(health.status, 200);
    assert_eq!(
        health.headers["strict-transport-security"],
        "max-age=31536000"
    );

    let r = c
        .post(
            "/api/v1/setup",
            json!({ "token": s.setup_token(), "name": "Ada", "email": "ada@example.com",
                    "password": PASSWORD, "time_zone": "UTC" }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let cookie = r.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-ophiontt="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert_eq!(
        c.get("/api/v1/me").await.status,
        200,
        "the secure cookie works"
    );

    // Plain HTTP on the HTTPS port gets no page.
    let plain = reqwest::get(s.base.replace("https://", "http://") + "/healthz").await;
    assert!(plain.is_err() || plain.unwrap().status() != 200);
}

#[tokio::test]
async fn sighup_swaps_the_pair_without_dropping_a_request_in_flight_and_refuses_a_bad_one() {
    let tmp = tempfile::tempdir().unwrap();
    self_signed(tmp.path());
    let mut s = Server::start_in(tmp.path(), &[]);
    let first = on_disk(&s);
    assert_eq!(presented(&s).await, first);

    // A request in flight: headers and half the body sent.
    let body = json!({ "email": "nobody@example.com", "password": "not the password" }).to_string();
    let (head, tail) = body.split_at(body.len() / 2);
    let mut inflight = connect(&s).await;
    let req = format!(
        "POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{head}",
        body.len()
    );
    inflight.write_all(req.as_bytes()).await.unwrap();
    inflight.flush().await.unwrap();

    // A new pair (same authority), then SIGHUP: new connections get it.
    self_signed(tmp.path());
    let second = on_disk(&s);
    assert_ne!(first, second);
    sighup(&s);
    let swapped = wait_until(Duration::from_secs(5), || async {
        presented(&s).await == second
    })
    .await;
    assert!(swapped, "the new certificate was not served after SIGHUP");

    // The request in flight finishes on its old connection.
    inflight.write_all(tail.as_bytes()).await.unwrap();
    inflight.flush().await.unwrap();
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), inflight.read(&mut answer))
        .await
        .expect("an answer on the old connection")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");

    // A key that does not belong to the certificate: refused, the second pair stays.
    let stranger = rcgen::KeyPair::generate().unwrap().serialize_pem();
    std::fs::write(s.data.join("tls/key.pem"), stranger).unwrap();
    sighup(&s);
    assert!(
        s.wait_for_line(
            "SIGHUP: new TLS certificate refused",
            Duration::from_secs(10)
        )
        .await,
        "the server did not log the refused pair"
    );
    assert_eq!(presented(&s).await, second);
    let c = https_client(&s);
    assert_eq!(c.get("/healthz").await.status, 200);
    let (code, _) = s.stop();
    assert_eq!(code, Some(0));
    let mut log = String::new();
    for f in std::fs::read_dir(s.data.join("logs")).unwrap() {
        log += &std::fs::read_to_string(f.unwrap().path()).unwrap();
    }
    assert!(
        log.contains("SIGHUP: TLS certificate and key reloaded"),
        "{log}"
    );
    assert!(
        log.contains("new TLS certificate refused")
            && log.contains("does not belong to the certificate")
            && log.contains("tls/key.pem"),
        "{log}"
    );
}

fn pair(dir: &Path, name: &str, from: (i32, u8, u8), to: (i32, u8, u8)) -> (String, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
    params.not_after = rcgen::date_time_ymd(to.0, to.1, to.2);
    let cert = params.self_signed(&key).unwrap();
    let (c, k) = (
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}-key.pem")),
    );
    std::fs::write(&c, cert.pem()).unwrap();
    std::fs::write(&k, key.serialize_pem()).unwrap();
    (c.display().to_string(), k.display().to_string())
}

#[test]
fn a_wrong_expired_or_unreadable_pair_stops_start_up_with_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let (old_cert, old_key) = pair(files.path(), "old", (2020, 1, 1), (2021, 1, 1));
    let (good_cert, _) = pair(files.path(), "good", (2020, 1, 1), (2090, 1, 1));
    let (_, other_key) = pair(files.path(), "other", (2020, 1, 1), (2090, 1, 1));
    let start = |cert: &str, key: &str| {
        Server::try_start_in(
            tmp.path(),
            &[("OPHIONTT_TLS_CERT", cert), ("OPHIONTT_TLS_KEY", key)],
        )
        .err()
        .expect("start-up must be refused")
    };
    let err = start(&old_cert, &old_key);
    assert!(
        err.contains("expired on 2021-01-01") && err.contains("old.pem"),
        "{err}"
    );
    let err = start(&good_cert, &other_key);
    assert!(err.contains("does not belong to the certificate"), "{err}");
    let err = start(&good_cert, "/nonexistent/key.pem");
    assert!(err.contains("cannot read /nonexistent/key.pem"), "{err}");
    let err = start(&other_key, &other_key);
    assert!(err.contains("holds no PEM certificate"), "{err}");

    // Half a pair is a configuration error naming the missing key.
    let out = cli(tmp.path(), &["serve", "--tls-cert", &good_cert]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--tls-key"), "{}", stderr(&out));
}

#[tokio::test]
async fn the_redirect_listener_sends_plain_http_to_https() {
    let tmp = tempfile::tempdir().unwrap();
    self_signed(tmp.path());
    let s = Server::start_in(
        tmp.path(),
        &[("OPHIONTT_TLS_REDIRECT_LISTEN", "127.0.0.1:0")],
    );
    let line = s
        .banner
        .iter()
        .find(|l| l.contains("redirecting plain HTTP on"))
        .expect("the redirect listener is announced");
    let plain = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap();
    let https_port = s.base.rsplit(':').next().unwrap();
    let no_follow = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_follow
        .get(format!("{plain}/today?x=1"))
        .header("host", "time.example.com:8080")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(
        r.headers()["location"],
        format!("https://time.example.com:{https_port}/today?x=1").as_str()
    );
}

#[test]
fn plain_http_on_a_non_loopback_address_is_refused_without_tls() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cli(tmp.path(), &["serve", "--listen", "192.0.2.1:8080"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("refusing to serve plain HTTP on 192.0.2.1:8080")
            && err.contains("tls self-signed")
            && err.contains("--allow-plain-http"),
        "{err}"
    );
}

#[tokio::test]
async fn a_browser_style_post_over_http2_passes_the_same_site_check() {
    let tmp = tempfile::tempdir().unwrap();
    self_signed(tmp.path());
    let s = Server::start_in(tmp.path(), &[]);
    let mut cfg = (*trusting(&s.data.join("tls/ca.pem"))).clone();
    cfg.alpn_protocols = vec![b"h2".to_vec()];
    let http = reqwest::Client::builder()
        .use_preconfigured_tls(cfg)
        .build()
        .unwrap();
    let r = http
        .post(s.url("/api/v1/session"))
        .header("origin", &s.base)
        .header("sec-fetch-site", "same-origin")
        .json(&json!({ "email": "nobody@example.com", "password": "not the password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.version(), reqwest::Version::HTTP_2);
    assert_eq!(
        r.status(),
        401,
        "HTTP/2 has no Host header: the check must use :authority"
    );
    let foreign = http
        .post(s.url("/api/v1/session"))
        .header("origin", "https://evil.example")
        .json(&json!({ "email": "nobody@example.com", "password": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
}
