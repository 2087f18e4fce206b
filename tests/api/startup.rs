//! Start-up and shutdown: the empty-store guard, graceful shutdown, log contents.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::json;

use crate::helpers::{poll_for_blocking, Client, Server, PASSWORD};

/// Whether the server has read everything sent on `client`'s connection: the receive queue of
/// the server's end of it (in /proc/net/tcp, Linux) is empty. Bytes that reached the kernel
/// but not the server process stay queued there, accepted or not.
fn server_read_all(client: &TcpStream) -> bool {
    let (local, peer) = (client.local_addr().unwrap(), client.peer_addr().unwrap());
    let hex = |port: u16| format!(":{port:04X}");
    let tcp = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let server_end = tcp.lines().skip(1).find(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.len() > 4 && f[1].ends_with(&hex(peer.port())) && f[2].ends_with(&hex(local.port()))
    });
    server_end.is_some_and(|l| {
        let queues = l.split_whitespace().nth(4).unwrap();
        queues.split(':').nth(1) == Some("00000000")
    })
}

#[tokio::test]
async fn a_store_that_comes_up_empty_although_it_held_data_is_refused() {
    let mut s = Server::start();
    s.setup_admin().await;
    s.stop();
    let marker: serde_json::Value =
        serde_json::from_slice(&std::fs::read(s.data.join("store-marker.json")).unwrap()).unwrap();
    assert_eq!(marker["has_data"], true);
    // Simulate the storage engine opening an unreadable store as an empty one.
    std::fs::remove_dir_all(s.data.join("db")).unwrap();
    let err = Server::try_start_in(&s.data, &[])
        .err()
        .expect("start-up must be refused");
    assert!(
        err.contains("exit Some(2)")
            && err.contains("opened empty")
            && err.contains("store-marker.json"),
        "{err}"
    );
    assert!(
        !s.data.join("db").join("conf").exists() || std::fs::read_dir(s.data.join("db")).is_ok()
    );
}

#[tokio::test]
async fn sigterm_lets_an_in_flight_request_finish_then_flushes_and_removes_the_socket() {
    let mut s = Server::start();
    let admin = s.setup_admin().await;
    let cookie = {
        let r = admin.login("admin@example.com", PASSWORD).await;
        r.headers["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned()
    };
    let addr = s.base.trim_start_matches("http://").to_owned();
    let body = json!({ "name": "Late", "email": "late@example.com", "role": "member", "time_zone": "UTC" }).to_string();
    let (first, rest) = body.split_at(10);
    // Act: send the headers and part of the body, then SIGTERM, then the rest.
    let mut tcp = TcpStream::connect(&addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(tcp, "POST /api/v1/users HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{first}", body.len()).unwrap();
    tcp.flush().unwrap();
    let started = poll_for_blocking(Duration::from_secs(10), || {
        server_read_all(&tcp).then_some(())
    });
    assert!(
        started.is_some(),
        "the server did not read the request's start"
    );
    let pid = s.pid();
    let stopper = std::thread::spawn(move || {
        std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap()
    });
    stopper.join().unwrap();
    let stopping = s.wait_for_line(
        "shutting down: finishing in-flight requests",
        Duration::from_secs(10),
    );
    assert!(stopping.await, "the server did not start shutting down");
    tcp.write_all(rest.as_bytes()).unwrap();
    let mut resp = String::new();
    let _ = tcp.read_to_string(&mut resp);
    // Assert: the request completed, the server exited cleanly and tidied up.
    assert!(
        resp.starts_with("HTTP/1.1 201"),
        "in-flight request was cut off: {resp:?}"
    );
    let (code, _) = s.stop_if_running();
    assert_eq!(code, Some(0));
    assert!(!s.data.join("admin.sock").exists(), "socket file removed");
    let s2 = Server::start_in(&s.data, &[]);
    let c = Client::new(&s2.base);
    c.login("admin@example.com", PASSWORD).await;
    assert_eq!(
        c.get("/api/v1/users?q=late").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn the_log_file_has_an_access_line_per_request_and_no_secrets() {
    let mut s = Server::start();
    let setup_token = s.setup_token();
    let admin = s.setup_admin().await;
    let r = admin
        .post(
            "/api/v1/users",
            json!({ "name": "L", "email": "l@example.com", "role": "member", "time_zone": "UTC" }),
        )
        .await;
    let reset_token = crate::helpers::link_token(r.body["reset_link"]["url"].as_str().unwrap());
    let login = Client::new(&s.base)
        .login("admin@example.com", PASSWORD)
        .await;
    let session = login.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .split('=')
        .nth(1)
        .unwrap()
        .to_owned();
    Client::new(&s.base)
        .login("admin@example.com", "a wrong password guess")
        .await;
    s.stop();
    let mut log = String::new();
    for f in std::fs::read_dir(s.data.join("logs")).unwrap() {
        log.push_str(&std::fs::read_to_string(f.unwrap().path()).unwrap());
    }
    assert!(
        log.contains("/api/v1/session") && log.contains("status=401") && log.contains("latency_ms"),
        "{log}"
    );
    assert!(
        !log.contains('\u{1b}'),
        "log files hold plain text, no colour codes"
    );
    for secret in [
        PASSWORD,
        "a wrong password guess",
        &setup_token,
        &reset_token,
        &session,
    ] {
        assert!(!log.contains(secret), "the log contains a secret");
    }
}
