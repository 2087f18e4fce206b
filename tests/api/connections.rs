//! Slow and idle connections (issue 11, finding 5): the server closes connections that do not
//! finish their request headers or sit idle, keeps `/healthz` answering meanwhile, refuses
//! connections past `server.max_connections` with a 503 problem, and never cuts a request in
//! progress. Short limits through the environment keep each test under ~10 s.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{wait_until, Server};

const HEADER_SECS: u64 = 2;
const IDLE_SECS: u64 = 3;

fn start(max_connections: &str) -> (Server, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let s = Server::start_in(
        tmp.path(),
        &[
            ("OPHIONTT_SERVER_HEADER_READ_TIMEOUT", "2s"),
            ("OPHIONTT_SERVER_IDLE_TIMEOUT", "3s"),
            ("OPHIONTT_SERVER_MAX_CONNECTIONS", max_connections),
            ("OPHIONTT_SERVER_MAX_REQUESTS_PER_CONNECTION", "4"),
        ],
    );
    (s, tmp)
}

fn addr(s: &Server) -> SocketAddr {
    s.base.trim_start_matches("http://").parse().unwrap()
}

/// One HTTP/1.1 response read off `s`: status line and headers (lowercased), body.
async fn read_response(s: &mut TcpStream) -> (String, Vec<u8>) {
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut buf).await.unwrap();
        assert!(
            n > 0,
            "closed mid-response: {:?}",
            String::from_utf8_lossy(&got)
        );
        got.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&got[..head_end]).to_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or(0);
    while got.len() < head_end + len {
        let n = s.read(&mut buf).await.unwrap();
        assert!(n > 0, "closed mid-body");
        got.extend_from_slice(&buf[..n]);
    }
    (head, got[head_end..head_end + len].to_vec())
}

/// GET `path` on a fresh connection: the response and how long it took.
async fn fresh_get(at: SocketAddr, path: &str) -> (String, Vec<u8>, Duration) {
    let t = Instant::now();
    let mut s = TcpStream::connect(at).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nhost: localhost\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let (head, body) = read_response(&mut s).await;
    (head, body, t.elapsed())
}

/// Waits (at most `limit`) for the server to close `s`; how long after `since` it did.
async fn closed_after(s: &mut TcpStream, since: Instant, limit: Duration) -> Option<Duration> {
    let mut buf = [0u8; 256];
    let until = since + limit;
    loop {
        let left = until.checked_duration_since(Instant::now())?;
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(since.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

/// Sends one byte of a request head a second until the server closes the connection.
async fn trickle(at: SocketAddr) -> Option<Duration> {
    let mut s = TcpStream::connect(at).await.unwrap();
    let t = Instant::now();
    let head = b"GET /healthz HTTP/1.1\r\nhost: localhost\r\nx-slow: aaaaaaaaaa\r\n\r\n";
    for b in head {
        if s.write_all(&[*b]).await.is_err() {
            return Some(t.elapsed());
        }
        if closed_after(&mut s, Instant::now(), Duration::from_secs(1))
            .await
            .is_some()
        {
            return Some(t.elapsed());
        }
    }
    None
}

fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok())
        .unwrap_or_else(|| panic!("no metric {name} in:\n{text}")) as u64
}

#[tokio::test]
async fn slow_and_silent_connections_are_closed_while_healthz_keeps_answering() {
    let (s, _tmp) = start("200");
    let at = addr(&s);
    let listening = s.open_sockets();
    let started = Instant::now();
    let slow: Vec<_> = (0..100).map(|_| tokio::spawn(trickle(at))).collect();
    let silent: Vec<_> = (0..50)
        .map(|_| {
            tokio::spawn(async move {
                let mut c = TcpStream::connect(at).await.unwrap();
                let t = Instant::now();
                closed_after(&mut c, t, Duration::from_secs(8)).await
            })
        })
        .collect();
    // Once the server holds all 150, a fresh connection gets its answer at once, every 300 ms
    // for 2.4 s: past the header timeout, while the server closes them.
    assert!(
        wait_until(Duration::from_secs(5), || async {
            s.open_sockets() >= listening + 150
        })
        .await,
        "the server did not accept the 150 connections"
    );
    let mut latencies = Vec::new();
    for _ in 0..8 {
        let (head, body, took) = fresh_get(at, "/healthz").await;
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(String::from_utf8_lossy(&body).contains("ok"));
        latencies.push(took);
        // Deliberate: the probes are spread over the time the slow connections are held.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let worst = *latencies.iter().max().unwrap();
    assert!(worst < Duration::from_millis(500), "{latencies:?}");

    let header = Duration::from_secs(HEADER_SECS);
    let mut slow_closed = Vec::new();
    for h in slow {
        slow_closed.push(
            h.await
                .unwrap()
                .expect("a trickling connection stayed open"),
        );
    }
    let mut silent_closed = Vec::new();
    for h in silent {
        silent_closed.push(h.await.unwrap().expect("a silent connection stayed open"));
    }
    // Each closed once the header timeout passed (not before), within a second of it (the
    // trickler notices within its 1 s pause).
    for (what, times, slack) in [
        ("trickling", &slow_closed, 1500),
        ("silent", &silent_closed, 700),
    ] {
        let (min, max) = (times.iter().min().unwrap(), times.iter().max().unwrap());
        assert!(
            *min >= header - Duration::from_millis(100),
            "{what}: {min:?}"
        );
        assert!(
            *max <= header + Duration::from_millis(slack),
            "{what}: {max:?}"
        );
        eprintln!(
            "{} {what} connections closed after {min:?}..{max:?}",
            times.len()
        );
    }
    eprintln!(
        "/healthz on a fresh connection meanwhile: worst {worst:?} of {:?}; all done in {:?}",
        latencies,
        started.elapsed()
    );
    let (_, body, _) = fresh_get(at, "/metrics").await;
    let m = String::from_utf8(body).unwrap();
    assert!(
        metric(
            &m,
            "ophiontt_http_connections_timed_out_total{reason=\"header_timeout\"}"
        ) >= 150,
        "{m}"
    );
    assert_eq!(metric(&m, "ophiontt_http_connections_max"), 200);
    assert!(metric(&m, "ophiontt_http_connections_open") <= 2, "{m}");
}

#[tokio::test]
async fn past_the_cap_a_plain_http_client_gets_a_503_problem_until_room_returns() {
    let (s, _tmp) = start("64");
    let at = addr(&s);
    let listening = s.open_sockets();
    let mut held = Vec::new();
    for _ in 0..64 {
        held.push(TcpStream::connect(at).await.unwrap());
    }
    assert!(
        wait_until(Duration::from_secs(5), || async {
            s.open_sockets() >= listening + 64
        })
        .await,
        "the server did not accept the 64 connections"
    );
    let (head, body, took) = fresh_get(at, "/healthz").await;
    assert!(head.starts_with("http/1.1 503"), "{head}");
    assert!(head.contains("content-type: application/problem+json"));
    assert!(head.contains("connection: close"));
    assert!(head.contains("retry-after: 1"));
    let p: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(p["code"], "server.too_many_connections");
    assert_eq!(p["status"], 503);
    eprintln!("refused past the cap in {took:?}");
    // The held ones time out; then there is room again.
    let t = Instant::now();
    for c in &mut held {
        assert!(closed_after(c, t, Duration::from_secs(HEADER_SECS + 2))
            .await
            .is_some());
    }
    assert!(
        wait_until(Duration::from_secs(5), || async {
            s.open_sockets() <= listening
        })
        .await,
        "the server kept the closed connections"
    );
    let (head, _, _) = fresh_get(at, "/healthz").await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let (_, body, _) = fresh_get(at, "/metrics").await;
    let m = String::from_utf8(body).unwrap();
    assert!(metric(&m, "ophiontt_http_connections_refused_total") >= 1);
}

#[tokio::test]
async fn keep_alive_clients_and_slow_downloads_are_not_cut() {
    let (s, _tmp) = start("auto");
    let at = addr(&s);
    // Four requests on one connection, 1 s apart (under the idle timeout); the fourth
    // (server.max_requests_per_connection) says `connection: close`.
    let mut c = TcpStream::connect(at).await.unwrap();
    for i in 1..=4 {
        c.write_all(b"GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n")
            .await
            .unwrap();
        let (head, _) = read_response(&mut c).await;
        assert!(head.starts_with("http/1.1 200"), "request {i}: {head}");
        assert_eq!(head.contains("connection: close"), i == 4, "{head}");
        // Deliberate: the pause between requests is what keeps the connection idle.
        tokio::time::sleep(Duration::from_millis(1000)).await;
    }
    // An idle keep-alive connection is closed after the idle timeout, not the header one.
    let mut idle = TcpStream::connect(at).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n")
        .await
        .unwrap();
    read_response(&mut idle).await;
    let t = Instant::now();
    let took = closed_after(&mut idle, t, Duration::from_secs(IDLE_SECS + 2))
        .await
        .expect("the idle connection stayed open");
    assert!(
        took >= Duration::from_millis(IDLE_SECS * 1000 - 100)
            && took <= Duration::from_millis(IDLE_SECS * 1000 + 700),
        "idle: {took:?}"
    );

    // A big answer (Swagger UI's script, 1.45 MB, sent as it is to a client that asks for no
    // coding) read 32 KiB every 100 ms through a small receive buffer: the download outlasts
    // the idle timeout and arrives whole.
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.set_recv_buffer_size(16 * 1024).unwrap();
    let mut d = sock.connect(at).await.unwrap();
    let t = Instant::now();
    d.write_all(b"GET /static/api-docs/swagger-ui-bundle.js HTTP/1.1\r\nhost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut got = Vec::new();
    let mut buf = vec![0u8; 32 * 1024];
    let expected = loop {
        let n = d.read(&mut buf).await.unwrap();
        assert!(n > 0, "cut after {} bytes, {:?}", got.len(), t.elapsed());
        got.extend_from_slice(&buf[..n]);
        if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..i]).to_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .expect("a content-length")
                .trim()
                .parse()
                .unwrap();
            break i + 4 + len;
        }
    };
    while got.len() < expected {
        // Deliberate: a slow reader is the thing under test.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let n = d.read(&mut buf).await.unwrap();
        assert!(n > 0, "cut after {} bytes, {:?}", got.len(), t.elapsed());
        got.extend_from_slice(&buf[..n]);
    }
    let took = t.elapsed();
    eprintln!("{} bytes read slowly in {took:?}", got.len());
    assert!(
        took > Duration::from_secs(IDLE_SECS),
        "{took:?}: not slow enough to prove it"
    );
}

#[tokio::test]
async fn over_tls_a_stalled_handshake_times_out_and_a_connection_past_the_cap_is_closed() {
    let tmp = tempfile::tempdir().unwrap();
    crate::tls::self_signed(tmp.path());
    let s = Server::start_in(
        tmp.path(),
        &[
            ("OPHIONTT_SERVER_HEADER_READ_TIMEOUT", "2s"),
            ("OPHIONTT_SERVER_MAX_CONNECTIONS", "4"),
        ],
    );
    let at: SocketAddr = s.base.trim_start_matches("https://").parse().unwrap();
    let listening = s.open_sockets();
    // Four connections that never send a ClientHello fill the cap.
    let t = Instant::now();
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(at).await.unwrap());
    }
    assert!(
        wait_until(Duration::from_secs(5), || async {
            s.open_sockets() >= listening + 4
        })
        .await,
        "the server did not accept the 4 connections"
    );
    // A fifth is closed at once: answering it would first cost a handshake.
    let mut fifth = TcpStream::connect(at).await.unwrap();
    let t5 = Instant::now();
    let took = closed_after(&mut fifth, t5, Duration::from_secs(1))
        .await
        .expect("the connection past the cap stayed open");
    assert!(took < Duration::from_millis(500), "{took:?}");
    for c in &mut held {
        let took = closed_after(c, t, Duration::from_secs(HEADER_SECS + 2))
            .await
            .expect("a stalled handshake stayed open");
        assert!(
            took >= Duration::from_millis(HEADER_SECS * 1000 - 100),
            "{took:?}"
        );
    }
    assert!(
        wait_until(Duration::from_secs(5), || async {
            s.open_sockets() <= listening
        })
        .await,
        "the server kept the closed connections"
    );
    let r = crate::tls::https_client(&s).get("/healthz").await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn a_connection_cap_above_the_open_file_limit_stops_start_up_naming_the_key() {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let files: Option<u64> = limits
        .lines()
        .find_map(|l| l.strip_prefix("Max open files"))
        .and_then(|l| l.split_whitespace().next()?.parse().ok());
    let Some(files) = files.filter(|f| *f < 1_000_000) else {
        eprintln!("skipped: the open-file limit is above what server.max_connections allows");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let too_many = (files - 10).to_string();
    let e = match Server::try_start_in(
        tmp.path(),
        &[("OPHIONTT_SERVER_MAX_CONNECTIONS", too_many.as_str())],
    ) {
        Ok(_) => panic!("started with server.max_connections = {too_many} under {files} files"),
        Err(e) => e,
    };
    assert!(
        e.contains("server.max_connections") && e.contains(&too_many) && e.contains("LimitNOFILE"),
        "{e}"
    );
}
