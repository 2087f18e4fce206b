//! Unit tests of the connection limits, on loopback with sub-second limits.

use super::deadlines::Clock;
use super::*;
use crate::domain::codes;
use poem::listener::TcpAcceptor;
use tokio::net::TcpStream;

fn limits(max: usize) -> ConnLimits {
    ConnLimits {
        header_read_timeout: Duration::from_millis(400),
        idle_timeout: Duration::from_millis(600),
        max_connections: max,
        max_requests_per_connection: 3,
    }
}

#[test]
fn the_clock_picks_the_deadline_for_what_the_connection_is_doing() {
    let l = limits(8);
    let t0 = Instant::now();
    let ms = |n| Duration::from_millis(n);
    let mut c = Clock::new(t0);
    // New and silent: the header deadline counts from the connection's start.
    assert_eq!(c.check(t0, &l), Ok(Some(t0 + ms(400))));
    assert_eq!(c.check(t0 + ms(400), &l), Err(Closed::HeaderTimeout));
    // A request in flight has no deadline, however long it takes.
    c.in_flight = 1;
    c.served = 1;
    assert_eq!(c.check(t0 + ms(60_000), &l), Ok(None));
    // ...unless the client stops reading its response.
    c.write_blocked = Some(t0 + ms(1000));
    assert_eq!(c.check(t0 + ms(1599), &l), Ok(Some(t0 + ms(1600))));
    assert_eq!(c.check(t0 + ms(1600), &l), Err(Closed::WriteStalled));
    // Between requests: idle, until a byte of the next head arrives.
    c.write_blocked = None;
    c.in_flight = 0;
    c.idle_since = t0 + ms(2000);
    assert_eq!(c.check(t0 + ms(2599), &l), Ok(Some(t0 + ms(2600))));
    assert_eq!(c.check(t0 + ms(2600), &l), Err(Closed::IdleTimeout));
    c.head_started = Some(t0 + ms(2500));
    assert_eq!(c.check(t0 + ms(2899), &l), Ok(Some(t0 + ms(2900))));
    assert_eq!(c.check(t0 + ms(2900), &l), Err(Closed::HeaderTimeout));
}

#[test]
fn the_cap_follows_the_open_file_limit_unless_set() {
    assert_eq!(max_connections(None, Some(1024)), Ok(768));
    assert_eq!(max_connections(None, Some(65536)), Ok(8192));
    assert_eq!(max_connections(None, Some(100)), Ok(32));
    assert_eq!(max_connections(None, None), Ok(768));
    assert_eq!(max_connections(Some(500), Some(1024)), Ok(500));
    assert_eq!(max_connections(Some(1000), Some(1024)), Err(1024));
    assert_eq!(max_connections(Some(100_000), Some(u64::MAX)), Ok(100_000));
    assert!(open_file_limit().is_some_and(|n| n > 0));
}

#[test]
fn the_refusal_is_a_complete_problem_answer() {
    let r = String::from_utf8(refusal()).unwrap();
    let (head, body) = r.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 503 "));
    assert!(head.contains(&format!("content-length: {}\r\n", body.len())));
    assert!(head.contains("connection: close"));
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["code"], codes::SERVER_TOO_MANY_CONNECTIONS);
    assert!(crate::domain::codes::ALL
        .iter()
        .any(|(c, _)| *c == codes::SERVER_TOO_MANY_CONNECTIONS));
}

/// A server on loopback answering `/slow` after 1.5 s (longer than every timeout) and
/// anything else at once.
async fn start(max: usize) -> std::net::SocketAddr {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let ep = poem::endpoint::make(|req: poem::Request| async move {
        match req.uri().path() {
            "/slow" => tokio::time::sleep(Duration::from_millis(1500)).await,
            "/upload" => {
                if let Err(e) = req.into_body().into_vec().await {
                    return format!("body failed: {e}");
                }
            }
            _ => {}
        }
        "ok".to_owned()
    });
    let acceptor = TcpAcceptor::from_tokio(l).unwrap();
    tokio::spawn(serve(
        acceptor,
        ep,
        limits(max),
        std::future::pending(),
        Duration::from_secs(1),
    ));
    addr
}

/// Reads until EOF or an error; the time that took.
async fn until_closed(s: &mut TcpStream) -> (Duration, String) {
    let t = std::time::Instant::now();
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut got)).await;
    (t.elapsed(), String::from_utf8_lossy(&got).into_owned())
}

const GET: &[u8] = b"GET / HTTP/1.1\r\nhost: x\r\n\r\n";

#[tokio::test]
async fn silent_trickling_and_idle_connections_are_closed_and_slow_answers_are_not() {
    let addr = start(16).await;
    let mut silent = TcpStream::connect(addr).await.unwrap();
    let (took, _) = until_closed(&mut silent).await;
    assert!(took < Duration::from_millis(1000), "silent: {took:?}");

    // One byte every 50 ms: closed 400 ms after it opened, headers still unfinished.
    let mut slow = TcpStream::connect(addr).await.unwrap();
    let t = std::time::Instant::now();
    let mut closed_after = None;
    for b in b"GET / HTTP/1.1\r\nhost: x\r\nx-pad: aaaaaaaaaaaaaaaaaaaaaaaa\r\n" {
        let mut one = [0u8; 1];
        let wrote = slow.write_all(&[*b]).await.is_ok();
        let read = tokio::time::timeout(Duration::from_millis(50), slow.read(&mut one)).await;
        if !wrote || matches!(read, Ok(Ok(0)) | Ok(Err(_))) {
            closed_after = Some(t.elapsed());
            break;
        }
    }
    let took = closed_after.expect("the trickling connection stayed open");
    assert!(took < Duration::from_millis(1000), "trickle: {took:?}");

    // Idle after one answer: closed after the idle timeout, not the header one.
    let mut buf = [0u8; 1024];
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(GET).await.unwrap();
    let _ = idle.read(&mut buf).await.unwrap();
    let (took, _) = until_closed(&mut idle).await;
    assert!(
        took >= Duration::from_millis(500) && took < Duration::from_millis(1200),
        "idle: {took:?}"
    );

    // Keep-alive: three requests (the third answered with `connection: close`), each
    // after a pause shorter than the idle timeout; a request slower than every timeout
    // finishes.
    let mut ka = TcpStream::connect(addr).await.unwrap();
    ka.write_all(b"GET /slow HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let n = ka.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    ka.write_all(GET).await.unwrap();
    let n = ka.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    ka.write_all(GET).await.unwrap();
    let (_, got) = until_closed(&mut ka).await;
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    assert!(got.contains("connection: close"), "{got}");
}

#[tokio::test]
async fn past_the_cap_a_plain_client_gets_a_503_problem() {
    let addr = start(2).await;
    let mut held = Vec::new();
    for _ in 0..2 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut third = TcpStream::connect(addr).await.unwrap();
    third.write_all(GET).await.unwrap();
    let (_, got) = until_closed(&mut third).await;
    assert!(got.starts_with("HTTP/1.1 503"), "{got}");
    assert!(got.contains(codes::SERVER_TOO_MANY_CONNECTIONS));
    // Once the held ones time out, there is room again.
    for mut h in held {
        until_closed(&mut h).await;
    }
    let mut again = TcpStream::connect(addr).await.unwrap();
    again.write_all(GET).await.unwrap();
    let mut buf = [0u8; 64];
    let n = again.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"), "{:?}", &buf[..n]);
}

#[tokio::test]
async fn a_handler_waiting_for_a_trickled_body_gets_an_error_in_time() {
    let addr = start(4).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    let t = std::time::Instant::now();
    s.write_all(b"POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n0123456789")
        .await
        .unwrap();
    let (took, got) = until_closed(&mut s).await;
    assert!(got.contains("body failed"), "{got}");
    assert!(
        took >= Duration::from_millis(550) && took < Duration::from_millis(1500),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn only_bytes_sent_count_as_activity_not_empty_flushes() {
    // hyper flushes on every poll: were that activity, an idle connection woken by its own
    // watchdog would push its deadline on forever.
    let t0 = Instant::now();
    let shared = Shared::new(t0);
    shared.lock().served = 1;
    let (a, mut b) = tokio::io::duplex(64);
    let mut w = Watched {
        io: a,
        shared: shared.clone(),
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    w.flush().await.unwrap();
    assert_eq!(shared.lock().idle_since, t0);
    assert_eq!(shared.lock().head_started, None);
    w.write_all(b"x").await.unwrap();
    assert!(shared.lock().idle_since > t0);
    b.write_all(b"G").await.unwrap();
    let mut one = [0u8; 1];
    w.read_exact(&mut one).await.unwrap();
    assert!(shared.lock().head_started.is_some());
}

#[test]
fn between_http2_requests_frames_are_not_a_request_head() {
    let t0 = Instant::now();
    let shared = Shared::new(t0);
    let (first, _) = InFlight::start(&shared, true);
    drop(first);
    shared.read_some();
    let c = shared.lock();
    assert_eq!(c.head_started, None);
    // So the idle timeout applies (and the close is graceful: a GOAWAY).
    assert_eq!(
        c.check(c.idle_since, &limits(1)),
        Ok(Some(c.idle_since + Duration::from_millis(600)))
    );
}
